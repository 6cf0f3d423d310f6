import { and, eq, inArray, isNotNull, or } from "drizzle-orm";

import {
  invoiceLines,
  invoices,
  paymentApplications,
  payments,
  suppliers,
} from "../../db/schema/index.js";
import { createGlAccountIndex } from "../mapping/catalogs.js";

import type { AvidPayment } from "../../connectors/avidxchange/types.js";
import type { Executor } from "../../db/client.js";
import type { ConnectionRow } from "../connectors-for.js";
import type { Payment, PostingSettings, SentInvoice } from "../domain.js";
import type { GlAccountIndex } from "../mapping/catalogs.js";
import type { ExceptionSubject, FlowContext } from "./run-context.js";

/**
 * The records behind flow 5: AvidPay payments as domain values and as `payments` /
 * `payment_applications` rows, and the invoices we sent that a payment may settle, with SYSPRO's
 * open balance read at the time of posting.
 */

export type PaymentRow = typeof payments.$inferSelect;

export function postingSettingsOf(connection: ConnectionRow): PostingSettings {
  return {
    method: connection.postingMethod,
    postingStatus: connection.paymentPostingStatus,
    ...(connection.bankCode ? { bank: connection.bankCode } : {}),
    ...(connection.apControlGl ? { apControlGlCode: connection.apControlGl } : {}),
    ...(connection.bankClearingGl ? { bankGlCode: connection.bankClearingGl } : {}),
  };
}

export function toPayment(wire: AvidPayment): Payment {
  const lastModified = wire.LastModifiedDate ?? "";
  return {
    paymentId: String(wire.PaymentId),
    status: wire.Status.Description,
    ...(wire.PaymentMethod ? { method: wire.PaymentMethod.Description } : {}),
    // A payment without a currency must not pass as the invoice's: an empty one never matches.
    currency: wire.Currency?.trim() ?? "",
    amount: wire.Amount,
    paymentDate: (wire.PaymentDate || lastModified).slice(0, 10),
    payeeExternalId: wire.Payee?.ExternalId?.Value.trim() ?? "",
    lastModified,
    remittance: wire.Remittance.map((line) => ({
      ...(line.InvoiceId != null ? { invoiceId: String(line.InvoiceId) } : {}),
      ...(line.ExternalInvoiceId ? { externalInvoiceId: line.ExternalInvoiceId } : {}),
      invoiceNumber: line.InvoiceNumber ?? "",
      grossAmount: line.GrossAmount ?? line.Amount,
      discountAmount: line.DiscountAmount ?? "0",
      amount: line.Amount,
    })),
  };
}

