/**
 * Terminology, and the small closed vocabularies the database, GraphQL and jobs share.
 *
 * - Connection: one SYSPRO company paired with one AvidXchange company, with its encrypted
 *   credentials, schedules, mappings and policies. One gateway serves many connections.
 * - Stream: one thing we poll (SYSPRO ApSupplier, ApInvoice, PorMasterHdr, GenMaster; AvidXchange
 *   invoice approval states, payments, enterprise codes).
 * - Watermark: per connection and stream, the last change fully processed (timestamp + tie-break
 *   key). Polls read from `watermark - lookback` so late commits are not missed.
 * - Transaction ID: a ULID minted when a record movement starts (vendor upsert, invoice send,
 *   approval received, payment posted). On every audit event and tagged outbound request; the
 *   handle for replay.
 * - Exception: a record we will not move until a person acts (unmapped GL code, amount mismatch,
 *   unknown supplier, remote rejection). Visible, explained, never silently dropped.
 * - Posting: a payment (or its reversal, or a reclassification journal) written into the SYSPRO
 *   ledger. A posting happens at most once, ever: the `postings` table's unique keys guarantee it.
 * - Replay: re-running one transaction from its stored input through the same guards.
 * - Sync run: one execution of a sync kind for a connection, with its counts (possibly a dry run).
 */

/** API key roles, weakest first: viewer reads, operator runs syncs/replays/exceptions, admin all. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** The secrets a connection holds; values only ever live encrypted in `credentials`. */
export const CREDENTIAL_KINDS = [
  "syspro_operator_password",
  "syspro_company_password",
  "syspro_odata_password",
  "avid_client_secret",
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const CONNECTION_STATUSES = ["active", "paused", "disabled"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** Last mapping-readiness verdict for a connection (flow 6). */
export const READINESS_STATES = ["unknown", "ready", "not_ready"] as const;
export type ReadinessState = (typeof READINESS_STATES)[number];

/** What to do with a vendor that exists in AvidXchange but not in SYSPRO. */
export const VENDOR_DIRECTION_POLICIES = ["HOLD", "CREATE_IN_SYSPRO"] as const;
export type VendorDirectionPolicy = (typeof VENDOR_DIRECTION_POLICIES)[number];

/** What to do when an approver re-codes an invoice line in AvidXchange. */
export const RECODE_POLICIES = ["JOURNAL", "EXCEPTION"] as const;
export type RecodePolicy = (typeof RECODE_POLICIES)[number];

/** How a payment is written into SYSPRO: AP manual payment (settles the sub-ledger) or GL journal. */
export const POSTING_METHODS = ["APSTPM", "GENTJL"] as const;
export type PostingMethod = (typeof POSTING_METHODS)[number];

export const REMOTE_SYSTEMS = ["syspro", "avidxchange"] as const;
export type RemoteSystem = (typeof REMOTE_SYSTEMS)[number];

/** Where a mirrored record stands relative to the other system. */
export const SYNC_STATES = ["pending", "synced", "held", "exception", "skipped"] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/** What a sync run does; also the unit of scheduling. */
export const SYNC_KINDS = [
  "suppliers",
  "purchase_orders",
  "invoices",
  "approvals",
  "payments",
  "reference_data",
] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export const SYNC_RUN_STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type SyncRunState = (typeof SYNC_RUN_STATES)[number];

export const TRANSACTION_STATES = [
  "pending",
  "succeeded",
  "failed",
  "exception",
  "skipped",
] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];

/** Where a payment stands in posting to the SYSPRO ledger. */
export const PAYMENT_POSTING_STATES = [
  "awaiting_status",
  "ready",
  "posted",
  "exception",
  "reversed",
] as const;
export type PaymentPostingState = (typeof PAYMENT_POSTING_STATES)[number];

export const POSTING_KINDS = ["payment", "reversal", "reclass"] as const;
export type PostingKind = (typeof POSTING_KINDS)[number];

/**
 * A posting's life: claimed (intent recorded, before the request) → posted | failed; `unknown`
 * after an ambiguous failure, resolved by asking SYSPRO whether the reference exists.
 */
export const POSTING_STATES = ["claimed", "posted", "failed", "unknown"] as const;
export type PostingState = (typeof POSTING_STATES)[number];

export const GL_MAPPING_KINDS = ["exact", "segment"] as const;
export type GlMappingKind = (typeof GL_MAPPING_KINDS)[number];

export const EXCEPTION_STATES = ["open", "retrying", "skipped", "aborted", "resolved"] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];
/** Exceptions in these states still block their subject. */
export const ACTIVE_EXCEPTION_STATES = ["open", "retrying"] as const satisfies ExceptionState[];

/**
 * Stable reasons an exception is raised (the `exceptions.reason_code` column is text, so adding one
 * needs no migration). The message and suggested action of each are in src/sync/exceptions.ts,
 * which must cover exactly these codes: the type checker holds the two together.
 */
export const EXCEPTION_REASON_CODES = [
  "UNMAPPED_GL",
  "UNKNOWN_TARGET",
  "INACTIVE_TARGET",
  "UNKNOWN_DIMENSION",
  "MAPPING_CONFLICT",
  "NO_GL_DISTRIBUTION",
  "AMOUNT_MISMATCH",
  "INVALID_AMOUNT",
  "SUPPLIER_NOT_SYNCED",
  "VENDOR_NOT_IN_SYSPRO",
  "SUPPLIER_SETUP_INVALID",
  "RECODED",
  "RECODE_UNMAPPABLE",
  "RECODE_LINES_CHANGED",
  "UNKNOWN_PAYMENT_STATUS",
  "UNKNOWN_INVOICE",
  "SUPPLIER_MISMATCH",
  "CURRENCY_MISMATCH",
  "PAYMENT_ABOVE_OPEN_BALANCE",
  "SPLIT_MISMATCH",
  "GL_INVALID",
  "CONFIGURATION_MISSING",
  "REVERSAL_AP_REVIEW",
  "INVALID_PAYLOAD",
  "REMOTE_REJECTED",
  "RETRIES_EXHAUSTED",
  "POSTING_OUTCOME_UNKNOWN",
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASON_CODES)[number];
