import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, suppliers, syncRuns, transactions } from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { isTransactionId } from "../../src/sync/transaction-id.js";
import { startSyncHarness } from "./harness.js";

import type { SyncHarness } from "./harness.js";

describe("sync:run suppliers → vendors", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const vendorCount = () => h.avid.control.snapshot().vendors.length;
  const vendorPosts = () => h.avid.control.requests({ method: "POST", path: "/v1/vendors" }).length;

  it("creates one vendor per supplier, with counts, audit events and transaction ids", async () => {
    // The sandbox also holds a few vendors that exist only in AvidXchange.
    const onlyInAvid = vendorCount();
    const runId = await h.sync("suppliers");

    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    const supplierCount = run!.countRead;
    expect(supplierCount).toBeGreaterThan(5);
    expect(run).toMatchObject({
      state: "succeeded",
      countRead: supplierCount,
      countCreated: supplierCount,
      countExceptions: 0,
    });
    expect(vendorCount()).toBe(onlyInAvid + supplierCount);
    const rows = await h.t.db
      .select()
      .from(suppliers)
      .where(and(eq(suppliers.connectionId, h.connectionId), isNotNull(suppliers.avidVendorId)));
    expect(rows).toHaveLength(supplierCount);

    const created = await h.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "vendor.created"));
    expect(created).toHaveLength(supplierCount);
    for (const event of created) {
      expect(isTransactionId(event.transactionId ?? "")).toBe(true);
    }
    const moves = await h.t.db
      .select()
      .from(transactions)
      .where(eq(transactions.kind, "vendor.upsert"));
    expect(new Set(moves.map((m) => m.id))).toEqual(new Set(created.map((e) => e.transactionId)));
  });

  it("a second run sends nothing: every supplier is unchanged", async () => {
    const posts = vendorPosts();
    const before = vendorCount();
    const runId = await h.sync("suppliers");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run).toMatchObject({ state: "succeeded", countCreated: 0, countUpdated: 0 });
    expect(run!.countUnchanged).toBe(run!.countRead);
    expect(vendorPosts()).toBe(posts);
    expect(vendorCount()).toBe(before);
  });

  it("a lost commit (remote accepted, our record gone) re-sends without a second vendor", async () => {
    const before = vendorCount();
    // As if the worker died after AvidXchange accepted the upserts but before our commit.
    await h.t.db.delete(suppliers).where(eq(suppliers.connectionId, h.connectionId));
    await h.sync("suppliers");
    expect(vendorCount()).toBe(before);
    const rows = await h.t.db
      .select()
      .from(suppliers)
      .where(eq(suppliers.connectionId, h.connectionId));
    expect(rows.every((r) => r.avidVendorId !== null && r.syncState === "synced")).toBe(true);
  });
});

describe("sync:run delivered twice", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a finished run's job delivered again changes nothing and calls no one", async () => {
    const runId = await h.sync("suppliers");
    const requests = h.avid.control.requests().length;
    const events = await h.t.db.select().from(auditEvents);
    await createJobQueue().add(h.t.db, "sync:run", { runId });
    await h.drain();
    expect(h.avid.control.requests().length).toBe(requests);
    expect(await h.t.db.select().from(auditEvents)).toHaveLength(events.length);
  });
});
