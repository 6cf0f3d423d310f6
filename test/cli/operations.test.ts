import { randomBytes } from "node:crypto";

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, exceptions, syncRuns, transactions } from "../../src/db/schema/index.js";
import { startDemo } from "../../src/demo/index.js";
import { quietLogger, testVault } from "../demo/fixtures.js";
import { startApp } from "../main/process.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { jsonOf, runCli } from "./run-cli.js";

import type { Demo } from "../../src/demo/index.js";
import type { AppProcess } from "../main/process.js";

guardLeaks();

/** The commands that need a worker (sync, replay, exceptions retry), then serve's stop and rotate-key. */
describe("ml-connector operator commands with a worker process", () => {
  const t = useTestDatabase();
  const { vault, env: keyEnv } = testVault();
  let demo: Demo;
  let env: Record<string, string>;
  let worker: AppProcess | undefined;
  beforeAll(async () => {
    demo = await startDemo(
      { db: t.db, vault, logger: quietLogger() },
      { size: "small", firstSync: false },
    );
    env = { DATABASE_URL: t.url, ...keyEnv };
    worker = startApp(["serve", "--role", "worker"], {
      ...env,
      LOG_LEVEL: "info",
      SANDBOX: "false",
      WORKER_CONCURRENCY: "2",
      WORKER_POLL_INTERVAL_MS: "500",
    });
    await worker.waitForLog((l) => l.msg === "worker listening for jobs");
  }, 60_000);
  afterAll(async () => {
    await worker?.stop("SIGKILL");
    await demo?.close();
  });

  it(
    "sync --json waits for the worker's run and prints it (exit 0)",
    { timeout: 60_000 },
    async () => {
      const result = await runCli(["sync", "meridian-demo", "suppliers", "--json"], env);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const { run } = jsonOf(result) as {
        run: { id: string; state: string; kind: string; countRead: number };
      };
      expect(run).toMatchObject({ kind: "suppliers", state: "succeeded" });
      expect(run.countRead).toBeGreaterThan(0);
      const [row] = await t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
      expect(row).toMatchObject({ state: "succeeded", actor: "cli" });
    },
  );

  it(
    "sync --progress draws the bar from progress events and ends with the summary table",
    { timeout: 60_000 },
    async () => {
      const result = await runCli(["sync", "meridian-demo", "suppliers", "--progress"], env);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/Sync run \S+ \(suppliers\) on meridian-demo/);
      expect(result.stderr).toMatch(/\d+ records \| succeeded/);
      const [first, header] = result.stdout.trim().split("\n");
      expect(first).toMatch(/^sync run \S+: succeeded$/);
      expect(header?.split(/\s+/)).toEqual([
        "kind",
        "read",
        "created",
        "updated",
        "unchanged",
        "exceptions",
        "seconds",
      ]);
    },
  );

  it("replay --no-wait queues the transaction's replay and reports the run (exit 0)", async () => {
    const [transaction] = await t.db
      .select()
      .from(transactions)
      .where(eq(transactions.connectionId, demo.connection.id))
      .limit(1);
    expect(transaction).toBeDefined();
    const result = await runCli(
      ["replay", transaction!.id, "--dry-run", "--no-wait", "--json"],
      env,
    );
    expect(result.code).toBe(0);
    const { run } = jsonOf(result) as { run: { id: string; dryRun: boolean } };
    expect(run.dryRun).toBe(true);
    const [row] = await t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
    expect(row).toMatchObject({ replayTransactionId: transaction!.id, actor: "cli" });
    const requested = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.type, "transaction.replay_requested"),
          eq(auditEvents.transactionId, transaction!.id),
        ),
      );
    expect(requested).toHaveLength(1);
  });

  it("exceptions retry queues the retry and reports its job (exit 0)", async () => {
    const [exception] = await t.db
      .insert(exceptions)
      .values({
        connectionId: demo.connection.id,
        reasonCode: "UNMAPPED_GL",
        message: "GL code 7250-210 has no AvidXchange target",
        subjectType: "invoice",
        subjectId: "cli-retry-invoice",
        subjectRef: "SUP001 / INV-9",
      })
      .returning();
    const result = await runCli(["exceptions", "retry", exception!.id, "--json"], env);
    expect(result.code).toBe(0);
    const { job } = jsonOf(result) as { job: { id: string } | null };
    expect(job?.id).toBeTruthy();
    const requested = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.type, "exception.retry_requested"),
          eq(auditEvents.subjectId, exception!.id),
        ),
      );
    expect(requested).toMatchObject([{ actor: "cli" }]);
  });

  it("serve stops on SIGTERM with exit 0", { timeout: 30_000 }, async () => {
    expect(await worker!.stop("SIGTERM")).toBe(0);
    expect(worker!.logs.some((l) => l.msg === "stopped")).toBe(true);
    worker = undefined;
  });

  it(
    "rotate-key re-encrypts every credential so the previous key can go (exit 0)",
    { timeout: 60_000 },
    async () => {
      const newKey = randomBytes(32).toString("base64");
      const rotated = await runCli(["rotate-key"], {
        DATABASE_URL: t.url,
        ENCRYPTION_KEY: newKey,
        ENCRYPTION_KEY_ID: "next-key",
        ENCRYPTION_KEYS_PREVIOUS: `${keyEnv.ENCRYPTION_KEY_ID}:${keyEnv.ENCRYPTION_KEY}`,
      });
      expect(rotated.stderr).toBe("");
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toMatch(/re-encrypted [1-9]\d* credential\(s\) .* with key next-key/);
      expect(rotated.stdout).toContain("remove ENCRYPTION_KEYS_PREVIOUS");

      // The new key alone now reads the credentials: the connection test works with it.
      const ping = await runCli(["ping", "meridian-demo", "--json"], {
        DATABASE_URL: t.url,
        ENCRYPTION_KEY: newKey,
        ENCRYPTION_KEY_ID: "next-key",
      });
      expect(ping.code).toBe(0);
      expect(jsonOf(ping)).toMatchObject({ ok: true });
      const stale = await runCli(["ping", "meridian-demo"], env);
      expect(stale.code).not.toBe(0);
    },
  );
});
