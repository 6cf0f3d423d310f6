import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  auditEvents,
  purchaseOrderLines,
  purchaseOrders,
  syncRuns,
  transactions,
} from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { extendToCents, formatCents } from "../../src/sync/money.js";
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

  it("mirrors every PorMasterDetail line of each PO", async () => {
    const pos = await rows();
    expect(pos.length).toBeGreaterThan(0);
    const lines = await h.t.db.select().from(purchaseOrderLines);
    for (const po of pos) {
      const detail = h.syspro.control.rows("PorMasterDetail", { PurchaseOrder: po.poNumber });
      const mine = lines
        .filter((l) => l.purchaseOrderId === po.id)
        .sort((a, b) => a.lineNumber - b.lineNumber);
      expect(mine.map((l) => l.lineNumber)).toEqual(
        detail.map((d) => Number(d["Line"])).sort((a, b) => a - b),
      );
      for (const l of mine) {
        const d = detail.find((x) => Number(x["Line"]) === l.lineNumber)!;
        expect(l.stockCode).toBe(String(d["MStockCode"]).trim() || null);
        expect(l.glCode).toBe(String(d["MGlCode"]).trim() || null);
        expect(Number(l.quantity)).toBe(Number(d["MOrderQty"]));
        expect(Number(l.unitPrice)).toBe(Number(d["MPrice"]));
        expect(l.amount).toBe(
          formatCents(extendToCents(String(d["MOrderQty"]), String(d["MPrice"]))),
        );
      }
    }
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

  it("a changed line is updated in place, by PO and line number", async () => {
    const [latest] = (await rows()).sort((a, b) =>
      String(b.orderEntryDate).localeCompare(String(a.orderEntryDate)),
    );
    const [first] = h.syspro.control.rows("PorMasterDetail", { PurchaseOrder: latest!.poNumber });
    const line = String(first!["Line"]);
    const qty = String(Number(first!["MOrderQty"]) + 7);
    h.syspro.control.updateRows(
      "PorMasterDetail",
      { PurchaseOrder: latest!.poNumber, Line: line },
      { MOrderQty: qty },
    );
    const before = (await h.t.db.select().from(purchaseOrderLines)).length;
    await h.sync("purchase_orders");
    const after = await h.t.db
      .select()
      .from(purchaseOrderLines)
      .where(eq(purchaseOrderLines.purchaseOrderId, latest!.id));
    expect(Number(after.find((l) => l.lineNumber === Number(line))?.quantity)).toBe(Number(qty));
    expect((await h.t.db.select().from(purchaseOrderLines)).length).toBe(before);
  });
});
