/**
 * Issue 8, "Done when": the whole pipeline through graphile-worker jobs against both sandboxes,
 * checked against what the sandboxes themselves hold (their state and request logs), not only
 * against our own tables.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  UNMAPPED_ACCOUNTS,
  INACTIVE_AVID_ACCOUNT,
} from "../../sandboxes/reference-customer/index.js";
import {
  auditEvents,
  exceptions,
  invoiceLines,
  invoices,
  payments,
  postings,
  suppliers,
  transactions,
} from "../../src/db/schema/index.js";
import { isTransactionId } from "../../src/sync/transaction-id.js";
import { createE2eWorld, createInProcessDriver, playScenario } from "./scenario.js";

import type { E2eWorld, ScenarioRecord, SyncDriver } from "./scenario.js";

/** Reasons the invoice flow gives for a line it cannot map (unknown or inactive target). */
const MAPPING_REASONS = ["UNMAPPED_GL", "UNKNOWN_TARGET", "INACTIVE_TARGET"];
const cents = (amount: unknown): number => Math.round(Number(amount) * 100);

interface AvidPaymentView {
  id: number;
  status: string;
  origin: string;
  anomaly: string | null;
  currency: string;
  lines: { externalInvoiceId: string | null; amount: string }[];
}

describe("issue 8 end to end: SYSPRO ⇄ AvidXchange through graphile-worker", () => {
  let world: E2eWorld;
  let driver: SyncDriver;
  let record: ScenarioRecord;
  beforeAll(async () => {
    world = await createE2eWorld();
    driver = await createInProcessDriver(world);
    record = await playScenario(world, driver);
  }, 80_000);
  afterAll(async () => {
    await driver?.close();
    await world?.close();
  });

  const db = () => world.t.db;
  const ourInvoices = () =>
    db().select().from(invoices).where(eq(invoices.connectionId, world.connectionId));
  const avidPayments = (): AvidPaymentView[] =>
    world.avid.control.snapshot().payments.map((p) => ({
      id: Number(p.PaymentId),
      status: (p.Status as { Description: string }).Description,
      origin: String(p.Origin),
      anomaly: (p.Anomaly as string | null) ?? null,
      currency: String(p.Currency),
      lines: (p.Remittance as { ExternalInvoiceId: string | null; Amount: number }[]).map((r) => ({
        externalInvoiceId: r.ExternalInvoiceId,
        amount: String(r.Amount),
      })),
    }));

  it("runs every stage through the worker and ends quiescent", () => {
    expect(record.flows).toEqual({ approvals: true, payments: true });
    for (const { run } of record.runs) {
      expect(run.state, `${run.kind}: ${run.error ?? ""}`).toBe("succeeded");
    }
    // The last settle round changed nothing and created nothing.
    const lastRound = record.runs.filter((r) => r.step === "settle").slice(-5);
    expect(lastRound.map((r) => r.run.countCreated)).toEqual([0, 0, 0, 0, 0]);
  });

  it("makes every SYSPRO supplier exactly one AvidXchange vendor", async () => {
    const supplierCodes = world.syspro.control
      .rows("ApSupplier", {}, 10_000)
      .map((s) => String(s.Supplier));
    expect(supplierCodes.length).toBeGreaterThan(5);
    const vendors = world.avid.control.snapshot().vendors;
    const mirrored = await db()
      .select()
      .from(suppliers)
      .where(eq(suppliers.connectionId, world.connectionId));
    expect(mirrored.map((s) => s.sysproCode).sort()).toEqual([...supplierCodes].sort());
    for (const code of supplierCodes) {
      const matches = vendors.filter((v) => v.ExternalVendorCode === code);
      expect(matches, code).toHaveLength(1);
      expect(mirrored.find((s) => s.sysproCode === code)?.avidVendorId).toBe(
        String(matches[0]!.VendorId),
      );
    }
    const created = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "vendor.created"));
    expect(created.map((a) => a.subjectId).sort()).toEqual(mirrored.map((s) => s.id).sort());
  });

  it("sends every fully mapped, balanced invoice to AvidXchange exactly once", async () => {
    const rows = await ourInvoices();
    const open = world.syspro.control
      .rows("ApInvoice", {}, 100_000)
      // Open before the scenario: still open, or paid by the scenario's postings.
      .filter(
        (r) =>
          cents(r.MthInvBal1) > 0 ||
          rows.some((i) => i.sysproSupplierCode === r.Supplier && i.invoiceNumber === r.Invoice),
      );
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(rows.length).toBe(open.length);

    const lines = await db().select().from(invoiceLines);
    const activeAvidGl = new Set(
      world.avid.control
        .snapshot()
        .enterpriseCodes.filter((c) => c.GroupName === "Accounting Codes" && c.IsActive === true)
        .map((c) => String(c.CodeValue)),
    );
    const avidInvoices = world.avid.control.snapshot().invoices;
    let sent = 0;
    for (const invoice of rows) {
      const own = lines.filter((l) => l.invoiceId === invoice.id);
      expect(own.length, invoice.invoiceNumber).toBeGreaterThan(0);
      const mapped = own.every((l) => activeAvidGl.has(l.sysproGlCode.split("-")[0]!));
      const balanced =
        own.reduce((sum, l) => sum + cents(l.amount), 0) ===
        cents(invoice.amount) - cents(invoice.taxAmount ?? 0);
      const remote = avidInvoices.filter((a) => a.ExternalInvoiceId === invoice.externalInvoiceId);
      if (mapped && balanced) {
        sent += 1;
        expect(remote, invoice.invoiceNumber).toHaveLength(1);
        expect(invoice.avidInvoiceId).toBe(String(remote[0]!.InvoiceId));
        expect(remote[0]!.TransactionId).toBe(invoice.transactionId);
        expect(cents(remote[0]!.Amount)).toBe(cents(invoice.amount));
      } else {
        expect(remote, invoice.invoiceNumber).toHaveLength(0);
        expect(invoice.avidInvoiceId).toBeNull();
      }
    }
    expect(sent).toBeGreaterThan(150);
    expect(avidInvoices).toHaveLength(sent);
    // Request log: once everything was out, the settle rounds posted no invoice at all.
    const posts = world.avid.control
      .requests({ method: "POST", path: "/v1/invoices" })
      .filter((r) => r.status === 200);
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.length).toBeLessThanOrEqual(Math.ceil(sent / 100) + 1);

    const sentAudits = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "invoice.sent"));
    expect(sentAudits).toHaveLength(sent);
    for (const a of sentAudits) {
      expect(rows.find((i) => i.id === a.subjectId)?.transactionId).toBe(a.transactionId);
    }
  });

  it("holds every invoice with an unmapped GL code as an exception naming the code", async () => {
    const rows = await ourInvoices();
    const lines = await db().select().from(invoiceLines);
    const open = await db().select().from(exceptions);
    const unmappable = [...UNMAPPED_ACCOUNTS, INACTIVE_AVID_ACCOUNT];
    let held = 0;
    for (const invoice of rows) {
      const bad = lines
        .filter((l) => l.invoiceId === invoice.id)
        .map((l) => l.sysproGlCode)
        .filter((code) => unmappable.includes(code.split("-")[0]!));
      if (bad.length === 0) {
        continue;
      }
      held += 1;
      expect(invoice.avidInvoiceId).toBeNull();
      const messages = open
        .filter((e) => e.subjectId === invoice.id && MAPPING_REASONS.includes(e.reasonCode))
        .map((e) => e.message)
        .join("\n");
      for (const code of bad) {
        expect(messages, `${invoice.invoiceNumber} ${code}`).toContain(code);
      }
    }
    expect(held).toBeGreaterThan(5);
    // An invoice whose distribution does not add up to its amount is held too, never sent.
    for (const invoice of rows.filter((r) => r.avidInvoiceId === null)) {
      expect(open.some((e) => e.subjectId === invoice.id && e.state === "open")).toBe(true);
    }
  });

  it("records approvals and posts each re-code as one balanced GENTJL reclassification", async () => {
    const rows = await ourInvoices();
    const sent = rows.filter((r) => r.avidInvoiceId !== null);
    for (const invoice of sent) {
      expect(invoice.approvalState, invoice.invoiceNumber).not.toBeNull();
    }
    const journals = world.syspro.control.rows("GenJournalDetail", {}, 10_000);
    const reclasses = await db().select().from(postings).where(eq(postings.kind, "reclass"));
    expect(reclasses).toHaveLength(record.recodes.length);
    for (const recode of record.recodes) {
      const invoice = rows.find((r) => r.externalInvoiceId === recode.externalInvoiceId)!;
      const [line] = await db()
        .select()
        .from(invoiceLines)
        .where(eq(invoiceLines.invoiceId, invoice.id))
        .orderBy(invoiceLines.lineNumber)
        .limit(1);
      expect(line?.recodedAt).not.toBeNull();
      const posting = reclasses.filter((p) => p.invoiceId === invoice.id);
      expect(posting).toHaveLength(1);
      expect(posting[0]).toMatchObject({ state: "posted", method: "GENTJL" });
      expect(cents(posting[0]!.amount)).toBe(cents(recode.amount));
      const mine = journals.filter((j) => String(j.Comment).includes(recode.ref));
      expect(mine.map((j) => `${j.GlCode} ${j.EntryType} ${cents(j.EntryValue)}`).sort()).toEqual(
        [
          `${recode.fromSysproGl} C ${-cents(recode.amount)}`,
          `${recode.toSysproGl} D ${cents(recode.amount)}`,
        ].sort(),
      );
    }
  });

  it("posts every valid payment to SYSPRO exactly once with the right amounts", async () => {
    const rows = await ourInvoices();
    const byExternal = new Map(rows.map((r) => [r.externalInvoiceId, r]));
    const paid = world.syspro.control.rows("ApInvoicePay", {}, 100_000);
    const balances = world.syspro.control.rows("ApInvoice", {}, 100_000);
    const lifecycle = avidPayments().filter((p) => p.origin === "lifecycle");
    expect(lifecycle.length).toBeGreaterThan(5);
    const mirrored = await db()
      .select()
      .from(payments)
      .where(eq(payments.connectionId, world.connectionId));
    const ledger = await db().select().from(postings).where(eq(postings.kind, "payment"));
    let lineCount = 0;
    for (const payment of lifecycle) {
      const row = mirrored.find((m) => m.avidPaymentId === String(payment.id));
      expect(row?.postingState, `payment ${payment.id}`).toBe(
        payment.id === record.voided?.paymentId ? "reversed" : "posted",
      );
      for (const line of payment.lines) {
        lineCount += 1;
        const invoice = byExternal.get(line.externalInvoiceId ?? "")!;
        const pays = paid.filter(
          (p) => p.Supplier === invoice.sysproSupplierCode && p.Invoice === invoice.invoiceNumber,
        );
        expect(pays, invoice.invoiceNumber).toHaveLength(1);
        expect(cents(pays[0]!.PostValue)).toBe(cents(line.amount));
        expect(pays[0]!.PostCurrency).toBe(payment.currency);
        const balance = balances.find(
          (b) => b.Supplier === invoice.sysproSupplierCode && b.Invoice === invoice.invoiceNumber,
        )!;
        expect(cents(balance.MthInvBal1)).toBe(cents(balance.OrigInvValue) - cents(line.amount));
        const posted = ledger.filter((p) => p.paymentId === row!.id && p.invoiceId === invoice.id);
        expect(posted).toHaveLength(1);
        expect(posted[0]).toMatchObject({ state: "posted", method: "APSTPM" });
        expect(posted[0]!.sysproReference).not.toBeNull();
      }
    }
    // Nothing else was paid in SYSPRO (the seed's earlier payments aside): no anomaly, no second
    // posting.
    const ours = new Set(rows.map((r) => `${r.sysproSupplierCode}/${r.invoiceNumber}`));
    expect(paid.filter((p) => ours.has(`${p.Supplier}/${p.Invoice}`))).toHaveLength(lineCount);
    expect(ledger).toHaveLength(lineCount);
  });

  it("reverses the payment AvidPay voided after it was posted", async () => {
    const voided = record.voided!;
    const rows = await ourInvoices();
    const [row] = await db()
      .select()
      .from(payments)
      .where(eq(payments.avidPaymentId, String(voided.paymentId)));
    expect(row).toMatchObject({ status: "Void", postingState: "reversed" });
    const reversals = await db().select().from(postings).where(eq(postings.kind, "reversal"));
    const invoiceIds = voided.externalInvoiceIds.map(
      (ext) => rows.find((r) => r.externalInvoiceId === ext)!.id,
    );
    expect(reversals.map((p) => p.invoiceId).sort()).toEqual([...invoiceIds].sort());
    for (const p of reversals) {
      expect(p).toMatchObject({ state: "posted", method: "GENTJL", paymentId: row!.id });
    }
    const total = avidPayments().find((p) => p.id === voided.paymentId)!.lines;
    const journal = world.syspro.control
      .rows("GenJournalDetail", {}, 10_000)
      .filter((j) => String(j.Comment).startsWith(`Reverses AVP${voided.paymentId}`));
    const debit = journal.filter((j) => j.EntryType === "D");
    const credit = journal.filter((j) => j.EntryType === "C");
    expect(debit.map((j) => j.GlCode)).toEqual(["1010-100"]);
    expect(new Set(credit.map((j) => j.GlCode))).toEqual(new Set(["2000-100"]));
    const sum = total.reduce((s, l) => s + cents(l.amount), 0);
    expect(cents(debit[0]!.EntryValue)).toBe(sum);
    expect(credit.reduce((s, j) => s - cents(j.EntryValue), 0)).toBe(sum);
    const audit = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "payment.reversed"));
    expect(audit.length).toBeGreaterThan(0);
  });

  it("holds the overpayment, the foreign-currency and the unknown-invoice payment; posts nothing", async () => {
    const expected: Record<string, string> = {
      overpayment: "PAYMENT_ABOVE_OPEN_BALANCE",
      currency: "CURRENCY_MISMATCH",
      "unknown-invoice": "UNKNOWN_INVOICE",
    };
    const open = await db().select().from(exceptions);
    const ledger = await db().select().from(postings);
    for (const anomaly of record.anomalies) {
      const [row] = await db()
        .select()
        .from(payments)
        .where(eq(payments.avidPaymentId, String(anomaly.paymentId)));
      expect(row?.postingState, anomaly.kind).toBe("exception");
      expect(ledger.filter((p) => p.paymentId === row!.id)).toHaveLength(0);
      const reasons = open.filter((e) => e.subjectId === row!.id).map((e) => e.reasonCode);
      expect(reasons, anomaly.kind).toContain(expected[anomaly.kind]);
    }
  });

  it("puts every movement in the audit trail under its transaction id", async () => {
    const moves = await db()
      .select()
      .from(transactions)
      .where(eq(transactions.connectionId, world.connectionId));
    const audits = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.connectionId, world.connectionId));
    const byTransaction = new Map<string, string[]>();
    for (const a of audits) {
      if (a.transactionId) {
        byTransaction.set(a.transactionId, [...(byTransaction.get(a.transactionId) ?? []), a.type]);
      }
    }
    const kinds = new Set(moves.map((m) => m.kind));
    for (const kind of ["vendor.upsert", "invoice.send", "approval.received", "reclass.post"]) {
      expect(kinds, kind).toContain(kind);
    }
    for (const move of moves.filter((m) => m.state === "succeeded")) {
      expect(isTransactionId(move.id)).toBe(true);
      expect(byTransaction.get(move.id), `${move.kind} ${move.id}`).toBeDefined();
    }
    const ids = new Set(moves.map((m) => m.id));
    for (const type of [
      "payment.posted",
      "payment.reversed",
      "invoice.reclassified",
      "invoice.sent",
    ]) {
      const events = audits.filter((a) => a.type === type);
      expect(events.length, type).toBeGreaterThan(0);
      for (const e of events) {
        expect(ids.has(e.transactionId ?? ""), `${type} ${e.transactionId}`).toBe(true);
      }
    }
  });
});
