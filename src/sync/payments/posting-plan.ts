import { InvalidConfigurationError, SyncInvariantError } from "../errors.js";
import { syncException } from "../exceptions.js";
import { isBalanced } from "../journal.js";
import { formatCents, sumCents, toCents } from "../money.js";
import { paymentReference } from "../references.js";

import type {
  IsoDate,
  JournalLine,
  JournalPlan,
  ManualPaymentPlan,
  PaymentPostingKind,
  PostingLedgerKey,
  PostingPlan,
  PostingSettings,
} from "../domain.js";
import type { SyncException } from "../exceptions.js";
import type { ValidRemittance } from "./validate-remittance.js";

/**
 * A validated payment → what to write into SYSPRO, and the ledger keys that guard it.
 *
 * Default: an APSTPM manual payment, which settles the invoices in the AP sub-ledger (and so posts
 * AP control against the bank in the GL). By connection setting: a GENTJL journal (debit AP control
 * per invoice, credit the bank clearing account, and the discount account for any discount taken),
 * for sites that book AvidPay payments by journal; that leaves the AP sub-ledger to the site.
 */

export interface PaymentPosting {
  readonly reference: string;
  readonly plan: PostingPlan;
  /** Claim all of these (unique per connection, payment, invoice, kind) before posting. */
  readonly ledgerKeys: readonly PostingLedgerKey[];
}

export function planPaymentPosting(
  connection: string,
  remittance: ValidRemittance,
  posting: PostingSettings,
): PaymentPosting {
  const { payment, applications } = remittance;
  const reference = paymentReference(payment.paymentId, "payment");
  const ledgerKeys = postingLedgerKeys(
    connection,
    payment.paymentId,
    applications.map((a) => a.invoice.invoiceNumber),
    "payment",
  );
  if (posting.method === "APSTPM") {
    const plan: ManualPaymentPlan = {
      kind: "APSTPM",
      supplier: payment.payeeExternalId.trim(),
      bank: required(posting.bank, "bank"),
      chequeDate: payment.paymentDate,
      cheque: reference,
      chequeValue: formatCents(sumCents(applications.map((a) => a.grossCents - a.discountCents))),
      releasedInvoices: applications.map((a) => ({
        invoice: a.invoice.invoiceNumber,
        grossPayValue: formatCents(a.grossCents),
        discPayValue: formatCents(a.discountCents),
      })),
    };
    return { reference, plan, ledgerKeys };
  }

  const apControl = required(posting.apControlGlCode, "apControlGlCode");
  const bank = required(posting.bankGlCode, "bankGlCode");
  const lines: JournalLine[] = applications.map((a) => ({
    glCode: apControl,
    side: "debit",
    amount: formatCents(a.grossCents),
    reference,
    comment: `Invoice ${a.invoice.invoiceNumber}`,
  }));
  const discount = sumCents(applications.map((a) => a.discountCents));
  lines.push({
    glCode: bank,
    side: "credit",
    amount: formatCents(sumCents(applications.map((a) => a.netCents))),
    reference,
    comment: `AvidPay payment ${payment.paymentId}`,
  });
  if (discount !== 0n) {
    lines.push({
      glCode: required(posting.discountGlCode, "discountGlCode"),
      side: "credit",
      amount: formatCents(discount),
      reference,
      comment: "Discount taken",
    });
  }
  const plan = journal(
    reference,
    `AvidPay payment ${payment.paymentId}`,
    payment.paymentDate,
    lines,
  );
  return { reference, plan, ledgerKeys };
}

export type ReversalPlanResult =
  | {
      readonly ok: true;
      readonly reference: string;
      readonly plan: JournalPlan;
      readonly ledgerKeys: readonly PostingLedgerKey[];
      /** Set when the original settled the AP sub-ledger, which a journal cannot undo: raise it for a
       * person to void the cheque in SYSPRO AP. */
      readonly followUp?: SyncException;
    }
  | { readonly ok: false; readonly exception: SyncException };

/**
 * The posting that undoes `original` for a payment voided after it was posted.
 *
 * Always a GENTJL journal. APSTPM has no reversal in our contract: SYSPRO's void-cheque object
 * (APSTPV) is named in the catalogue but its document is not, and we do not write documents we
 * cannot cite. A journal that swaps the original's debits and credits restores the GL exactly; for
 * an APSTPM original it cannot reopen the invoice in the AP sub-ledger, so `followUp` asks a person
 * to void the cheque there. The journal names the original reference in its notation and on every
 * line, so the pair can be found from either side.
 */
