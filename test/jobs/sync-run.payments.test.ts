import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  auditEvents,
  connections,
  exceptions,
  glAccounts,
  glMappings,
  invoiceLines,
  invoices,
  paymentApplications,
  payments,
  postings,
  syncRuns,
  transactions,
} from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { replayTransaction } from "../../src/sync/commands/sync-runs.js";
import { paymentReference } from "../../src/sync/references.js";
import { isTransactionId } from "../../src/sync/transaction-id.js";
import { startSyncHarness } from "./harness.js";

import type { SyncHarness } from "./harness.js";

const HOUR = 3_600_000;

type Wire = Record<string, unknown>;
interface Sent {
  readonly id: string;
  readonly avidId: number;
  readonly externalId: string;
  readonly supplier: string;
  readonly invoice: string;
  readonly amount: string;
  readonly glCode: string;
}

const cents = (value: unknown) => Math.round(Number(value) * 100);
const statusOf = (p: Wire) => (p["Status"] as { Description: string }).Description;
const remitted = (p: Wire) =>
  (p["Remittance"] as { ExternalInvoiceId: string | null }[]).map((r) => r.ExternalInvoiceId);
const AT_OR_PAST_FUNDS = new Set([
  "Funds Received",
  "Sent to Check Printer",
  "ACH Credit Issued",
  "VCC Processing",
  "Issued to Supplier",
]);

