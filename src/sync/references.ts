import { createHash } from "node:crypto";

import type { PaymentPostingKind } from "./domain.js";

/**
 * The references we write into SYSPRO (APSTPM `Cheque`, GENTJL `JournalReference`). Each is
 * deterministic in the AvidXchange ids, so a retry writes the same reference and, after an ambiguous
 * failure, we can ask SYSPRO whether that reference already exists (`ApInvoicePay.PaymentReference`,
 * the journal's reference) instead of posting twice.
 *
 * The width of SYSPRO's cheque number column is not in the contract, so references are kept within
 * 15 characters (the supplier-code width, the one AP key width we know) as a conservative bound;
 * revisit when the real width is known.
 */
export const SYSPRO_REFERENCE_MAX = 15;

const PREFIX: Record<PaymentPostingKind | "reclass", string> = {
  payment: "AVP",
  reversal: "AVR",
  reclass: "AVC",
};

/** `AVP4765360` for payment 4765360; `AVR…` for its reversal. */
export function paymentReference(avidPaymentId: string, kind: PaymentPostingKind): string {
  return fit(PREFIX[kind], avidPaymentId.trim());
}

/** `AVC…` for a reclassification of one AvidXchange invoice to one new coding (`codingDigest`). */
export function reclassReference(avidInvoiceId: string, codingDigest: string): string {
  const hash = digest(`${avidInvoiceId.trim()}\u0000${codingDigest}`);
  return `${PREFIX.reclass}${hash}`.slice(0, SYSPRO_REFERENCE_MAX);
}

/** Prefix + id when it fits and is all digits (AvidXchange ids are numbers); otherwise prefix + "H" +
 * a hash of the id. A plain reference has a digit after the prefix, a hashed one an "H", so the two
 * forms can never be equal. */
function fit(prefix: string, id: string): string {
  const plain = `${prefix}${id}`;
  if (plain.length <= SYSPRO_REFERENCE_MAX && /^\d+$/.test(id)) {
    return plain;
  }
  return `${prefix}H${digest(id)}`.slice(0, SYSPRO_REFERENCE_MAX);
}

function digest(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex").slice(0, 26);
  return BigInt(`0x${hex}`).toString(36).toUpperCase().padStart(20, "0");
}
