import { externalInvoiceId } from "../invoices/external-invoice-id.js";
import { formatCents, parseCents, sumCents } from "../money.js";

import type { ApInvoice, ApJnlDistrib } from "../../connectors/syspro/types.js";
import type { Invoice } from "../domain.js";
import type { FlowContext } from "./run-context.js";

export interface PageInvoice {
  readonly raw: ApInvoice;
  readonly invoice: Invoice;
  readonly externalId: string;
  readonly distribution: readonly ApJnlDistrib[];
}

/** ApInvoice → ApJnlSummary (invoice entries) → ApJnlDistrib: each invoice with its GL lines. */
export async function withDistribution(
  ctx: FlowContext,
  page: readonly ApInvoice[],
): Promise<PageInvoice[]> {
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const { odata } = ctx.connectors.syspro;
  const summaries = (
    await odata.apJnlSummariesFor(
      page.map((p) => ({ Supplier: p.Supplier, Invoice: p.Invoice })),
      signal,
    )
  ).filter((s) => s.TransactionCode.trim() === "I");
  const distribs = summaries.length > 0 ? await odata.apJnlDistribsFor(summaries, signal) : [];
  const entryKey = (d: {
    TrnYear: number;
    TrnMonth: number;
    Journal: number;
    EntryNumber: number;
  }) => `${d.TrnYear}/${d.TrnMonth}/${d.Journal}/${d.EntryNumber}`;
  const byEntry = new Map<string, ApJnlDistrib[]>();
  for (const d of distribs) {
    const list = byEntry.get(entryKey(d)) ?? [];
    list.push(d);
    byEntry.set(entryKey(d), list);
  }
  const invoiceKey = (supplier: string, invoice: string) => JSON.stringify([supplier, invoice]);
  // One pass per page: a per-invoice scan of the summaries is quadratic on 5,000-row pages.
  const entriesByInvoice = new Map<string, (typeof summaries)[number][]>();
  for (const s of summaries) {
    const key = invoiceKey(s.Supplier.trim(), s.Invoice.trim());
    const list = entriesByInvoice.get(key) ?? [];
    list.push(s);
    entriesByInvoice.set(key, list);
  }
  return page.map((raw) => {
    const supplier = raw.Supplier.trim();
    const invoiceNumber = raw.Invoice.trim();
    const entries = entriesByInvoice.get(invoiceKey(supplier, invoiceNumber)) ?? [];
    const distribution = entries.flatMap((s) => byEntry.get(entryKey(s)) ?? []);
    const invoice: Invoice = {
      supplier,
      invoiceNumber,
      invoiceDate: (raw.InvoiceDate ?? raw.JournalDate ?? "").slice(0, 10),
      ...(raw.DueDate ? { dueDate: raw.DueDate.slice(0, 10) } : {}),
      ...(raw.JournalDate ? { journalDate: raw.JournalDate.slice(0, 10) } : {}),
      currency: raw.Currency.trim(),
      amount: raw.OrigInvValue,
      taxAmount: postedTax(entries, distribution),
      openBalance: raw.MthInvBal1,
      ...(raw.Reference?.trim() ? { reference: raw.Reference.trim() } : {}),
      lines: distribution.map((d, i) => ({
        lineNumber: i + 1,
        glCode: d.ExpenseGlCode.trim(),
        amount: d.DistrValue,
      })),
    };
    return {
      raw,
      invoice,
      externalId: externalInvoiceId(ctx.connection.id, supplier, invoiceNumber),
      distribution,
    };
  });
}

/**
 * The tax SYSPRO posted with the invoice. ApInvoice has no first-tax value column (contract §3.4);
 * the journal entry's `InvoiceValue` is the gross `TransactionValue`, and APSTIN only posts when the
 * distribution adds up to `TransactionValue − TaxValue`, so the difference is the `TaxValue` it
 * accepted. A distribution above the gross, or no distribution at all, is not a tax: "0.00" then
 * leaves the amount check (or NO_GL_DISTRIBUTION) to hold the invoice for a person.
 */
export function postedTax(
  entries: readonly { readonly InvoiceValue: string }[],
  distribution: readonly { readonly DistrValue: string }[],
): string {
  if (entries.length === 0 || distribution.length === 0) {
    return "0.00";
  }
  const gross = entries.map((e) => parseCents(e.InvoiceValue));
  const lines = distribution.map((d) => parseCents(d.DistrValue));
  if ([...gross, ...lines].some((c) => c === undefined)) {
    return "0.00";
  }
  const tax = sumCents(gross as bigint[]) - sumCents(lines as bigint[]);
  return tax > 0n ? formatCents(tax) : "0.00";
}
