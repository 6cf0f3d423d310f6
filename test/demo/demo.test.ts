import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";

import {
  connections,
  credentials,
  glMappings,
  schedules,
  syncRuns,
} from "../../src/db/schema/index.js";
import { DEMO_CONNECTION_NAME, EXAMPLE_QUERIES, startDemo } from "../../src/demo/index.js";
import { diagnoseConnection } from "../../src/sync/diagnose-connection.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { quietLogger, testVault } from "./fixtures.js";

import type { Demo } from "../../src/demo/index.js";

guardLeaks();

describe("the demo wiring", () => {
  const t = useTestDatabase();
  const { vault } = testVault();
  const logger = quietLogger();
  const demos: Demo[] = [];
  afterAll(async () => {
    await Promise.all(demos.map((d) => d.close()));
  });

  it("creates a connection with vaulted credentials, mappings and schedules, and queues the first sync", async () => {
    const demo = await startDemo({ db: t.db, vault, logger }, { size: "small" });
    demos.push(demo);
    expect(demo.created).toBe(true);
    expect(demo.connection.name).toBe(DEMO_CONNECTION_NAME);

    const creds = await t.db
      .select()
      .from(credentials)
      .where(eq(credentials.connectionId, demo.connection.id));
    expect(creds.map((c) => c.kind).sort()).toEqual([
      "avid_client_secret",
      "syspro_company_password",
      "syspro_odata_password",
      "syspro_operator_password",
    ]);
    // Stored encrypted: the plain secret is nowhere in the row.
    expect(
      creds.some((c) => Buffer.from(c.ciphertext).toString("utf8").includes("med-avid-secret")),
    ).toBe(false);

    const mappings = await t.db
      .select()
      .from(glMappings)
      .where(eq(glMappings.connectionId, demo.connection.id));
    expect(mappings.filter((m) => m.kind === "segment")).toHaveLength(2);
    expect(mappings.filter((m) => m.kind === "exact").length).toBeGreaterThan(0);

    const sched = await t.db
      .select()
      .from(schedules)
      .where(eq(schedules.connectionId, demo.connection.id));
    expect(sched.length).toBe(6);

    const runs = await t.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.connectionId, demo.connection.id));
    expect(runs.map((r) => r.kind).sort()).toEqual([
      "approvals",
      "invoices",
      "payments",
      "purchase_orders",
      "reference_data",
      "suppliers",
    ]);
    const banner = demo.banner.join("\n");
    for (const query of Object.values(EXAMPLE_QUERIES)) {
      expect(banner).toContain(query.split("\n")[1]!.trim());
    }
  });

  it("the connection reaches both sandboxes: the connection test passes", async () => {
    const demo = demos[0]!;
    const diagnosis = await diagnoseConnection(
      { db: t.db, sql: t.sql, vault, logger },
      demo.connection.id,
    );
    expect(diagnosis.syspro).toMatchObject({ ok: true });
    expect(diagnosis.avidxchange).toMatchObject({ ok: true });
  });

  it("a second start reuses the connection and re-points it at the new sandboxes", async () => {
    const before = demos[0]!;
    await before.close();
    const again = await startDemo({ db: t.db, vault, logger }, { size: "small", firstSync: false });
    demos.push(again);
    expect(again.created).toBe(false);
    expect(again.connection.id).toBe(before.connection.id);
    const all = await t.db.select().from(connections);
    expect(all).toHaveLength(1);
    expect(again.connection.avidBaseUrl).not.toBe(before.connection.avidBaseUrl);
    const mappings = await t.db
      .select()
      .from(glMappings)
      .where(eq(glMappings.connectionId, again.connection.id));
    expect(mappings.filter((m) => m.kind === "segment")).toHaveLength(2);
    const diagnosis = await diagnoseConnection(
      { db: t.db, sql: t.sql, vault, logger },
      again.connection.id,
    );
    expect(diagnosis.syspro.ok && diagnosis.avidxchange.ok).toBe(true);
  });
});