/** AvidXchange writes `2026-01-22T14:03:11Z` and `2026-01-22 14:03:11` (no zone = UTC). */
export function avidInstant(timestamp: string): Date | null {
  const text = timestamp.trim().replace(/^(\d{4}-\d{2}-\d{2}) /, "$1T");
  if (!text) {
    return null;
  }
  const zoned = !text.includes("T") || /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * Upserts the page's payments and their remittance lines, each line linked to our invoice by
 * ExternalInvoiceId or AvidXchange InvoiceId. Posting state and transaction id stay as they are.
 */
export async function upsertPayments(
  tx: Executor,
  connectionId: string,
  page: readonly AvidPayment[],
): Promise<Map<string, PaymentRow>> {
  const out = new Map<string, PaymentRow>();
  if (page.length === 0) {
    return out;
  }
  const payees = [...new Set(page.map((p) => p.Payee?.ExternalId?.Value.trim() ?? ""))];
  const supplierRows = await tx
    .select({ id: suppliers.id, code: suppliers.sysproCode, vendor: suppliers.avidVendorId })
    .from(suppliers)
    .where(and(eq(suppliers.connectionId, connectionId), inArray(suppliers.sysproCode, payees)));
  const supplierOf = new Map(supplierRows.map((s) => [s.code, s]));
  const lines = page.flatMap((p) => p.Remittance);
  const externalIds = lines.flatMap((l) => (l.ExternalInvoiceId ? [l.ExternalInvoiceId] : []));
  const avidIds = lines.flatMap((l) => (l.InvoiceId != null ? [String(l.InvoiceId)] : []));
  const linked = await tx
    .select({ id: invoices.id, ext: invoices.externalInvoiceId, avid: invoices.avidInvoiceId })
    .from(invoices)
    .where(
      and(
        eq(invoices.connectionId, connectionId),
        or(
          inArray(invoices.externalInvoiceId, externalIds.length ? externalIds : [""]),
          inArray(invoices.avidInvoiceId, avidIds.length ? avidIds : [""]),
        ),
      ),
    );
  const byExternal = new Map(linked.map((r) => [r.ext, r.id]));
  const byAvid = new Map(linked.flatMap((r) => (r.avid ? [[r.avid, r.id] as const] : [])));

  for (const wire of page) {
    const supplier = supplierOf.get(wire.Payee?.ExternalId?.Value.trim() ?? "");
    const values = {
      connectionId,
      avidPaymentId: String(wire.PaymentId),
      supplierId: supplier?.id ?? null,
      avidVendorId: supplier?.vendor ?? null,
      status: wire.Status.Description,
      statusAt: avidInstant(wire.LastModifiedDate ?? ""),
      method: wire.PaymentMethod?.Description ?? null,
      amount: wire.Amount,
      currency: wire.Currency ?? null,
      paymentDate: wire.PaymentDate?.slice(0, 10) || null,
      remittance: wire.Remittance,
      raw: wire as Record<string, unknown>,
    };
    const [row] = await tx
      .insert(payments)
      .values(values)
      .onConflictDoUpdate({ target: [payments.connectionId, payments.avidPaymentId], set: values })
      .returning();
    out.set(values.avidPaymentId, row!);
    for (const [index, line] of wire.Remittance.entries()) {
      const avidInvoiceId =
        line.InvoiceId != null ? String(line.InvoiceId) : `line:${index + 1}:${line.InvoiceNumber}`;
      const app = {
        paymentId: row!.id,
        invoiceId:
          (line.ExternalInvoiceId ? byExternal.get(line.ExternalInvoiceId) : undefined) ??
          (line.InvoiceId != null ? byAvid.get(String(line.InvoiceId)) : undefined) ??
          null,
        avidInvoiceId,
        externalInvoiceId: line.ExternalInvoiceId ?? null,
        amount: line.Amount,
        discountAmount: line.DiscountAmount ?? null,
        raw: line as Record<string, unknown>,
      };
      await tx
        .insert(paymentApplications)
        .values(app)
        .onConflictDoUpdate({
          target: [paymentApplications.paymentId, paymentApplications.avidInvoiceId],
          set: app,
        });
    }
  }
  return out;
}

export interface SentInvoices {
  readonly invoices: readonly SentInvoice[];
  /** Our invoice row id by ExternalInvoiceId. */
  readonly idOf: ReadonlyMap<string, string>;
}

/**
 * The invoices we sent that `payment` may settle (by ExternalInvoiceId, AvidXchange InvoiceId, or
 * the payee's invoice number), with SYSPRO's open balance as it is now: an invoice SYSPRO no
 * longer has has nothing open.
 */
export async function loadSentInvoices(ctx: FlowContext, payment: Payment): Promise<SentInvoices> {
  return (await sentInvoicesOfPage(ctx, [payment])).load(payment);
}

/** The sent invoices of a page of payments, with SYSPRO's balances read together for the page. */
export interface SentInvoiceSource {
  load(payment: Payment): Promise<SentInvoices>;
  /** A posting may have moved these balances: the next payment naming them reads them again. */
  mayHaveMoved(sent: SentInvoices): void;
}

type InvoiceRow = typeof invoices.$inferSelect;

const balanceKey = (supplier: string, invoice: string) =>
  JSON.stringify([supplier.trim(), invoice.trim()]);

/**
 * Reads the balances of every payment's invoices in one OData query per page (the reader chunks the
 * keys), instead of one per payment. A balance a posting of this page may have moved is read again
 * before the next payment relies on it, so validation still sees SYSPRO's live balances.
 */
export async function sentInvoicesOfPage(
  ctx: FlowContext,
  page: readonly Payment[],
): Promise<SentInvoiceSource> {
  const rowsOf = new Map<string, InvoiceRow[]>();
  for (const payment of page) {
    rowsOf.set(payment.paymentId, await sentInvoiceRows(ctx, payment));
  }
  const balances = await readBalances(ctx, [...rowsOf.values()].flat());
  const moved = new Set<string>();
  return {
    async load(payment) {
      const rows = rowsOf.get(payment.paymentId) ?? (await sentInvoiceRows(ctx, payment));
      rowsOf.delete(payment.paymentId);
      if (rows.length === 0) {
        return { invoices: [], idOf: new Map() };
      }
      const stale = rows.filter((r) => {
        const key = balanceKey(r.sysproSupplierCode, r.invoiceNumber);
        return moved.has(key) || !balances.has(key);
      });
      if (stale.length > 0) {
        const fresh = await readBalances(ctx, stale);
        for (const r of stale) {
          const key = balanceKey(r.sysproSupplierCode, r.invoiceNumber);
          moved.delete(key);
          // An invoice SYSPRO no longer has has nothing open.
          balances.set(key, fresh.get(key) ?? "0.00");
        }
      }
      return withGlCodes(ctx, rows, balances);
    },
    mayHaveMoved(sent) {
      for (const invoice of sent.invoices) {
        moved.add(balanceKey(invoice.supplier, invoice.invoiceNumber));
      }
    },
  };
}

async function sentInvoiceRows(ctx: FlowContext, payment: Payment): Promise<InvoiceRow[]> {
  const ext = payment.remittance.flatMap((l) => (l.externalInvoiceId ? [l.externalInvoiceId] : []));
  const avid = payment.remittance.flatMap((l) => (l.invoiceId ? [l.invoiceId] : []));
  const numbers = payment.remittance.map((l) => l.invoiceNumber.trim()).filter(Boolean);
  return ctx.db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.connectionId, ctx.connection.id),
        isNotNull(invoices.avidInvoiceId),
        or(
          inArray(invoices.externalInvoiceId, ext.length ? ext : [""]),
          inArray(invoices.avidInvoiceId, avid.length ? avid : [""]),
          and(
            eq(invoices.sysproSupplierCode, payment.payeeExternalId),
            inArray(invoices.invoiceNumber, numbers.length ? numbers : [""]),
          ),
        ),
      ),
    );
}

