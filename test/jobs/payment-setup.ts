import { eq } from "drizzle-orm";

import { connections, glAccounts, invoiceLines, invoices } from "../../src/db/schema/index.js";

import type { SyncHarness } from "./harness.js";

/** Helpers for tests that take invoices through AvidPay's lifecycle to a payment. */

export const HOUR = 3_600_000;

export type Wire = Record<string, unknown>;
export type InvoiceRow = typeof invoices.$inferSelect;

export const cents = (value: unknown) => Math.round(Number(value) * 100);
export const statusOf = (p: Wire) => (p["Status"] as { Description: string }).Description;
const remitted = (p: Wire) =>
  (p["Remittance"] as { ExternalInvoiceId: string | null }[]).map((r) => r.ExternalInvoiceId);
const AT_OR_PAST_FUNDS = new Set([
  "Funds Received",
  "Sent to Check Printer",
  "ACH Credit Issued",
  "VCC Processing",
  "Issued to Supplier",
]);

/**
 * Simulated time a few days behind real time (the flow's windows reach our tomorrow), nothing left
 * to chance in the lifecycle, and the connection's posting accounts; the connection dates from then.
 */
export async function preparePayments(h: SyncHarness): Promise<void> {
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
  await h.t.db
    .update(connections)
    .set({
      createdAt: new Date(start - HOUR),
      bankCode: "FB",
      apControlGl: code("2000-"),
      bankClearingGl: code("1010-"),
    })
    .where(eq(connections.id, h.connectionId));
}

/**
 * Two sent invoices of one supplier a payment can settle whole (fully open, postable GL accounts):
 * approved, every other sent invoice rejected, so only they get paid.
 */
export async function approveTwoInvoices(h: SyncHarness): Promise<InvoiceRow[]> {
  const active = new Set(
    (await h.t.db.select().from(glAccounts).where(eq(glAccounts.active, true))).map(
      (a) => a.glCode,
    ),
  );
  const lines = await h.t.db.select().from(invoiceLines);
  const sent = (await h.t.db.select().from(invoices)).filter((i) => {
    const own = lines.filter((l) => l.invoiceId === i.id);
    return (
      i.avidInvoiceId !== null &&
      cents(i.amount) === cents(i.openBalance) &&
      Number(i.amount) < 10_000 &&
      own.length > 0 &&
      own.every((l) => active.has(l.sysproGlCode))
    );
  });
  const supplier = sent[0]!.sysproSupplierCode;
  const mine = sent.filter((i) => i.sysproSupplierCode === supplier).slice(0, 2);
  const all = (await h.t.db.select().from(invoices)).filter((i) => i.avidInvoiceId !== null);
  for (const r of all) {
    h.avid.control.planInvoice(Number(r.avidInvoiceId), {
      decision: mine.some((m) => m.id === r.id) ? "approve" : "reject",
    });
  }
  return mine;
}

/** The lifecycle payment settling `invoice`, once it exists (the newest). */
export function paymentFor(h: SyncHarness, invoice: InvoiceRow): Wire | undefined {
  return (h.avid.control.snapshot().payments as Wire[])
    .filter((p) => p["Origin"] === "lifecycle" && remitted(p).includes(invoice.externalInvoiceId))
    .at(-1);
}

/** Moves the simulated clock until the payment of `invoice` is at or past Funds Received. */
export function advanceUntilPaid(h: SyncHarness, invoice: InvoiceRow): Wire {
  const due = () => {
    const p = paymentFor(h, invoice);
    return p !== undefined && AT_OR_PAST_FUNDS.has(statusOf(p));
  };
  for (let i = 0; i < 200 && !due(); i++) {
    h.avid.control.advance(HOUR);
  }
  if (!due()) {
    throw new Error("no payment reached Funds Received");
  }
  return paymentFor(h, invoice)!;
}
