import { EXCEPTION_REASON_CODES } from "../glossary.js";

import type { ExceptionReason } from "../glossary.js";

/**
 * Exception reason codes: why a record is held for a person, what to tell them, and what they can
 * do about it. The codes are stable (stored in `exceptions` rows and shown in the portal); messages
 * may be reworded. The codes themselves are listed in the glossary, which every layer may import
 * and which imports none, so the database and GraphQL layers need not reach into `sync` for them.
 */
export { EXCEPTION_REASON_CODES };
export type { ExceptionReason };

export interface ExceptionReasonInfo {
  readonly message: string;
  readonly suggestedAction: string;
}

export const EXCEPTION_REASONS = {
  // Mapping (SYSPRO GL code → AvidXchange coding)
  UNMAPPED_GL: {
    message: "No mapping gives this SYSPRO GL code an AvidXchange GL code and dimensions",
    suggestedAction:
      "Add an exact mapping or a segment rule for the GL code, then retry the exception",
  },
  UNKNOWN_TARGET: {
    message: "The mapping points at an AvidXchange GL code that does not exist",
    suggestedAction:
      "Correct the mapping, or create the GL code in AvidXchange and reload enterprise codes",
  },
  INACTIVE_TARGET: {
    message: "The mapping points at an AvidXchange code that is inactive",
    suggestedAction: "Map the GL code to an active code, or reactivate the code in AvidXchange",
  },
  UNKNOWN_DIMENSION: {
    message: "The mapping produces a dimension value AvidXchange does not know",
    suggestedAction:
      "Correct the segment rule or mapping, or create the dimension value in AvidXchange",
  },
  MAPPING_CONFLICT: {
    message: "Several mappings or rules claim the same target, so the result would be a guess",
    suggestedAction: "Remove the duplicate mapping or rule so exactly one applies",
  },
  // Invoices
  NO_GL_DISTRIBUTION: {
    message: "The SYSPRO invoice has no GL distribution lines",
    suggestedAction: "Check the invoice's journal distribution in SYSPRO, then retry",
  },
  AMOUNT_MISMATCH: {
    message: "Amounts do not add up",
    suggestedAction: "Correct the amounts in the source system, then retry",
  },
  INVALID_AMOUNT: {
    message: "An amount is not a valid money value (a decimal with at most two places)",
    suggestedAction: "Correct the amount in the source system, then retry",
  },
  SUPPLIER_NOT_SYNCED: {
    message: "The invoice's supplier has no AvidXchange vendor yet",
    suggestedAction: "Resolve the supplier's vendor exception or run the supplier sync, then retry",
  },
  // Suppliers and vendors
  VENDOR_NOT_IN_SYSPRO: {
    message: "The vendor exists in AvidXchange but not as a SYSPRO supplier",
    suggestedAction:
      "Create the supplier in SYSPRO (or allow the connection to create it), or deactivate the vendor",
  },
  SUPPLIER_SETUP_INVALID: {
    message: "The SYSPRO supplier cannot be created from this vendor as it stands",
    suggestedAction: "Complete the vendor in AvidXchange or the connection's supplier defaults",
  },
  // Approvals
  RECODED: {
    message: "An approver re-coded invoice lines in AvidXchange",
    suggestedAction: "Post the reclassification in SYSPRO, then skip the exception",
  },
  RECODE_UNMAPPABLE: {
    message: "The new AvidXchange coding does not map back to exactly one SYSPRO GL code",
    suggestedAction:
      "Add a mapping that makes the reverse unambiguous, or post the reclassification by hand",
  },
  RECODE_LINES_CHANGED: {
    message: "The approver changed line amounts or the set of lines, not only their coding",
    suggestedAction: "Review the invoice and post any reclassification in SYSPRO by hand",
  },
  // Payments
  UNKNOWN_PAYMENT_STATUS: {
    message: "AvidXchange reported a payment status no AvidPay status chain knows",
    suggestedAction: "Check the payment in AvidXchange; add the status to the connection settings",
  },
  UNKNOWN_INVOICE: {
    message: "The payment settles an invoice we never sent to AvidXchange",
    suggestedAction: "Post the payment in SYSPRO by hand, or correct the remittance in AvidXchange",
  },
  SUPPLIER_MISMATCH: {
    message: "The payment's payee is not the supplier of the invoice it settles",
    suggestedAction: "Correct the payment in AvidXchange; nothing was posted",
  },
  CURRENCY_MISMATCH: {
    message: "The payment's currency is not the invoice's currency",
    suggestedAction: "Post the payment in SYSPRO by hand with the right exchange rate",
  },
  PAYMENT_ABOVE_OPEN_BALANCE: {
    message: "The payment settles more than the invoice's open balance in SYSPRO",
    suggestedAction:
      "Check for a duplicate payment or a manual payment in SYSPRO; nothing was posted",
  },
  SPLIT_MISMATCH: {
    message: "The remittance lines do not add up to the payment amount",
    suggestedAction: "Correct the remittance in AvidXchange; nothing was posted",
  },
  GL_INVALID: {
    message: "A GL account the posting needs is missing or on hold in SYSPRO",
    suggestedAction: "Reactivate the GL account or correct the posting settings, then retry",
  },
  CONFIGURATION_MISSING: {
    message: "A connection setting this step needs is not set",
    suggestedAction: "Complete the connection's posting settings, then retry",
  },
  REVERSAL_AP_REVIEW: {
    message:
      "The voided payment's GL effect was reversed by journal; the invoice is still settled in the AP sub-ledger",
    suggestedAction:
      "Void the cheque in SYSPRO AP (reopening the invoice), then skip the exception",
  },
  // Remote systems (raised by the job layer)
  INVALID_PAYLOAD: {
    message: "A record from the remote system does not match the contract and cannot be read",
    suggestedAction: "Inspect the raw payload; correct the record at its source, then retry",
  },
  REMOTE_REJECTED: {
    message: "The remote system rejected the record",
    suggestedAction: "Read the remote message, correct the record, then retry",
  },
  RETRIES_EXHAUSTED: {
    message: "The record kept failing with transient errors",
    suggestedAction: "Check the connection's health, then retry",
  },
  POSTING_OUTCOME_UNKNOWN: {
    message: "A posting may or may not be in SYSPRO, and SYSPRO could not be asked",
    suggestedAction:
      "Look the posting's reference up in SYSPRO; post it by hand only if absent, then skip the exception",
  },
} as const satisfies Record<ExceptionReason, ExceptionReasonInfo>;

/** JSON-serialisable details stored with the exception (they must survive a round trip to jsonb). */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** An exception as data: the reason, the message for a person, the action to suggest. */
export interface SyncException {
  readonly reason: ExceptionReason;
  readonly message: string;
  readonly suggestedAction: string;
  readonly details: { readonly [key: string]: JsonValue };
}

export function isExceptionReason(value: string): value is ExceptionReason {
  return Object.hasOwn(EXCEPTION_REASONS, value);
}

/** Builds an exception: the reason's message, followed by `detail` when given. */
export function syncException(
  reason: ExceptionReason,
  detail?: string,
  details: { readonly [key: string]: JsonValue } = {},
): SyncException {
  const info: ExceptionReasonInfo = EXCEPTION_REASONS[reason];
  return {
    reason,
    message: detail ? `${info.message}: ${detail}` : info.message,
    suggestedAction: info.suggestedAction,
    details,
  };
}