/** SYSPRO's open balance by invoice key; an invoice SYSPRO no longer has is absent. */
async function readBalances(
  ctx: FlowContext,
  rows: readonly InvoiceRow[],
): Promise<Map<string, string>> {
  const keys = new Map(
    rows.map((r) => [
      balanceKey(r.sysproSupplierCode, r.invoiceNumber),
      { Supplier: r.sysproSupplierCode, Invoice: r.invoiceNumber },
    ]),
  );
  if (keys.size === 0) {
    return new Map();
  }
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const found = await ctx.connectors.syspro.odata.apInvoicesByKey([...keys.values()], signal);
  const out = new Map<string, string>();
  for (const b of found) {
    out.set(balanceKey(b.Supplier, b.Invoice), b.MthInvBal1);
  }
  // Read but absent: SYSPRO no longer has it, so nothing is open.
  for (const key of keys.keys()) {
    if (!out.has(key)) {
      out.set(key, "0.00");
    }
  }
  return out;
}

async function withGlCodes(
  ctx: FlowContext,
  rows: readonly InvoiceRow[],
  balances: ReadonlyMap<string, string>,
): Promise<SentInvoices> {
  const glRows = await ctx.db
    .select({ invoiceId: invoiceLines.invoiceId, code: invoiceLines.sysproGlCode })
    .from(invoiceLines)
    .where(
      inArray(
        invoiceLines.invoiceId,
        rows.map((r) => r.id),
      ),
    );
  return {
    invoices: rows.map((r) => ({
      externalInvoiceId: r.externalInvoiceId,
      ...(r.avidInvoiceId ? { avidInvoiceId: r.avidInvoiceId } : {}),
      supplier: r.sysproSupplierCode,
      invoiceNumber: r.invoiceNumber,
      currency: r.currency ?? "",
      openBalance: balances.get(balanceKey(r.sysproSupplierCode, r.invoiceNumber)) ?? "0.00",
      glCodes: [...new Set(glRows.filter((g) => g.invoiceId === r.id).map((g) => g.code))],
    })),
    idOf: new Map(rows.map((r) => [r.externalInvoiceId, r.id])),
  };
}

/** The company's GL accounts as SYSPRO has them now (a small table, read once per run). */
export async function loadGlAccounts(ctx: FlowContext): Promise<GlAccountIndex> {
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const accounts = [];
  for await (const page of ctx.connectors.syspro.odata.genMaster(
    ctx.connection.sysproCompanyId,
    signal,
  )) {
    for (const row of page) {
      accounts.push({
        code: row.GlCode.trim(),
        description: row.Description.trim(),
        accountType: row.AccountType.trim(),
        onHold: row.AccOnHldFlag.trim().toUpperCase() === "Y",
      });
    }
  }
  return createGlAccountIndex(accounts);
}

/** A payment as exceptions name it. */
export const paymentSubject = (row: PaymentRow): ExceptionSubject => ({
  type: "payment",
  id: row.id,
  ref: `payment ${row.avidPaymentId}`,
});
