import { syncException } from "../exceptions.js";
import { formatCents, parseCents, sumCents } from "../money.js";

import type { JsonValue, SyncException } from "../exceptions.js";
import type { Payment, PostingSettings, RemittanceLine, SentInvoice } from "../domain.js";
import type { GlAccountIndex } from "../mapping/catalogs.js";

/**
 * Checks an AvidPay payment against the SYSPRO invoices we sent before anything is posted: every
 * remittance line must settle an invoice we know, of the payee, in the payment's currency, within
 * its open balance, with GL accounts SYSPRO can still post to; and the lines must add up to the
 * payment. A payment with ANY invalid line posts NOTHING: a partial posting would leave SYSPRO and
 * AvidXchange disagreeing about money that moved as one payment.
 */

export interface ValidatedApplication {
  readonly invoice: SentInvoice;
  readonly grossCents: bigint;
  readonly discountCents: bigint;
  readonly netCents: bigint;
}

export interface ValidRemittance {
  readonly ok: true;
  readonly payment: Payment;
  /** One per invoice (several lines for one invoice are summed), in first-seen order. */
  readonly applications: readonly ValidatedApplication[];
}

export type RemittanceValidation =
  ValidRemittance | { readonly ok: false; readonly exceptions: readonly SyncException[] };

export interface ValidateRemittanceInput {
  readonly payment: Payment;
  /** Invoices we sent that this payment may settle (the caller loads them by the remittance's
   * ExternalInvoiceIds / InvoiceIds), with SYSPRO's current open balance. */
  readonly sentInvoices: readonly SentInvoice[];
  readonly glAccounts: GlAccountIndex;
  readonly posting: PostingSettings;
}

export function validateRemittance(input: ValidateRemittanceInput): RemittanceValidation {
  const { payment } = input;
  const exceptions: SyncException[] = [];
  const base = { avidPaymentId: payment.paymentId, payee: payment.payeeExternalId };
  const add = (
    reason: Parameters<typeof syncException>[0],
    detail: string,
    more: Record<string, JsonValue> = {},
  ): void => {
    exceptions.push(syncException(reason, detail, { ...base, ...more }));
  };

  const paymentCents = parseCents(payment.amount);
  if (paymentCents === undefined) {
    add("INVALID_AMOUNT", `payment amount "${payment.amount}"`);
  }
  if (payment.remittance.length === 0) {
    add("SPLIT_MISMATCH", `payment ${payment.paymentId} has no remittance lines`);
  }

  const applications = new Map<SentInvoice, { gross: bigint; discount: bigint; net: bigint }>();
  const lineNets: bigint[] = [];
  payment.remittance.forEach((line, index) => {
    const label = `remittance line ${index + 1} (invoice ${line.invoiceNumber})`;
    const amounts = lineAmounts(line);
    if (typeof amounts === "string") {
      add("INVALID_AMOUNT", `${label}: ${amounts}`, { invoiceNumber: line.invoiceNumber });
      return;
    }
    lineNets.push(amounts.net);
    const invoice = findInvoice(input.sentInvoices, line, payment.payeeExternalId);
    if (!invoice) {
      add("UNKNOWN_INVOICE", label, {
        invoiceNumber: line.invoiceNumber,
        externalInvoiceId: line.externalInvoiceId ?? null,
        invoiceId: line.invoiceId ?? null,
      });
      return;
    }
    const totals = applications.get(invoice) ?? { gross: 0n, discount: 0n, net: 0n };
    applications.set(invoice, {
      gross: totals.gross + amounts.gross,
      discount: totals.discount + amounts.discount,
      net: totals.net + amounts.net,
    });
  });

  for (const [invoice, totals] of applications) {
    const ref = { supplier: invoice.supplier, invoice: invoice.invoiceNumber };
    if (invoice.supplier.trim() !== payment.payeeExternalId.trim()) {
      add(
        "SUPPLIER_MISMATCH",
        `invoice ${invoice.invoiceNumber} is supplier ${invoice.supplier}'s, the payee is ${payment.payeeExternalId}`,
        ref,
      );
    }
    if (invoice.currency.trim().toUpperCase() !== payment.currency.trim().toUpperCase()) {
      add(
        "CURRENCY_MISMATCH",
        `invoice ${invoice.invoiceNumber} is in ${invoice.currency}, the payment in ${payment.currency}`,
        ref,
      );
    }
    // SYSPRO lowers the open balance by the gross (discount included), so that is what must fit.
    const open = parseCents(invoice.openBalance);
    if (open === undefined) {
      add(
        "INVALID_AMOUNT",
        `open balance "${invoice.openBalance}" of invoice ${invoice.invoiceNumber}`,
        ref,
      );
    } else if (totals.gross > open) {
      add(
        "PAYMENT_ABOVE_OPEN_BALANCE",
        `invoice ${invoice.invoiceNumber}: paying ${formatCents(totals.gross)} against an open balance of ${formatCents(open)}`,
        { ...ref, gross: formatCents(totals.gross), openBalance: formatCents(open) },
      );
    }
    const badGl = invoice.glCodes.filter((code) => input.glAccounts.problem(code) !== undefined);
    if (badGl.length > 0) {
      add(
        "GL_INVALID",
        `invoice ${invoice.invoiceNumber} GL code ${badGl.join(", ")} is missing or on hold`,
        { ...ref, glCodes: badGl },
      );
    }
  }

  if (
    paymentCents !== undefined &&
    payment.remittance.length > 0 &&
    lineNets.length === payment.remittance.length
  ) {
    const total = sumCents(lineNets);
    if (total !== paymentCents) {
      add(
        "SPLIT_MISMATCH",
        `remittance lines total ${formatCents(total)}, the payment is ${formatCents(paymentCents)}`,
        { linesTotal: formatCents(total), paymentAmount: formatCents(paymentCents) },
      );
    }
  }

  exceptions.push(...checkPostingAccounts(input, applications.values(), base));

  if (exceptions.length > 0) {
    return { ok: false, exceptions };
  }
  return {
    ok: true,
    payment,
    applications: [...applications].map(([invoice, totals]) => ({
      invoice,
      grossCents: totals.gross,
      discountCents: totals.discount,
      netCents: totals.net,
    })),
  };
}