export function planPaymentReversal(input: {
  readonly connection: string;
  readonly avidPaymentId: string;
  /** The posting that was made (stored with it in the posting ledger). */
  readonly original: PaymentPosting;
  readonly posting: PostingSettings;
  readonly reversalDate?: IsoDate;
}): ReversalPlanResult {
  const { posting } = input;
  const original = input.original.plan;
  const invoices = input.original.ledgerKeys.map((key) => key.invoice);
  const reference = paymentReference(input.avidPaymentId, "reversal");
  const originalReference = input.original.reference;
  const notation = `Reversal of ${originalReference}: AvidPay payment ${input.avidPaymentId} voided`;
  const comment = `Reverses ${originalReference}`;
  const base = { avidPaymentId: input.avidPaymentId, originalReference };
  const ledgerKeys = postingLedgerKeys(input.connection, input.avidPaymentId, invoices, "reversal");

  if (original.kind === "GENTJL") {
    const lines = original.lines.map((line): JournalLine => ({
      ...line,
      side: line.side === "debit" ? "credit" : "debit",
      reference,
      comment: line.comment ? `${comment}: ${line.comment}` : comment,
    }));
    return {
      ok: true,
      reference,
      plan: journal(reference, notation, input.reversalDate, lines),
      ledgerKeys,
    };
  }

  // APSTPM posted AP control (debit, gross) against the bank (credit, net) and SYSPRO's discount
  // account (credit, discount); the journal swaps each side.
  const discount = sumCents(original.releasedInvoices.map((r) => toCents(r.discPayValue)));
  const missing = [
    posting.apControlGlCode?.trim() ? undefined : "apControlGlCode",
    posting.bankGlCode?.trim() ? undefined : "bankGlCode",
    discount !== 0n && !posting.discountGlCode?.trim() ? "discountGlCode" : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) {
    return {
      ok: false,
      exception: syncException(
        "CONFIGURATION_MISSING",
        `${missing.join(", ")} to reverse ${originalReference}`,
        { ...base, settings: missing },
      ),
    };
  }
  const lines: JournalLine[] = [
    {
      glCode: required(posting.bankGlCode, "bankGlCode"),
      side: "debit",
      amount: original.chequeValue,
      reference,
      comment,
    },
    ...original.releasedInvoices.map((r): JournalLine => ({
      glCode: required(posting.apControlGlCode, "apControlGlCode"),
      side: "credit",
      amount: r.grossPayValue,
      reference,
      comment: `${comment}: invoice ${r.invoice}`,
    })),
  ];
  if (discount !== 0n) {
    lines.push({
      glCode: required(posting.discountGlCode, "discountGlCode"),
      side: "debit",
      amount: formatCents(discount),
      reference,
      comment,
    });
  }
  return {
    ok: true,
    reference,
    plan: journal(reference, notation, input.reversalDate, lines),
    ledgerKeys,
    followUp: syncException(
      "REVERSAL_AP_REVIEW",
      `cheque ${original.cheque} of supplier ${original.supplier}`,
      { ...base, supplier: original.supplier, invoices },
    ),
  };
}

export function postingLedgerKeys(
  connection: string,
  avidPaymentId: string,
  invoices: readonly string[],
  kind: PaymentPostingKind,
): PostingLedgerKey[] {
  return [...new Set(invoices.map((invoice) => invoice.trim()))].map((invoice) => ({
    connection,
    avidPaymentId: avidPaymentId.trim(),
    invoice,
    kind,
  }));
}

function journal(
  reference: string,
  notation: string,
  date: IsoDate | undefined,
  lines: JournalLine[],
): JournalPlan {
  if (!isBalanced(lines)) {
    // Built from validated totals, so this is a bug rather than a bad record.
    throw new SyncInvariantError(`journal ${reference} does not balance`);
  }
  return { kind: "GENTJL", reference, notation, ...(date ? { journalDate: date } : {}), lines };
}

function required(value: string | undefined, name: string): string {
  const text = value?.trim();
  if (!text) {
    // validateRemittance reports a missing setting as an exception first, so a caller that skipped
    // it gets a loud configuration error rather than a posting to an empty account.
    throw new InvalidConfigurationError(`posting setting ${name} is not set`);
  }
  return text;
}
