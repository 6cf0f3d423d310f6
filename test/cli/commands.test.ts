import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { apiKeys, exceptions, syncRuns } from "../../src/db/schema/index.js";
import { startDemo } from "../../src/demo/index.js";
import { quietLogger, testVault } from "../demo/fixtures.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { jsonOf, runCli } from "./run-cli.js";

import type { Demo } from "../../src/demo/index.js";

guardLeaks();

describe("ml-connector commands, run as processes", () => {
  const t = useTestDatabase();
  const { vault, env: keyEnv } = testVault();
  let demo: Demo;
  let env: Record<string, string>;
  beforeAll(async () => {
    demo = await startDemo(
      { db: t.db, vault, logger: quietLogger() },
      { size: "small", firstSync: false },
    );
    env = { DATABASE_URL: t.url, ...keyEnv };
  });
  afterAll(async () => {
    await demo?.close();
  });

  it("help lists every command; an unknown command exits 64", async () => {
    const [help, unknown] = await Promise.all([runCli(["help"], env), runCli(["frobnicate"], env)]);
    expect(help.code).toBe(0);
    for (const name of [
      "serve",
      "migrate",
      "ping",
      "sync",
      "replay",
      "exceptions",
      "keys",
      "rotate-key",
    ]) {
      expect(help.stdout).toContain(`  ${name}`);
    }
    expect(unknown.code).toBe(64);
  });

  it("ping <connection> diagnoses both systems (exit 0) and names an unknown connection in one line (exit 3)", async () => {
    const [ok, missing] = await Promise.all([
      runCli(["ping", "meridian-demo", "--json"], env),
      runCli(["ping", "nope"], env),
    ]);
    expect(ok.code).toBe(0);
    const body = jsonOf(ok);
    expect(body).toMatchObject({ ok: true, syspro: { ok: true }, avidxchange: { ok: true } });
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split("\n")).toEqual([
      'ml-connector ping: Connection "nope" not found.',
    ]);
  });

  it("ping exits 2 with a diagnosis when the systems cannot be reached", async () => {
    await demo.close(); // the connection now points at closed ports
    try {
      const result = await runCli(["ping", "meridian-demo"], env);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain("FAIL");
    } finally {
      // Live sandboxes again (the connection is re-pointed) for the other tests.
      demo = await startDemo(
        { db: t.db, vault, logger: quietLogger() },
        { size: "small", firstSync: false },
      );
    }
  });

  it("sync --no-wait queues a run like triggerSync; a bad kind is a usage error", async () => {
    const [queued, badKind] = await Promise.all([
      runCli(["sync", "meridian-demo", "suppliers", "--no-wait", "--dry-run", "--json"], env),
      runCli(["sync", "meridian-demo", "everything"], env),
    ]);
    expect(queued.code).toBe(0);
    const { run } = jsonOf(queued) as { run: { id: string; kind: string; dryRun: boolean } };
    expect(run).toMatchObject({ kind: "suppliers", dryRun: true });
    const [row] = await t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
    expect(row).toMatchObject({ actor: "cli", state: "queued" });
    expect(badKind.code).toBe(64);
  });

  it("replay of an unknown transaction exits 3", async () => {
    const result = await runCli(["replay", "01J00000000000000000000000", "--dry-run"], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Transaction not found");
  });

  it("exceptions list shows open exceptions; skip resolves one; skipping it again is refused (exit 4)", async () => {
    const [exception] = await t.db
      .insert(exceptions)
      .values({
        connectionId: demo.connection.id,
        reasonCode: "UNMAPPED_GL",
        message: "GL code 7250-210 has no AvidXchange target",
        subjectType: "invoice",
        subjectId: "test-invoice",
        subjectRef: "SUP001 / INV-1",
      })
      .returning();
    const list = await runCli(["exceptions", "list", "--json"], env);
    expect(list.code).toBe(0);
    expect(jsonOf(list)).toEqual([
      expect.objectContaining({ id: exception!.id, reasonCode: "UNMAPPED_GL" }),
    ]);

    const skip = await runCli(["exceptions", "skip", exception!.id, "--note", "paid by hand"], env);
    expect(skip.code).toBe(0);
    const [row] = await t.db.select().from(exceptions).where(eq(exceptions.id, exception!.id));
    expect(row).toMatchObject({ state: "skipped", resolutionNote: "paid by hand", actor: "cli" });

    const again = await runCli(["exceptions", "skip", exception!.id], env);
    expect(again.code).toBe(4);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("keys create prints the key once; keys revoke revokes it", async () => {
    const created = await runCli(["keys", "create", "portal", "--role", "operator", "--json"], env);
    expect(created.code).toBe(0);
    const { key, apiKey } = jsonOf(created) as {
      key: string;
      apiKey: { id: string; role: string };
    };
    expect(key).toMatch(/^mlc_/);
    expect(apiKey.role).toBe("operator");

    const revoked = await runCli(["keys", "revoke", apiKey.id], env);
    expect(revoked.code).toBe(0);
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row?.revokedAt).not.toBeNull();
    const badRole = await runCli(["keys", "create", "x", "--role", "root"], env);
    expect(badRole.stderr).toContain("--role must be one of");
    expect(badRole.code).toBe(64);
  });
});