/** The accounts the posting itself will hit must be set and postable. */
function checkPostingAccounts(
  input: ValidateRemittanceInput,
  totals: Iterable<{ discount: bigint }>,
  base: Record<string, JsonValue>,
): SyncException[] {
  const { posting, glAccounts } = input;
  const needed: [string, string | undefined][] = [];
  if (posting.method === "APSTPM") {
    if (!posting.bank?.trim()) {
      return [
        syncException("CONFIGURATION_MISSING", "the SYSPRO bank code for APSTPM payments", base),
      ];
    }
    return [];
  }
  needed.push(
    ["AP control account", posting.apControlGlCode],
    ["bank account", posting.bankGlCode],
  );
  if ([...totals].some((t) => t.discount !== 0n)) {
    needed.push(["discount received account", posting.discountGlCode]);
  }
  const out: SyncException[] = [];
  for (const [label, code] of needed) {
    if (!code?.trim()) {
      out.push(syncException("CONFIGURATION_MISSING", `the ${label} for journal postings`, base));
    } else if (glAccounts.problem(code) !== undefined) {
      out.push(
        syncException("GL_INVALID", `${label} ${code} is missing or on hold`, {
          ...base,
          glCodes: [code],
        }),
      );
    }
  }
  return out;
}

function lineAmounts(
  line: RemittanceLine,
): { gross: bigint; discount: bigint; net: bigint } | string {
  const gross = parseCents(line.grossAmount);
  const discount = parseCents(line.discountAmount);
  const net = parseCents(line.amount);
  if (gross === undefined || discount === undefined || net === undefined) {
    return `amounts "${line.grossAmount}" / "${line.discountAmount}" / "${line.amount}" are not all money`;
  }
  if (gross < 0n || discount < 0n || net < 0n) {
    return "negative amounts cannot be posted as a payment";
  }
  if (gross - discount !== net) {
    return `gross ${formatCents(gross)} less discount ${formatCents(discount)} is not the amount ${formatCents(net)}`;
  }
  return { gross, discount, net };
}

/** By our ExternalInvoiceId, else AvidXchange's InvoiceId, else (payee, invoice number) among the
 * invoices we sent — never by invoice number alone across suppliers. */
function findInvoice(
  invoices: readonly SentInvoice[],
  line: RemittanceLine,
  payee: string,
): SentInvoice | undefined {
  const external = line.externalInvoiceId?.trim();
  if (external) {
    return invoices.find((invoice) => invoice.externalInvoiceId === external);
  }
  const avidId = line.invoiceId?.trim();
  if (avidId) {
    return invoices.find((invoice) => invoice.avidInvoiceId?.trim() === avidId);
  }
  return invoices.find(
    (invoice) =>
      invoice.supplier.trim() === payee.trim() &&
      invoice.invoiceNumber.trim() === line.invoiceNumber.trim(),
  );
}
