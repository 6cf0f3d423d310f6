import { builder } from "./builder.js";

/**
 * Enums shared by several types. GraphQL names are upper case; the values are the database's
 * lower-case ones (see src/glossary.ts for their meaning).
 */

export const SyncStateEnum = builder.enumType("SyncState", {
  description: "Where a mirrored record stands in moving to the other system.",
  values: {
    PENDING: { value: "pending", description: "Not moved yet, or changed since it was." },
    SYNCED: { value: "synced", description: "The other system has it as it is now." },
    HELD: { value: "held", description: "Waiting on something else first (e.g. its supplier)." },
    EXCEPTION: { value: "exception", description: "Held for a person: see its exceptions." },
    SKIPPED: { value: "skipped", description: "A person decided it is not to be moved." },
  } as const,
});

export const SyncKindEnum = builder.enumType("SyncKind", {
  description: "What a sync run moves; also the unit of scheduling.",
  values: {
    SUPPLIERS: { value: "suppliers", description: "SYSPRO suppliers → AvidXchange vendors." },
    PURCHASE_ORDERS: { value: "purchase_orders", description: "SYSPRO POs → AvidXchange." },
    INVOICES: { value: "invoices", description: "SYSPRO AP invoices → AvidXchange for approval." },
    APPROVALS: {
      value: "approvals",
      description: "AvidXchange approval states (and re-codings) → back to the invoices.",
    },
    PAYMENTS: { value: "payments", description: "AvidXchange payments → posted in SYSPRO." },
    REFERENCE_DATA: {
      value: "reference_data",
      description: "SYSPRO GL accounts and AvidXchange GL codes and dimensions, for mapping.",
    },
  } as const,
});

export const SyncRunStateEnum = builder.enumType("SyncRunState", {
  description: "Where a sync run is.",
  values: {
    QUEUED: { value: "queued", description: "Waiting for a worker." },
    RUNNING: { value: "running", description: "A worker is on it." },
    SUCCEEDED: {
      value: "succeeded",
      description: "Finished; records it could not move are exceptions.",
    },
    FAILED: { value: "failed", description: "Stopped by an error after its retries; see `error`." },
    CANCELLED: { value: "cancelled", description: "Stopped before it finished." },
  } as const,
});

export const ConnectionStatusEnum = builder.enumType("ConnectionStatus", {
  description: "Whether a connection syncs.",
  values: {
    ACTIVE: { value: "active", description: "Syncs on its schedules and on demand." },
    PAUSED: {
      value: "paused",
      description: "Schedules do not run; syncs can still be started by hand.",
    },
    DISABLED: { value: "disabled", description: "Nothing runs, not even by hand." },
  } as const,
});

export const ReadinessStateEnum = builder.enumType("ReadinessState", {
  description: "Whether every SYSPRO GL code in use maps to a valid AvidXchange coding.",
  values: {
    UNKNOWN: { value: "unknown", description: "Not checked yet." },
    READY: { value: "ready", description: "Every GL code in use maps; invoices can be sent." },
    NOT_READY: {
      value: "not_ready",
      description: "Some GL codes in use do not map; invoice sync waits unless forced.",
    },
  } as const,
});

export const VendorDirectionPolicyEnum = builder.enumType("VendorDirectionPolicy", {
  description: "What to do with a vendor that exists in AvidXchange but not as a SYSPRO supplier.",
  values: {
    HOLD: { description: "Raise an exception for a person (the default)." },
    CREATE_IN_SYSPRO: { description: "Create the supplier in SYSPRO (validated first)." },
  } as const,
});

export const RecodePolicyEnum = builder.enumType("RecodePolicy", {
  description: "What to do when an approver re-codes an invoice line in AvidXchange.",
  values: {
    JOURNAL: { description: "Post a reclassification journal in SYSPRO." },
    EXCEPTION: { description: "Raise an exception for a person." },
  } as const,
});

export const PostingMethodEnum = builder.enumType("PostingMethod", {
  description: "How a payment is written into SYSPRO.",
  values: {
    APSTPM: { description: "AP manual payment: settles the invoice in the AP sub-ledger." },
    GENTJL: { description: "General ledger journal." },
  } as const,
});

