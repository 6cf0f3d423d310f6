import { syncException } from "../exceptions.js";
import { formatCents, parseCents, sumCents, toCents } from "../money.js";
import { externalInvoiceId } from "./external-invoice-id.js";

import type { AvidInvoice, AvidInvoiceLine, Invoice, TransactionId } from "../domain.js";
import type { SyncException } from "../exceptions.js";
import type { GlMappingResolver, MappingFailureReason } from "../mapping/resolve.js";

/**
 * SYSPRO AP invoice + GL distribution → the invoice we post to AvidXchange for approval, or every
 * reason it cannot go (all of them at once, so a person fixes the invoice in one pass).
 *
 * Rules: the supplier's vendor must exist in AvidXchange; every line maps cleanly (an unmapped line
 * is an exception, never a guess); the lines add up to Amount − TaxAmount to the cent.
 */

export interface ToAvidInvoiceInput {
  /** Connection id (or its short code): the `<connection>` part of the ExternalInvoiceId. */
  readonly connection: string;
  readonly invoice: Invoice;
  /** Whether the supplier's AvidXchange vendor exists (after trying to send it first). */
  readonly vendorSynced: boolean;
  readonly resolver: GlMappingResolver;
  readonly transactionId: TransactionId;
}

export type ToAvidInvoiceResult =
  | { readonly ok: true; readonly invoice: AvidInvoice }
  | { readonly ok: false; readonly exceptions: readonly SyncException[] };

export function toAvidInvoice(input: ToAvidInvoiceInput): ToAvidInvoiceResult {
  const { invoice, resolver } = input;
  const key = { supplier: invoice.supplier, invoice: invoice.invoiceNumber };
  const exceptions: SyncException[] = [];

  if (!input.vendorSynced) {
    exceptions.push(syncException("SUPPLIER_NOT_SYNCED", `supplier ${invoice.supplier}`, key));
  }
  if (invoice.lines.length === 0) {
    exceptions.push(syncException("NO_GL_DISTRIBUTION", `invoice ${invoice.invoiceNumber}`, key));
  }

  // One exception per failure reason, naming every GL code (and its lines) with that reason.
  type Failure = { lines: number[]; details: string[] };
  const failures = new Map<MappingFailureReason, Map<string, Failure>>();
  const lines: AvidInvoiceLine[] = [];
  for (const line of invoice.lines) {
    const result = resolver.resolve(line.glCode);
    if (!result.ok) {
      for (const problem of result.problems) {
        const byCode = failures.get(problem.reason) ?? new Map<string, Failure>();
        failures.set(problem.reason, byCode);
        const entry = byCode.get(result.sysproGlCode) ?? { lines: [], details: [] };
        byCode.set(result.sysproGlCode, entry);
        if (!entry.lines.includes(line.lineNumber)) {
          entry.lines.push(line.lineNumber);
        }
        if (!entry.details.includes(problem.detail)) {
          entry.details.push(problem.detail);
        }
      }
      continue;
    }
    lines.push({
      lineNumber: line.lineNumber,
      amount: line.amount,
      ...(line.description?.trim() ? { description: line.description.trim() } : {}),
      glCode: result.coding.glCode,
      dimensions: result.coding.dimensions,
      sysproGlCode: result.sysproGlCode,
    });
  }
  for (const [reason, byCode] of failures) {
    const codes = [...byCode.keys()].sort();
    exceptions.push(
      syncException(reason, `GL code${codes.length > 1 ? "s" : ""} ${codes.join(", ")}`, {
        ...key,
        glCodes: codes,
        lines: codes.map((glCode) => ({
          glCode,
          lineNumbers: byCode.get(glCode)?.lines ?? [],
          details: byCode.get(glCode)?.details ?? [],
        })),
      }),
    );
  }

  const amountException = checkAmounts(invoice, key);
  if (amountException) {
    exceptions.push(amountException);
  }

  if (exceptions.length > 0) {
    return { ok: false, exceptions };
  }
  // Amounts are known valid here; they go out in one canonical form ("1150.00").
  return {
    ok: true,
    invoice: {
      externalInvoiceId: externalInvoiceId(
        input.connection,
        invoice.supplier,
        invoice.invoiceNumber,
      ),
      invoiceNumber: invoice.invoiceNumber,
      vendorExternalCode: invoice.supplier,
      invoiceDate: invoice.invoiceDate,
      ...(invoice.dueDate ? { dueDate: invoice.dueDate } : {}),
      currency: invoice.currency,
      amount: formatCents(toCents(invoice.amount)),
      taxAmount: formatCents(toCents(invoice.taxAmount)),
      ...(invoice.poNumber?.trim() ? { poNumber: invoice.poNumber.trim() } : {}),
      ...(invoice.reference?.trim() ? { memo: invoice.reference.trim() } : {}),
      transactionId: input.transactionId,
      lines: lines.map((line) => ({ ...line, amount: formatCents(toCents(line.amount)) })),
    },
  };
}

/** Σ lines = Amount − TaxAmount, in cents; or why not. */
function checkAmounts(
  invoice: Invoice,
  key: { supplier: string; invoice: string },
): SyncException | undefined {
  const invalid: string[] = [];
  const amount = parseCents(invoice.amount);
  const tax = parseCents(invoice.taxAmount);
  if (amount === undefined) {
    invalid.push(`amount "${invoice.amount}"`);
  }
  if (tax === undefined) {
    invalid.push(`tax amount "${invoice.taxAmount}"`);
  }
  const lineCents = invoice.lines.map((line) => {
    const cents = parseCents(line.amount);
    if (cents === undefined) {
      invalid.push(`line ${line.lineNumber} amount "${line.amount}"`);
    }
    return cents ?? 0n;
  });
  if (invalid.length > 0) {
    return syncException("INVALID_AMOUNT", invalid.join(", "), { ...key, invalid });
  }
  if (invoice.lines.length === 0 || amount === undefined || tax === undefined) {
    return undefined;
  }
  const expected = amount - tax;
  const actual = sumCents(lineCents);
  if (actual === expected) {
    return undefined;
  }
  return syncException(
    "AMOUNT_MISMATCH",
    `lines total ${formatCents(actual)} but amount less tax is ${formatCents(expected)}`,
    { ...key, linesTotal: formatCents(actual), amountLessTax: formatCents(expected) },
  );
}
