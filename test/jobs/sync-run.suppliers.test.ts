import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  auditEvents,
  connections,
  exceptions,
  suppliers,
  syncRuns,
  transactions,
} from "../../src/db/schema/index.js";
import { connectorsFor } from "../../src/sync/connectors-for.js";
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
    // The sandbox also holds a few vendors that exist only in AvidXchange: held by default policy.
    const onlyInAvid = vendorCount();
    const runId = await h.sync("suppliers");

    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    const supplierCount = run!.countRead;
    expect(supplierCount).toBeGreaterThan(5);
    expect(run).toMatchObject({
      state: "succeeded",
      countRead: supplierCount,
      countCreated: supplierCount,
      countExceptions: onlyInAvid,
    });
    const held = await h.t.db
      .select()
      .from(exceptions)
      .where(eq(exceptions.reasonCode, "VENDOR_NOT_IN_SYSPRO"));
    expect(held.map((e) => e.subjectRef).sort()).toEqual(["AVX0001", "AVX0002", "AVX0003"]);
    expect(held.every((e) => e.subjectType === "vendor" && e.state === "open")).toBe(true);
    expect(h.syspro.control.rows("ApSupplier", { Supplier: "AVX0001" })).toHaveLength(0);
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

describe("vendors only in AvidXchange, policy CREATE_IN_SYSPRO", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await h.t.db
      .update(connections)
      .set({ vendorDirectionPolicy: "CREATE_IN_SYSPRO" })
      .where(eq(connections.id, h.connectionId));
  });
  afterAll(async () => {
    await h?.close();
  });

  const supplierSetups = () =>
    h.syspro.control.requests().filter((r) => r.businessObject === "APSSSP").length;

  it("creates each missing SYSPRO supplier once (validated first), across two runs", async () => {
    await h.sync("suppliers");
    for (const code of ["AVX0001", "AVX0002", "AVX0003"]) {
      const rows = h.syspro.control.rows("ApSupplier", { Supplier: code });
      expect(rows).toHaveLength(1);
    }
    expect(h.syspro.control.rows("ApSupplier", { Supplier: "AVX0002" })[0]).toMatchObject({
      SupplierName: "Redline Courier Services",
    });
    // ValidateOnly, then the post: two APSSSP calls per supplier.
    expect(supplierSetups()).toBe(6);
    const created = await h.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "supplier.created"));
    expect(created).toHaveLength(3);
    const moves = await h.t.db
      .select()
      .from(transactions)
      .where(eq(transactions.kind, "supplier.create"));
    expect(moves.map((m) => m.state)).toEqual(["succeeded", "succeeded", "succeeded"]);

    const vendorsBefore = h.avid.control.snapshot().vendors.length;
    await h.sync("suppliers");
    expect(supplierSetups()).toBe(6);
    for (const code of ["AVX0001", "AVX0002", "AVX0003"]) {
      expect(h.syspro.control.rows("ApSupplier", { Supplier: code })).toHaveLength(1);
    }
    // The new suppliers now pair with their existing vendors: no second vendor either.
    expect(h.avid.control.snapshot().vendors.length).toBe(vendorsBefore);
    const held = await h.t.db.select().from(exceptions);
    expect(held).toHaveLength(0);
  });
});

describe("both sides changed the same vendor field", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("SYSPRO wins and the difference is audited as vendor.conflict", async () => {
    await h.sync("suppliers");
    const [row] = await h.t.db
      .select()
      .from(suppliers)
      .where(and(eq(suppliers.connectionId, h.connectionId), isNotNull(suppliers.avidVendorId)))
      .limit(1);
    const code = row!.sysproCode;
    // A person edits the vendor's telephone in AvidXchange, another the supplier's in SYSPRO.
    const connectors = await connectorsFor({ ...h.deps, ...h.deps.connectors }, h.connectionId);
    try {
      const remote = h.avid.control
        .snapshot()
        .vendors.find((v) => v["ExternalVendorCode"] === code)!;
      const [result] = await connectors.avid.vendors.upsert([
        {
          ExternalVendorCode: code,
          Name: String(remote["Name"]),
          Telephone1: "555-0100",
        },
      ]);
      expect(result?.ok).toBe(true);
    } finally {
      await connectors.close();
    }
    expect(
      h.syspro.control.updateRows("ApSupplier", { Supplier: code }, { Telephone: "555-0199" }),
    ).toBe(1);

    await h.sync("suppliers");
    const vendor = h.avid.control.snapshot().vendors.find((v) => v["ExternalVendorCode"] === code);
    expect(vendor?.["Telephone1"]).toBe("555-0199");
    const [conflict] = await h.t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, "vendor.conflict"), eq(auditEvents.subjectId, row!.id)));
    expect(conflict?.data).toMatchObject({
      winner: "syspro",
      conflicts: [{ field: "telephone", syspro: "555-0199", avidxchange: "555-0100" }],
    });
  });
});
