import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  avidDimensions,
  connections,
  glAccounts,
  invoiceLines,
  invoices,
  syncRuns,
} from "../../src/db/schema/index.js";
import { DEFAULT_GL_GROUP } from "../../src/sync/domain.js";
import { startSyncHarness } from "./harness.js";

import type { ReadinessReport } from "../../src/sync/mapping/readiness.js";
import type { SyncHarness } from "./harness.js";

describe("sync:run reference_data (GL codes and enterprise codes)", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const connection = async () =>
    (await h.t.db.select().from(connections).where(eq(connections.id, h.connectionId)))[0]!;

  it("mirrors this company's GenMaster and every enterprise code, then stores readiness", async () => {
    const runId = await h.sync("reference_data");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run).toMatchObject({ state: "succeeded", countExceptions: 0 });

    const accounts = await h.t.db
      .select()
      .from(glAccounts)
      .where(eq(glAccounts.connectionId, h.connectionId));
    expect(accounts.length).toBeGreaterThan(3);
    const company = (await connection()).sysproCompanyId;
    for (const a of accounts) {
      expect(["FORCED", "RETAINED"]).not.toContain(a.glCode);
      expect(String(a.raw?.["Company"]).trim()).toBe(company);
    }

    const codes = await h.t.db
      .select()
      .from(avidDimensions)
      .where(eq(avidDimensions.connectionId, h.connectionId));
    const groups = new Set(codes.map((c) => c.groupName));
    expect(groups.has(DEFAULT_GL_GROUP)).toBe(true);
    expect(groups.size).toBeGreaterThan(1);
    expect(run!.countCreated).toBe(accounts.length + codes.length);

    const conn = await connection();
    expect(conn.readiness).toBe("ready");
    expect(conn.readinessCheckedAt).not.toBeNull();
  });

  it("a second run creates nothing", async () => {
    const before = await h.t.db.select().from(glAccounts);
    const runId = await h.sync("reference_data");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run).toMatchObject({ state: "succeeded", countCreated: 0 });
    expect(await h.t.db.select().from(glAccounts)).toHaveLength(before.length);
  });

  it("a GL code in use with no mapping makes the connection not ready, naming the code", async () => {
    const [invoice] = await h.t.db
      .insert(invoices)
      .values({
        connectionId: h.connectionId,
        sysproSupplierCode: "S1",
        invoiceNumber: "INV-1",
        amount: "10.00",
        externalInvoiceId: "test-ext-1",
      })
      .returning();
    await h.t.db.insert(invoiceLines).values({
      invoiceId: invoice!.id,
      lineNumber: 1,
      sysproGlCode: "NO-SUCH-MAPPING",
      amount: "10.00",
    });
    await h.sync("reference_data");
    const conn = await connection();
    expect(conn.readiness).toBe("not_ready");
    const report = conn.readinessReport as ReadinessReport;
    expect(report.ready).toBe(false);
    expect(report.unmapped.map((u) => u.glCode)).toEqual(["NO-SUCH-MAPPING"]);
  });
});
