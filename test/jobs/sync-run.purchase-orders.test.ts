import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, purchaseOrders, syncRuns, transactions } from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { isTransactionId } from "../../src/sync/transaction-id.js";
import { startSyncHarness } from "./harness.js";

import type { SyncHarness } from "./harness.js";

describe("sync:run purchase_orders → AvidXchange", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await h.sync("suppliers");
  });
  afterAll(async () => {
    await h?.close();
  });

  const remotePos = () => h.avid.control.snapshot().purchaseOrders;
  const rows = () =>
    h.t.db.select().from(purchaseOrders).where(eq(purchaseOrders.connectionId, h.connectionId));

  it("upserts every PO once by PO number, with audit events and transaction ids", async () => {
    const before = remotePos().length;
    const runId = await h.sync("purchase_orders");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run?.state).toBe("succeeded");
    const synced = (await rows()).filter((r) => r.syncState === "synced");
    expect(synced.length).toBeGreaterThan(0);
    expect(run!.countCreated).toBe(synced.length);
    const codes = remotePos().map((p) => String(p["ExternalCode"]));
    expect(new Set(codes).size).toBe(codes.length);
    expect(remotePos().length - before).toBe(synced.length);
    for (const r of synced) {
      expect(codes).toContain(r.poNumber);
    }
    const sent = await h.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "purchase_order.sent"));
    expect(sent).toHaveLength(synced.length);
    for (const a of sent) {
      expect(isTransactionId(a.transactionId ?? "")).toBe(true);
    }
    const moves = await h.t.db
      .select()
      .from(transactions)
      .where(
        and(eq(transactions.kind, "purchase_order.upsert"), eq(transactions.state, "succeeded")),
      );
    expect(moves).toHaveLength(synced.length);
  });

  it("a second run and a job delivered twice send nothing", async () => {
    const posts = h.avid.control.requests({ method: "POST" }).length;
    const count = remotePos().length;
    const runId = await h.sync("purchase_orders");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run).toMatchObject({ state: "succeeded", countCreated: 0, countUpdated: 0 });
    await createJobQueue().add(h.t.db, "sync:run", { runId });
    await h.drain();
    expect(h.avid.control.requests({ method: "POST" }).length).toBe(posts);
    expect(remotePos().length).toBe(count);
  });
});
