import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  auditEvents,
  exceptions,
  invoices,
  payments,
  postings,
  syncRuns,
} from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { replayTransaction, triggerSync } from "../../src/sync/commands/sync-runs.js";
import { RESOLVED_BY_LATER_SYNC } from "../../src/sync/flows/run-context.js";
import { paymentReference } from "../../src/sync/references.js";
import { glCodesByUse, mapGlCode, mapGlCodes } from "./gl-mapping-setup.js";
import { startSyncHarness } from "./harness.js";
import { advanceUntilPaid, approveTwoInvoices, preparePayments } from "./payment-setup.js";

import type { SyncKind } from "../../src/glossary.js";
import type { SyncHarness } from "./harness.js";
import type { InvoiceRow } from "./payment-setup.js";

/**
 * What happens after a record moved: its open exceptions are resolved by the run that moved it,
 * and replaying a payment's posting or reversal that is already in SYSPRO changes nothing.
 */
describe("sync:run follow-ups of a successful move", () => {
  let h: SyncHarness;
  let unmapped: string;
  let paid: InvoiceRow[];
  let avidPaymentId: string;

  beforeAll(async () => {
    h = await startSyncHarness();
    await preparePayments(h);
    unmapped = glCodesByUse(h)[0]!;
    await h.sync("suppliers");
    await mapGlCodes(h, unmapped);
  });
  afterAll(async () => {
    await h?.close();
  });

  const fullSync = async (kind: SyncKind) => {
    const { run } = await triggerSync(h.t.db, createJobQueue(), {
      connectionId: h.connectionId,
      kind,
      dryRun: false,
      fullResync: true,
      force: true,
      actor: "test",
    });
    await h.drain();
    const [row] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
    expect(row?.state).toBe("succeeded");
  };
  const exceptionsOf = (subjectId: string) =>
    h.t.db.select().from(exceptions).where(eq(exceptions.subjectId, subjectId));
  const resolvedAudits = (exceptionId: string) =>
    h.t.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.type, "exception.resolved"), eq(auditEvents.subjectId, exceptionId)),
      );
  const replay = async (transactionId: string, dryRun: boolean) => {
    const { run } = await replayTransaction(h.t.db, createJobQueue(), {
      transactionId,
      dryRun,
      actor: "test",
    });
    await h.drain();
    const [done] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
    return done?.plan as { outcome: string; detail: string } | undefined;
  };

  it("resolves an invoice's UNMAPPED_GL once its code is mapped and it is sent", async () => {
    await h.sync("invoices");
    const open = (await h.t.db.select().from(exceptions)).filter(
      (e) => e.reasonCode === "UNMAPPED_GL" && e.state === "open",
    );
    expect(open.length).toBeGreaterThan(0);
    const held = open[0]!;

    await mapGlCode(h, unmapped);
    await fullSync("invoices");
    const [invoice] = await h.t.db.select().from(invoices).where(eq(invoices.id, held.subjectId));
    expect(invoice?.avidInvoiceId).not.toBeNull();
    const [after] = await exceptionsOf(held.subjectId);
    expect(after).toMatchObject({
      id: held.id,
      state: "resolved",
      actor: "worker",
      resolutionNote: RESOLVED_BY_LATER_SYNC,
    });
    expect(after?.resolvedAt).not.toBeNull();
    const audits = await resolvedAudits(held.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: "worker", connectionId: h.connectionId });
    expect(audits[0]?.data).toMatchObject({
      note: RESOLVED_BY_LATER_SYNC,
      reasonCode: "UNMAPPED_GL",
    });
    // Every invoice held for that code is resolved, none left open.
    const still = (await h.t.db.select().from(exceptions)).filter(
      (e) => e.reasonCode === "UNMAPPED_GL" && e.state === "open",
    );
    expect(still).toEqual([]);
  });

  it("resolves a payment's exception once it posts after its cause was fixed", async () => {
    paid = await approveTwoInvoices(h);
    const remote = advanceUntilPaid(h, paid[0]!);
    avidPaymentId = String(remote["PaymentId"]);
    // SYSPRO shows less open than the payment settles: held.
    for (const i of paid) {
      h.syspro.control.updateRows(
        "ApInvoice",
        { Supplier: i.sysproSupplierCode, Invoice: i.invoiceNumber },
        { MthInvBal1: "0.01" },
      );
    }
    await h.sync("payments");
    const [row] = await h.t.db
      .select()
      .from(payments)
      .where(eq(payments.avidPaymentId, avidPaymentId));
    expect(row?.postingState).toBe("exception");
    const held = (await exceptionsOf(row!.id)).filter((e) => e.state === "open");
    expect(held.map((e) => e.reasonCode)).toContain("PAYMENT_ABOVE_OPEN_BALANCE");

    for (const i of paid) {
      h.syspro.control.updateRows(
        "ApInvoice",
        { Supplier: i.sysproSupplierCode, Invoice: i.invoiceNumber },
        { MthInvBal1: i.amount },
      );
    }
    await fullSync("payments");
    const [posted] = await h.t.db
      .select()
      .from(payments)
      .where(eq(payments.avidPaymentId, avidPaymentId));
    expect(posted?.postingState).toBe("posted");
    const after = await exceptionsOf(row!.id);
    expect(after.filter((e) => e.state === "open")).toEqual([]);
    for (const e of held) {
      expect(after.find((a) => a.id === e.id)).toMatchObject({
        state: "resolved",
        resolutionNote: RESOLVED_BY_LATER_SYNC,
      });
      expect(await resolvedAudits(e.id)).toHaveLength(1);
    }
  });

  it("replays a posted payment.post and a posted payment.reverse as no-ops", async () => {
    const ledger = () =>
      h.t.db.select().from(postings).where(eq(postings.avidPaymentId, avidPaymentId));
    const post = (await ledger()).find((p) => p.kind === "payment")!;
    const sysproPosts = (since: number) =>
      h.syspro.control.requests(since).filter((r) => r.operation.startsWith("Transaction/Post"));
    let seq = h.syspro.control.snapshot().requests;
    expect(await replay(post.transactionId, true)).toMatchObject({ outcome: "noop" });
    expect(await replay(post.transactionId, false)).toMatchObject({ outcome: "noop" });
    expect(sysproPosts(seq)).toHaveLength(0);

    h.avid.control.voidPayment(Number(avidPaymentId));
    await h.sync("payments");
    const reversals = (await ledger()).filter((p) => p.kind === "reversal");
    expect(reversals.length).toBe(paid.length);
    expect(reversals.every((p) => p.state === "posted")).toBe(true);
    const reference = paymentReference(avidPaymentId, "reversal");
    const journals = () =>
      h.syspro.control.rows("GenJournalCtl", { JournalReference: reference }, 100);
    expect(journals()).toHaveLength(1);
    // The reversal's own follow-up is raised by its success, not resolved by it.
    const followUps = (await exceptionsOf(post.paymentId!)).filter(
      (e) => e.reasonCode === "REVERSAL_AP_REVIEW",
    );
    expect(followUps.map((e) => e.state)).toEqual(["open"]);

    seq = h.syspro.control.snapshot().requests;
    const reverse = reversals[0]!.transactionId;
    const dry = await replay(reverse, true);
    expect(dry).toMatchObject({ outcome: "noop" });
    expect(dry?.detail).toContain("already applied");
    expect(await replay(reverse, false)).toMatchObject({ outcome: "noop" });
    expect(sysproPosts(seq)).toHaveLength(0);
    expect(journals()).toHaveLength(1);
  });
});
