import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  auditEvents,
  exceptions,
  invoices,
  suppliers,
  syncRuns,
  transactions,
} from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { connectorsFor } from "../../src/sync/connectors-for.js";
import { replayTransaction } from "../../src/sync/commands/sync-runs.js";
import { mapGlCodes } from "./gl-mapping-setup.js";
import { startSyncHarness } from "./harness.js";

import type { SyncHarness } from "./harness.js";

describe("transaction:replay", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await h.sync("suppliers");
    await mapGlCodes(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Replays through the operator command and works the queue; returns the replay's run. */
  const replay = async (transactionId: string, dryRun: boolean) => {
    const { run } = await replayTransaction(h.t.db, createJobQueue(), {
      transactionId,
      dryRun,
      actor: "test",
    });
    await h.drain();
    const [row] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
    return row!;
  };
  const posts = (path: string) =>
    h.avid.control.requests({ method: "POST" }).filter((r) => r.path.startsWith(path));
  const replayed = (transactionId: string) =>
    h.t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.type, "transaction.replayed"),
          eq(auditEvents.transactionId, transactionId),
        ),
      )
      .orderBy(asc(auditEvents.id));

  it("an applied vendor upsert replays as a no-op that says so and sends nothing", async () => {
    const [applied] = await h.t.db
      .select()
      .from(transactions)
      .where(and(eq(transactions.kind, "vendor.upsert"), eq(transactions.state, "succeeded")))
      .orderBy(asc(transactions.id))
      .limit(1);
    h.avid.control.clearRequests();
    const run = await replay(applied!.id, false);
    expect(run).toMatchObject({
      state: "succeeded",
      kind: "suppliers",
      replayTransactionId: applied!.id,
      plan: { outcome: "noop", transactionId: applied!.id, dryRun: false },
    });
    expect((run.plan as { detail: string }).detail).toMatch(/already applied/);
    expect(posts("/v1/vendors")).toHaveLength(0);
    const [event] = await replayed(applied!.id);
    expect(event?.data).toMatchObject({ outcome: "noop", runId: run.id });
  });

  it("a vendor upsert that did not land re-sends once, onto the same vendor", async () => {
    const [t] = await h.t.db
      .select()
      .from(transactions)
      .where(and(eq(transactions.kind, "vendor.upsert"), eq(transactions.state, "succeeded")))
      .orderBy(asc(transactions.id))
      .limit(1);
    // As if the send failed before our record of it: no hash, no id, the transaction not applied.
    await h.t.db.update(transactions).set({ state: "exception" }).where(eq(transactions.id, t!.id));
    await h.t.db
      .update(suppliers)
      .set({ lastSentHash: null, avidVendorId: null, syncState: "exception" })
      .where(eq(suppliers.id, t!.subjectId!));
    // AvidXchange does not hold what the transaction sends (else the replay is a no-op).
    const code = (t!.input as { supplier: { Supplier: string } }).supplier.Supplier.trim();
    const remoteTelephone = () =>
      h.avid.control.snapshot().vendors.find((v) => v["ExternalVendorCode"] === code)?.[
        "Telephone1"
      ];
    const sent = remoteTelephone();
    const connectors = await connectorsFor({ ...h.deps, ...h.deps.connectors }, h.connectionId);
    try {
      await connectors.avid.vendors.upsert([
        { ExternalVendorCode: code, Name: "Someone Else", Telephone1: "555-0000" },
      ]);
    } finally {
      await connectors.close();
    }
    const vendors = h.avid.control.snapshot().vendors.length;
    h.avid.control.clearRequests();
    const run = await replay(t!.id, false);
    expect(run).toMatchObject({ state: "succeeded", plan: { outcome: "applied" } });
    expect(posts("/v1/vendors")).toHaveLength(1);
    expect(h.avid.control.snapshot().vendors.length).toBe(vendors);
    expect(remoteTelephone()).toBe(sent);
    const [row] = await h.t.db.select().from(suppliers).where(eq(suppliers.id, t!.subjectId!));
    expect(row).toMatchObject({ syncState: "synced" });
    expect(row!.avidVendorId).not.toBeNull();
    const [moved] = await h.t.db.select().from(transactions).where(eq(transactions.id, t!.id));
    expect(moved?.state).toBe("succeeded");
  });

  it("an invoice whose send failed: dry run plans it, replay sends it once, again is a no-op", async () => {
    // AvidXchange is down for invoice posts: the run records its intents and then fails.
    const fault = h.avid.control.addFault({
      kind: "status",
      status: 503,
      path: "/v1/invoices",
      method: "POST",
      persistent: true,
    });
    await h.sync("invoices");
    await h.t.sql`select graphile_worker.permanently_fail_jobs(
      array(select id from graphile_worker.jobs where task_identifier = 'sync:run'), 'test')`;
    h.avid.control.clearFaults(fault);
    const [pending] = await h.t.db
      .select()
      .from(transactions)
      .where(and(eq(transactions.kind, "invoice.send"), eq(transactions.state, "pending")))
      .orderBy(asc(transactions.id))
      .limit(1);
    expect(pending).toBeDefined();
    const [row] = await h.t.db
      .select()
      .from(invoices)
      .where(eq(invoices.transactionId, pending!.id));
    expect(row?.avidInvoiceId).toBeNull();
    const remoteCopies = () =>
      h.avid.control
        .snapshot()
        .invoices.filter((i) => i["ExternalInvoiceId"] === row!.externalInvoiceId);
    expect(remoteCopies()).toHaveLength(0);

    // Dry run: the request and GL lines it would send; no AvidXchange write, no row changed.
    const state = async () => ({
      invoices: await h.t.db.select().from(invoices).orderBy(asc(invoices.id)),
      transactions: await h.t.db.select().from(transactions).orderBy(asc(transactions.id)),
      exceptions: await h.t.db.select().from(exceptions).orderBy(asc(exceptions.id)),
      audits: (await h.t.db.select().from(auditEvents)).length,
    });
    const before = await state();
    h.avid.control.clearRequests();
    const dry = await replay(pending!.id, true);
    expect(dry.state).toBe("succeeded");
    const plan = dry.plan as {
      outcome: string;
      requests: { system: string; operation: string; body: Record<string, unknown> }[];
      glLines: { sysproGlCode: string; glCode: string }[];
    };
    expect(plan.outcome).toBe("would_apply");
    expect(plan.requests).toHaveLength(1);
    expect(plan.requests[0]).toMatchObject({
      system: "avidxchange",
      operation: "invoices.post",
      body: { ExternalInvoiceId: row!.externalInvoiceId, TransactionId: pending!.id },
    });
    expect(plan.glLines.length).toBeGreaterThan(0);
    expect(h.avid.control.requests({ method: "POST" })).toHaveLength(0);
    // The dry run's own run row is the only change (the replay command's audit predates it).
    const after = await state();
    expect(after.invoices).toEqual(before.invoices);
    expect(after.transactions).toEqual(before.transactions);
    expect(after.exceptions).toEqual(before.exceptions);
    expect(after.audits).toBe(before.audits + 1);
    expect(await replayed(pending!.id)).toHaveLength(0);

    // A real replay sends it exactly once, under the same transaction id.
    const live = await replay(pending!.id, false);
    expect(live).toMatchObject({ state: "succeeded", plan: { outcome: "applied" } });
    expect(posts("/v1/invoices")).toHaveLength(1);
    expect(remoteCopies()).toHaveLength(1);
    expect(remoteCopies()[0]?.["TransactionId"]).toBe(pending!.id);
    const [sentRow] = await h.t.db.select().from(invoices).where(eq(invoices.id, row!.id));
    expect(sentRow).toMatchObject({ syncState: "synced" });
    expect(sentRow!.avidInvoiceId).not.toBeNull();
    const [moved] = await h.t.db
      .select()
      .from(transactions)
      .where(eq(transactions.id, pending!.id));
    expect(moved?.state).toBe("succeeded");

    // Replayed again: applied already, so nothing is sent.
    const again = await replay(pending!.id, false);
    expect(again).toMatchObject({ state: "succeeded", plan: { outcome: "noop" } });
    expect((again.plan as { detail: string }).detail).toMatch(/already applied/);
    expect(posts("/v1/invoices")).toHaveLength(1);
    expect(remoteCopies()).toHaveLength(1);
    expect(
      (await replayed(pending!.id)).map((e) => (e.data as { outcome: string }).outcome),
    ).toEqual(["applied", "noop"]);
  });

  it("a superseded vendor upsert is a no-op: the older input would undo the newer", async () => {
    const [first] = await h.t.db
      .select()
      .from(transactions)
      .where(and(eq(transactions.kind, "vendor.upsert"), eq(transactions.state, "succeeded")))
      .orderBy(asc(transactions.id))
      .limit(1);
    const code = (first!.input as { supplier: { Supplier: string } }).supplier.Supplier.trim();
    h.syspro.control.updateRows("ApSupplier", { Supplier: code }, { Telephone: "555-0142" });
    await h.sync("suppliers");
    h.avid.control.clearRequests();
    const run = await replay(first!.id, false);
    expect(run).toMatchObject({ state: "succeeded", plan: { outcome: "noop" } });
    expect((run.plan as { detail: string }).detail).toMatch(/superseded/);
    expect(posts("/v1/vendors")).toHaveLength(0);
  });
});