export const PaymentPostingStateEnum = builder.enumType("PaymentPostingState", {
  description: "Where a payment stands in being posted to the SYSPRO ledger.",
  values: {
    AWAITING_STATUS: {
      value: "awaiting_status",
      description: "Not yet at the connection's posting status (e.g. Funds Received).",
    },
    READY: { value: "ready", description: "At the posting status; posting is due." },
    POSTED: { value: "posted", description: "Posted in SYSPRO; see its postings." },
    EXCEPTION: { value: "exception", description: "Held for a person; nothing was posted." },
    REVERSED: { value: "reversed", description: "Voided after posting, and reversed in SYSPRO." },
  } as const,
});

export const PostingKindEnum = builder.enumType("PostingKind", {
  description: "What a ledger posting is.",
  values: {
    PAYMENT: { value: "payment", description: "A payment applied to an invoice." },
    REVERSAL: { value: "reversal", description: "The reversal of a voided payment." },
    RECLASS: { value: "reclass", description: "A reclassification journal for a re-coded line." },
  } as const,
});

export const PostingStateEnum = builder.enumType("PostingState", {
  description: "Where a ledger posting is. A posting happens at most once, ever.",
  values: {
    CLAIMED: { value: "claimed", description: "Recorded and about to be sent to SYSPRO." },
    POSTED: { value: "posted", description: "SYSPRO accepted it; see its SYSPRO reference." },
    FAILED: { value: "failed", description: "SYSPRO refused it; see its error." },
    UNKNOWN: {
      value: "unknown",
      description: "The answer was lost; SYSPRO is asked whether it happened before any retry.",
    },
  } as const,
});

export const GlMappingKindEnum = builder.enumType("GlMappingKind", {
  description: "How a GL mapping matches SYSPRO GL codes.",
  values: {
    EXACT: {
      value: "exact",
      description: "One SYSPRO GL code → an AvidXchange GL code and dimensions.",
    },
    SEGMENT: {
      value: "segment",
      description: "One segment of any GL code → the AvidXchange GL code or one dimension.",
    },
  } as const,
});

export const ExceptionStateEnum = builder.enumType("ExceptionState", {
  description: "Where an exception stands.",
  values: {
    OPEN: { value: "open", description: "Waiting for a person." },
    RETRYING: { value: "retrying", description: "A person asked for a retry; it is under way." },
    SKIPPED: { value: "skipped", description: "A person decided the record is not to be moved." },
    ABORTED: { value: "aborted", description: "A person gave up this attempt." },
    RESOLVED: { value: "resolved", description: "Solved: the record moved." },
  } as const,
});

export const TransactionStateEnum = builder.enumType("TransactionState", {
  description: "Where a record movement stands.",
  values: {
    PENDING: { value: "pending", description: "Started, not finished." },
    SUCCEEDED: { value: "succeeded", description: "Done." },
    FAILED: { value: "failed", description: "Stopped by an error, or aborted by a person." },
    EXCEPTION: { value: "exception", description: "Held for a person: see its exceptions." },
    SKIPPED: { value: "skipped", description: "A person decided not to move the record." },
  } as const,
});

export const CredentialKindEnum = builder.enumType("CredentialKind", {
  description: "The secrets a connection holds. They can be set, never read back.",
  values: {
    SYSPRO_OPERATOR_PASSWORD: {
      value: "syspro_operator_password",
      description: "The SYSPRO operator's password (e.net logon).",
    },
    SYSPRO_COMPANY_PASSWORD: {
      value: "syspro_company_password",
      description: "The SYSPRO company password (e.net logon), if the company has one.",
    },
    SYSPRO_ODATA_PASSWORD: {
      value: "syspro_odata_password",
      description: "The password of the SYSPRO OData (read) user.",
    },
    AVID_CLIENT_SECRET: {
      value: "avid_client_secret",
      description: "The AvidXchange API client secret (OAuth2).",
    },
  } as const,
});