describe("sync:run payments → SYSPRO ledger", () => {
  let h: SyncHarness;
  let first: Sent[];
  let others: Sent[];
  let apControl: string;
  let bankGl: string;

  beforeAll(async () => {
    h = await startSyncHarness();
    // Simulated time a few days behind real time, so the flow's windows (up to our tomorrow) cover
    // it; the connection dates from then, as if it had sent these invoices when they were made.
    const today = new Date();
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 4, 16);
    h.avid.control.setTime(start);
    h.avid.control.setProbabilities({
      reject: 0,
      hold: 0,
      recode: 0,
      paymentHeld: 0,
      paymentError: 0,
      paymentVoid: 0,
    });
    const accounts = h.syspro.control.rows("GenMaster", {}, 10_000);
    const code = (prefix: string) =>
      String(accounts.find((a) => String(a["GlCode"]).startsWith(prefix))!["GlCode"]).trim();
    apControl = code("2000-");
    bankGl = code("1010-");
    await h.t.db
      .update(connections)
      .set({
        createdAt: new Date(start - HOUR),
        bankCode: "FB",
        apControlGl: apControl,
        bankClearingGl: bankGl,
      })
      .where(eq(connections.id, h.connectionId));

    await h.sync("suppliers");
    await h.sync("reference_data");
    await h.t.db.insert(glMappings).values([
      { connectionId: h.connectionId, kind: "segment", segmentIndex: 0 },
      {
        connectionId: h.connectionId,
        kind: "segment",
        segmentIndex: 1,
        dimensionGroup: "Department",
        priority: 1,
      },
    ]);
    await h.sync("invoices");

    // Invoices a payment can settle whole: fully open, one approver, every GL account postable.
    const active = new Set(
      (await h.t.db.select().from(glAccounts).where(eq(glAccounts.active, true))).map(
        (a) => a.glCode,
      ),
    );
    const rows = (
      await h.t.db.select().from(invoices).where(eq(invoices.connectionId, h.connectionId))
    ).filter((r) => r.avidInvoiceId !== null);
    const lines = await h.t.db
      .select()
      .from(invoiceLines)
      .where(
        inArray(
          invoiceLines.invoiceId,
          rows.map((r) => r.id),
        ),
      );
    const clean: Sent[] = rows
      .filter((r) => cents(r.amount) === cents(r.openBalance) && Number(r.amount) < 10_000)
      .flatMap((r) => {
        const own = lines.filter((l) => l.invoiceId === r.id);
        return own.length > 0 && own.every((l) => active.has(l.sysproGlCode))
          ? [
              {
                id: r.id,
                avidId: Number(r.avidInvoiceId),
                externalId: r.externalInvoiceId,
                supplier: r.sysproSupplierCode,
                invoice: r.invoiceNumber,
                amount: r.amount,
                glCode: own[0]!.sysproGlCode,
              },
            ]
          : [];
      });
    const bySupplier = new Map<string, Sent[]>();
    for (const s of clean) {
      bySupplier.set(s.supplier, [...(bySupplier.get(s.supplier) ?? []), s]);
    }
    const [supplier] = [...bySupplier].sort((a, b) => b[1].length - a[1].length)[0]!;
    // One multi-invoice payment is approved; every other invoice is rejected, so nothing else pays.
    first = bySupplier.get(supplier)!.slice(0, 3);
    others = clean.filter((s) => s.supplier !== supplier);
    expect(first.length).toBeGreaterThan(1);
    for (const r of rows) {
      h.avid.control.planInvoice(Number(r.avidInvoiceId), {
        decision: first.some((f) => f.id === r.id) ? "approve" : "reject",
      });
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  const remotePayments = () => h.avid.control.snapshot().payments;
  /** The lifecycle payment settling `invoice`, once it exists (the newest, if voided and repaid). */
  const paymentFor = (externalId: string) =>
    remotePayments()
      .filter((p) => p["Origin"] === "lifecycle" && remitted(p).includes(externalId))
      .at(-1);
  const advanceUntil = (done: () => boolean) => {
    for (let i = 0; i < 120 && !done(); i++) {
      h.avid.control.advance(HOUR);
    }
    expect(done()).toBe(true);
  };
  const paysOf = (reference: string) =>
    h.syspro.control.rows("ApInvoicePay", { PaymentReference: reference }, 10_000);
  const journalsOf = (reference: string) =>
    h.syspro.control.rows("GenJournalCtl", { JournalReference: reference }, 10_000);
  const balanceOf = (s: { supplier: string; invoice: string }) =>
    h.syspro.control.rows("ApInvoice", { Supplier: s.supplier, Invoice: s.invoice })[0]?.[
      "MthInvBal1"
    ];
  const paymentRow = async (avidPaymentId: string) =>
    (
      await h.t.db
        .select()
        .from(payments)
        .where(
          and(eq(payments.connectionId, h.connectionId), eq(payments.avidPaymentId, avidPaymentId)),
        )
    )[0];
  const ledgerOf = (avidPaymentId: string) =>
    h.t.db.select().from(postings).where(eq(postings.avidPaymentId, avidPaymentId));
  const exceptionsOf = (paymentId: string) =>
    h.t.db.select().from(exceptions).where(eq(exceptions.subjectId, paymentId));

  it("posts a payment at Funds Received once by APSTPM, with the remittance's amounts", async () => {
    // Not yet at the posting status: mirrored, nothing posted.
    advanceUntil(() => paymentFor(first[0]!.externalId) !== undefined);
    let remote = paymentFor(first[0]!.externalId)!;
    const avidPaymentId = String(remote["PaymentId"]);
    const reference = paymentReference(avidPaymentId, "payment");
    await h.sync("payments");
    expect(statusOf(remote)).toBe("Pending Approval");
    expect((await paymentRow(avidPaymentId))?.postingState).toBe("awaiting_status");
    expect(paysOf(reference)).toHaveLength(0);

    advanceUntil(() => AT_OR_PAST_FUNDS.has(statusOf(paymentFor(first[0]!.externalId)!)));
    remote = paymentFor(first[0]!.externalId)!;
    expect(remitted(remote).sort()).toEqual(first.map((f) => f.externalId).sort());
    const runId = await h.sync("payments");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run).toMatchObject({ state: "succeeded", countCreated: 1, countExceptions: 0 });

    // SYSPRO: one ApInvoicePay per invoice under our reference, each balance paid off.
    const pays = paysOf(reference);
    expect(pays.map((p) => String(p["Invoice"]).trim()).sort()).toEqual(
      first.map((f) => f.invoice).sort(),
    );
    for (const f of first) {
      expect(
        cents(pays.find((p) => String(p["Invoice"]).trim() === f.invoice)?.["PostValue"]),
      ).toBe(cents(f.amount));
      expect(cents(balanceOf(f))).toBe(0);
    }

    const row = await paymentRow(avidPaymentId);
    expect(row).toMatchObject({ postingState: "posted", status: statusOf(remote) });
    expect(isTransactionId(row?.transactionId ?? "")).toBe(true);
    const apps = await h.t.db
      .select()
      .from(paymentApplications)
      .where(eq(paymentApplications.paymentId, row!.id));
    expect(apps.map((a) => a.invoiceId).sort()).toEqual(first.map((f) => f.id).sort());
    const ledger = await ledgerOf(avidPaymentId);
    expect(ledger).toHaveLength(first.length);
    for (const p of ledger) {
      expect(p).toMatchObject({
        kind: "payment",
        state: "posted",
        method: "APSTPM",
        transactionId: row!.transactionId,
        attempts: 1,
      });
      expect(p.sysproReference).toBeTruthy();
    }
    const [audit] = await h.t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, "payment.posted"), eq(auditEvents.subjectId, row!.id)));
    expect(audit?.transactionId).toBe(row!.transactionId);
    expect(audit?.data).toMatchObject({ reference, method: "APSTPM", found: false });
    const [move] = await h.t.db
      .select()
      .from(transactions)
      .where(eq(transactions.id, row!.transactionId!));
    expect(move).toMatchObject({ kind: "payment.post", state: "succeeded" });
    expect(move?.input).toMatchObject({ payment: { paymentId: avidPaymentId } });

    // Run again, and once more after the payment moves on: still one posting.
    await h.sync("payments");
    h.avid.control.advance(6 * HOUR);
    await h.sync("payments");
    expect(paysOf(reference)).toHaveLength(first.length);
    expect(await ledgerOf(avidPaymentId)).toHaveLength(first.length);
  });

  it("holds an overpayment, another currency and an unknown invoice as exceptions; posts nothing", async () => {
    const [a, b] = others;
    const made = [
      h.avid.control.injectAnomaly({
        kind: "overpayment",
        invoiceIds: [a!.avidId],
        amount: "1.00",
      }),
      h.avid.control.injectAnomaly({ kind: "currency", invoiceIds: [b!.avidId] }),
      h.avid.control.injectAnomaly({ kind: "unknown-invoice", invoiceIds: [a!.avidId] }),
    ];
    const expected = ["PAYMENT_ABOVE_OPEN_BALANCE", "CURRENCY_MISMATCH", "UNKNOWN_INVOICE"];
    const balances = [a!, b!].map(balanceOf);
    const seq = h.syspro.control.requests().length;
    await h.sync("payments");
    // The page's payments had their invoices' balances read together, in one OData query.
    const balanceReads = h.syspro.control
      .requests(seq)
      .filter((r) => r.api === "odata" && r.operation === "ApInvoice");
    expect(balanceReads).toHaveLength(1);
    for (const [i, wire] of made.entries()) {
      const avidPaymentId = String(wire["PaymentId"]);
      const row = await paymentRow(avidPaymentId);
      expect(row?.postingState).toBe("exception");
      const raised = await exceptionsOf(row!.id);
      expect(raised.map((e) => e.reasonCode)).toContain(expected[i]);
      for (const e of raised) {
        expect(e.transactionId).toBe(row!.transactionId);
      }
      expect(await ledgerOf(avidPaymentId)).toHaveLength(0);
      expect(paysOf(paymentReference(avidPaymentId, "payment"))).toHaveLength(0);
    }
    expect([a!, b!].map(balanceOf)).toEqual(balances);
  });

  it("reverses a payment voided after posting once, by journal, with the AP follow-up", async () => {
    const remote = paymentFor(first[0]!.externalId)!;
    const avidPaymentId = String(remote["PaymentId"]);
    h.avid.control.voidPayment(Number(avidPaymentId));
    const reference = paymentReference(avidPaymentId, "reversal");
    await h.sync("payments");
    await h.sync("payments");

    const journals = journalsOf(reference);
    expect(journals).toHaveLength(1);
    const lines = h.syspro.control.rows(
      "GenJournalDetail",
      { Journal: String(journals[0]!["Journal"]), GlYear: String(journals[0]!["GlYear"]) },
      1_000,
    );
    const total = first.reduce((sum, f) => sum + cents(f.amount), 0);
    expect(lines.find((l) => String(l["GlCode"]).trim() === bankGl)?.["EntryValue"]).toSatisfy(
      (v: unknown) => cents(v) === total,
    );
    expect(
      lines
        .filter((l) => String(l["GlCode"]).trim() === apControl)
        .reduce((sum, l) => sum + cents(l["EntryValue"]), 0),
    ).toBe(-total);

    const row = await paymentRow(avidPaymentId);
    expect(row?.postingState).toBe("reversed");
    const reversals = (await ledgerOf(avidPaymentId)).filter((p) => p.kind === "reversal");
    expect(reversals).toHaveLength(first.length);
    expect(reversals.every((p) => p.state === "posted" && p.method === "GENTJL")).toBe(true);
    const audits = await h.t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, "payment.reversed"), eq(auditEvents.subjectId, row!.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.transactionId).toBe(reversals[0]?.transactionId);
    expect(audits[0]?.transactionId).not.toBe(row?.transactionId);
    const followUp = (await exceptionsOf(row!.id)).find(
      (e) => e.reasonCode === "REVERSAL_AP_REVIEW",
    );
    expect(followUp?.transactionId).toBe(reversals[0]?.transactionId);
  });

  it("posts by GENTJL when set, and never twice after SYSPRO applied a post whose answer was lost", async () => {
    await h.t.db
      .update(connections)
      .set({ postingMethod: "GENTJL" })
      .where(eq(connections.id, h.connectionId));
    // Two new invoices of two other suppliers, sent, approved and paid.
    const suppliers = [...new Set(others.map((o) => o.supplier))].slice(0, 2);
    expect(suppliers).toHaveLength(2);
    for (const supplier of suppliers) {
      const like = others.find((o) => o.supplier === supplier)!;
      h.syspro.control.addInvoice({
        Supplier: supplier,
        OrigInvValue: "480.25",
        distribution: [{ ExpenseGlCode: like.glCode, DistrValue: "480.25" }],
      });
    }
    await h.sync("invoices");
    const added = (
      await h.t.db.select().from(invoices).where(eq(invoices.connectionId, h.connectionId))
    ).filter((r) => suppliers.includes(r.sysproSupplierCode) && r.amount === "480.25");
    expect(added).toHaveLength(2);
    expect(added.every((r) => r.avidInvoiceId !== null)).toBe(true);
    advanceUntil(() =>
      added.every((r) => {
        const p = paymentFor(r.externalInvoiceId);
        return p !== undefined && AT_OR_PAST_FUNDS.has(statusOf(p));
      }),
    );
    const ids = added.map((r) => String(paymentFor(r.externalInvoiceId)!["PaymentId"]));

    const lostAnswer = (phase: "before" | "after") =>
      h.syspro.control.addFault({
        kind: "status",
        status: 503,
        api: "enet",
        operation: "Transaction/Post",
        businessObject: "GENTJL",
        phase,
      });
    // The first journal's request fails without being applied: its outcome is unknown to us.
    lostAnswer("before");
    await h.sync("payments");
    const states = await Promise.all(ids.map(async (id) => (await paymentRow(id))?.postingState));
    expect([...states].sort()).toEqual(["posted", "ready"]);
    const lost = ids[states.indexOf("ready")]!;
    const lostReference = paymentReference(lost, "payment");
    expect((await ledgerOf(lost)).every((p) => p.state === "unknown")).toBe(true);
    expect(journalsOf(lostReference)).toHaveLength(0);

    // The next run asks SYSPRO, finds nothing, and posts; this time SYSPRO applies it but the
    // answer is lost again.
    lostAnswer("after");
    await h.sync("payments");
    expect((await paymentRow(lost))?.postingState).toBe("ready");
    expect(journalsOf(lostReference)).toHaveLength(1);

    // The next run asks SYSPRO first, finds the journal, and does not post it again.
    await h.sync("payments");
    await h.sync("payments");
    for (const id of ids) {
      const reference = paymentReference(id, "payment");
      expect(journalsOf(reference)).toHaveLength(1);
      expect(paysOf(reference)).toHaveLength(0);
      const row = await paymentRow(id);
      expect(row?.postingState).toBe("posted");
      const ledger = await ledgerOf(id);
      expect(ledger.every((p) => p.state === "posted" && p.method === "GENTJL")).toBe(true);
      const journal = journalsOf(reference)[0]!;
      const lines = h.syspro.control.rows(
        "GenJournalDetail",
        { Journal: String(journal["Journal"]), GlYear: String(journal["GlYear"]) },
        1_000,
      );
      expect(lines.map((l) => [String(l["GlCode"]).trim(), cents(l["EntryValue"])]).sort()).toEqual(
        [
          [apControl, 48_025],
          [bankGl, -48_025],
        ].sort(),
      );
    }
    const [recovered] = await h.t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.type, "payment.posted"),
          eq(auditEvents.subjectId, (await paymentRow(lost))!.id),
        ),
      );
    expect(recovered?.data).toMatchObject({ found: true });
    // A GL journal leaves the AP sub-ledger to the site: the invoices stay open there.
    for (const r of added) {
      expect(cents(balanceOf({ supplier: r.sysproSupplierCode, invoice: r.invoiceNumber }))).toBe(
        48_025,
      );
    }
  });

  it("records a posting SYSPRO refuses as failed with an exception, and never retries it blindly", async () => {
    // A GENTJL payment from above is voided while the bank account is on hold in SYSPRO: the
    // reversal journal is refused there (a journal original needs no AP follow-up).
    const journaled = (await h.t.db.select().from(postings)).find(
      (p) => p.kind === "payment" && p.method === "GENTJL",
    )!;
    const avidPaymentId = journaled.avidPaymentId!;
    h.syspro.control.updateRows("GenMaster", { GlCode: bankGl }, { AccOnHldFlag: "Y" });
    h.avid.control.voidPayment(Number(avidPaymentId));
    const before = h.syspro.control.requests().length;
    await h.sync("payments");
    const posts = () =>
      h.syspro.control
        .requests(before)
        .filter((r) => r.operation === "Transaction/Post" && r.businessObject === "GENTJL");
    expect(posts()).toHaveLength(1);

    const row = await paymentRow(avidPaymentId);
    expect(row?.postingState).toBe("exception");
    const reversal = (await ledgerOf(avidPaymentId)).filter((p) => p.kind === "reversal");
    expect(reversal).toHaveLength(1);
    expect(reversal[0]).toMatchObject({ state: "failed", attempts: 1 });
    expect(reversal[0]?.error).toContain(bankGl);
    const raised = await exceptionsOf(row!.id);
    expect(raised.map((e) => e.reasonCode).sort()).toEqual(["REMOTE_REJECTED"]);
    expect(raised[0]?.transactionId).toBe(reversal[0]?.transactionId);
    expect(journalsOf(paymentReference(avidPaymentId, "reversal"))).toHaveLength(0);

    // Released, the account would take it, but a refused posting waits for a person.
    h.syspro.control.updateRows("GenMaster", { GlCode: bankGl }, { AccOnHldFlag: "N" });
    await h.sync("payments");
    expect(posts()).toHaveLength(1);
    expect((await ledgerOf(avidPaymentId)).filter((p) => p.kind === "reversal")).toMatchObject([
      { state: "failed", attempts: 1 },
    ]);
  });

  it("replays a payment.post: a no-op when posted; a held one posts once a person fixed the cause", async () => {
    const replay = async (transactionId: string, dryRun: boolean) => {
      const { run } = await replayTransaction(h.t.db, createJobQueue(), {
        transactionId,
        dryRun,
        actor: "test",
      });
      await h.drain();
      const [done] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
      return done?.plan as { outcome: string; detail: string; requests?: unknown[] } | undefined;
    };
    const sysproPosts = (since: number) =>
      h.syspro.control.requests(since).filter((r) => r.operation === "Transaction/Post");
    await h.t.db
      .update(connections)
      .set({ postingMethod: "APSTPM" })
      .where(eq(connections.id, h.connectionId));

    // The first payment is in SYSPRO: replaying it changes nothing.
    const posted = (await h.t.db.select().from(postings)).find(
      (p) => p.kind === "payment" && p.method === "APSTPM",
    )!;
    const seq = h.syspro.control.requests().length;
    expect(await replay(posted.transactionId, false)).toMatchObject({ outcome: "noop" });
    expect(sysproPosts(seq)).toHaveLength(0);

    // Voided, its invoices were paid again by AvidPay; SYSPRO had them settled, so that payment is
    // held. A dry run says so and writes nothing.
    // Self-contained: the repayment reaches the posting status (the earlier tests' clock moves
    // may or may not have taken it there) and a payments sync has seen it.
    advanceUntil(() => {
      const p = paymentFor(first[0]!.externalId);
      return (
        p !== undefined &&
        String(p["PaymentId"]) !== posted.avidPaymentId &&
        AT_OR_PAST_FUNDS.has(statusOf(p))
      );
    });
    await h.sync("payments");
    const repaid = paymentFor(first[0]!.externalId)!;
    expect(String(repaid["PaymentId"])).not.toBe(posted.avidPaymentId);
    expect(AT_OR_PAST_FUNDS.has(statusOf(repaid))).toBe(true);
    const avidPaymentId = String(repaid["PaymentId"]);
    const row = (await paymentRow(avidPaymentId))!;
    expect(row.postingState).toBe("exception");
    const held = await exceptionsOf(row.id);
    expect(held.map((e) => e.reasonCode)).toContain("PAYMENT_ABOVE_OPEN_BALANCE");
    const dry = await replay(row.transactionId!, true);
    expect(dry).toMatchObject({ outcome: "failed" });
    expect(dry?.detail).toContain("PAYMENT_ABOVE_OPEN_BALANCE");
    expect(await exceptionsOf(row.id)).toEqual(held);

    // A person voids the cheque in SYSPRO AP (the REVERSAL_AP_REVIEW follow-up), reopening the
    // invoices; the replay now posts the payment, once.
    for (const f of first) {
      h.syspro.control.updateRows(
        "ApInvoice",
        { Supplier: f.supplier, Invoice: f.invoice },
        { MthInvBal1: f.amount },
      );
    }
    const planned = await replay(row.transactionId!, true);
    expect(planned).toMatchObject({ outcome: "would_apply" });
    expect(planned?.requests).toHaveLength(1);
    expect(sysproPosts(seq)).toHaveLength(0);
    expect(await replay(row.transactionId!, false)).toMatchObject({ outcome: "applied" });
    expect(await replay(row.transactionId!, false)).toMatchObject({ outcome: "noop" });
    const reference = paymentReference(avidPaymentId, "payment");
    expect(paysOf(reference)).toHaveLength(first.length);
    for (const f of first) {
      expect(cents(balanceOf(f))).toBe(0);
    }
    expect((await paymentRow(avidPaymentId))?.postingState).toBe("posted");
    const [audit] = await h.t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, "payment.posted"), eq(auditEvents.subjectId, row.id)));
    expect(audit?.transactionId).toBe(row.transactionId);
  });

  it("puts the transaction id on every audit event of a payment", async () => {
    const paymentIds = (
      await h.t.db.select().from(payments).where(eq(payments.connectionId, h.connectionId))
    ).map((p) => p.id);
    const audits = (await h.t.db.select().from(auditEvents)).filter(
      (a) => a.subjectType === "payment" && paymentIds.includes(a.subjectId ?? ""),
    );
    expect(audits.length).toBeGreaterThan(0);
    for (const a of audits) {
      expect(isTransactionId(a.transactionId ?? "")).toBe(true);
    }
    expect(new Set(audits.map((a) => a.type))).toEqual(
      new Set([
        "payment.posted",
        "payment.reversed",
        "payment.posting_unknown",
        "exception.raised",
      ]),
    );
  });
});
