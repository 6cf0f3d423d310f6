/**
 * Domain types of the sync engine.
 *
 * Terminology (the words every module in `src/sync` uses in exactly this sense):
 *
 * - **Connection**: one SYSPRO company paired with one AvidXchange company, with its credentials,
 *   schedules, mappings and policies. Every function here works for one connection at a time.
 * - **Stream**: one thing we poll (SYSPRO `ApSupplier`, `ApInvoice`, `PorMasterHdr`, `GenMaster`;
 *   AvidXchange invoice approval states, payments, enterprise codes).
 * - **Transaction ID**: a ULID minted when a record movement starts (vendor upsert, invoice send,
 *   approval received, payment posted). It is on every audit event of that movement and on the
 *   outbound record where the remote system has a field for it; it is the handle for replay.
 * - **Watermark**: per connection and stream, the last change fully processed: a timestamp plus a
 *   tie-break key. Polls re-read from the watermark's date minus a lookback, so late commits are not
 *   missed; re-reading is harmless because every effect is idempotent.
 * - **Exception**: a record we will not move until a person acts (unmapped GL code, amount mismatch,
 *   unknown supplier, rejected remotely). It carries a reason code, a message and a suggested action
 *   and is never silently dropped. In this folder an exception is *data* returned by a pure function,
 *   not a thrown error: a record may have several reasons and the batch goes on.
 * - **Replay**: re-running one transaction from its stored input through the same guards; a replay of
 *   an applied transaction is a reported no-op.
 * - **Posting**: a payment (or a reversal, or a reclassification) written into the SYSPRO ledger. A
 *   posting happens at most once, ever, guarded by the posting ledger key.
 *
 * These are our types, not wire types (those live in `src/connectors/*`) and not row types (those
 * live in `src/db/schema`). Mappers between them sit at the edges.
 *
 * The closed vocabularies shared with the database and GraphQL (policies, posting kinds) come from
 * `src/glossary.ts`.
 *
 * Money is a decimal string (`Amount`), never a JS number; `money.ts` does the arithmetic in integer
 * cents. Codes coming from SYSPRO are expected trimmed by the edge mapper (SYSPRO pads char columns).
 */

import type {
  PostingKind,
  PostingMethod,
  RecodePolicy,
  VendorDirectionPolicy,
} from "../glossary.js";

/** A decimal string, e.g. `"1150.00"`. Never a float. */
export type Amount = string;
/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** An ISO-8601 date-time, or a date; the remote system's own notion of "last modified". */
export type IsoDateTime = string;
/** A ULID, see `transaction-id.ts`. */
export type TransactionId = string;
/** ISO 4217 currency code (the edge maps SYSPRO's own currency codes to ISO). */
export type CurrencyCode = string;

// ---------------------------------------------------------------------------------------------
// Master data

/** A postal address as both systems understand it. SYSPRO's SupAddr1–5 map to line1, line2, city,
 * state, country by SYSPRO's own convention (its APSSSP sample); the edge mapper does that. */
export interface PostalAddress {
  readonly line1?: string;
  readonly line2?: string;
  readonly city?: string;
  readonly state?: string;
  readonly country?: string;
  readonly postalCode?: string;
}

/** A SYSPRO supplier (`ApSupplier`). */
export interface Supplier {
  /** SYSPRO supplier code, the key on both sides (AvidXchange `ExternalVendorCode`). */
  readonly code: string;
  readonly name: string;
  readonly shortName?: string;
  /** Name printed on cheques (SYSPRO `RemitName`), when it differs from `name`. */
  readonly remitName?: string;
  /** SYSPRO's currency code for the supplier. */
  readonly currency: string;
  readonly termsCode?: string;
  readonly branch?: string;
  readonly bank?: string;
  readonly onHold: boolean;
  readonly taxRegistration?: string;
  readonly telephone?: string;
  readonly email?: string;
  readonly contact?: string;
  readonly address: PostalAddress;
}

/** An AvidXchange vendor, as we send it (and as we read it back). */
export interface Vendor {
  /** = SYSPRO supplier code. */
  readonly externalVendorCode: string;
  readonly name: string;
  readonly nameOnCheck: string;
  readonly fedTaxId?: string;
  readonly address: PostalAddress;
  readonly telephone?: string;
  readonly email?: string;
  readonly website?: string;
  readonly active: boolean;
}

/** A SYSPRO GL account (`GenMaster`, one company). */
export interface GlAccount {
  readonly code: string;
  readonly description?: string;
  /** GenMaster `AccountType` letter (A asset, E expense, …); the full letter set is unconfirmed. */
  readonly accountType?: string;
  readonly onHold: boolean;
}

/** An AvidXchange enterprise code: a GL account (group `Accounting Codes`) or a dimension value. */
export interface AvidCode {
  readonly group: string;
  readonly value: string;
  readonly active: boolean;
  readonly description?: string;
}

/** The AvidXchange enterprise-code group holding GL accounts (contract §9.3; a connection setting). */
export const DEFAULT_GL_GROUP = "Accounting Codes";

/** One dimension on an AvidXchange line, e.g. `{ group: "Department", value: "OPS" }`. */
export interface Dimension {
  readonly group: string;
  readonly value: string;
}

/** How a line is coded on the AvidXchange side. */
export interface AvidCoding {
  readonly glCode: string;
  readonly dimensions: readonly Dimension[];
}

// ---------------------------------------------------------------------------------------------
// GL mappings (rows per connection)

/** SYSPRO GL code → AvidXchange GL code + dimensions, for exactly one SYSPRO code. Wins over rules. */
export interface ExactGlMapping {
  readonly kind: "exact";
  readonly id: string;
  readonly sysproGlCode: string;
  readonly avidGlCode: string;
  readonly dimensions: readonly Dimension[];
}

/**
 * One segment of a SYSPRO GL code (split by `separator`, 1-based `segment`) → one AvidXchange target:
 * the GL account, or one dimension group. Rules combine: e.g. segment 1 → GL account and segment 2
 * → `Department` map `6100-210` to GL `6100` + Department `210` (or, through `values`, `OPS`).
 */
export interface SegmentGlRule {
  readonly kind: "segment";
  readonly id: string;
  readonly separator: string;
  readonly segment: number;
  readonly target:
    { readonly kind: "glAccount" } | { readonly kind: "dimension"; readonly group: string };
  /** SYSPRO segment value → AvidXchange code value. Absent: the segment value is used as is. When
   * present, a value missing from it is unmapped (never passed through). */
  readonly values?: Readonly<Record<string, string>>;
  /** When true (the default) a GL code without this segment is unmapped; when false the rule simply
   * does not apply to it. */
  readonly required?: boolean;
}

export type GlMapping = ExactGlMapping | SegmentGlRule;

// ---------------------------------------------------------------------------------------------
// Purchase orders and invoices (SYSPRO side)

export interface PurchaseOrderLine {
  readonly line: number;
  readonly stockCode?: string;
  readonly description?: string;
  /** Decimal string. */
  readonly quantity: string;
  readonly unitPrice: Amount;
  readonly uom?: string;
  readonly glCode?: string;
}

/** A SYSPRO purchase order (`PorMasterHdr` + `PorMasterDetail`). */
export interface PurchaseOrder {
  readonly poNumber: string;
  readonly supplier: string;
  readonly orderDate: IsoDate;
  readonly dueDate?: IsoDate;
  readonly status: string;
  readonly lines: readonly PurchaseOrderLine[];
}

/** One GL distribution line of a SYSPRO AP invoice (`ApJnlDistrib`). */
export interface InvoiceLine {
  readonly lineNumber: number;
  readonly glCode: string;
  readonly amount: Amount;
  readonly description?: string;
}

/** A SYSPRO AP invoice (`ApInvoice`) with its GL distribution. */
export interface Invoice {
  readonly supplier: string;
  readonly invoiceNumber: string;
  readonly invoiceDate: IsoDate;
  readonly dueDate?: IsoDate;
  readonly journalDate?: IsoDate;
  readonly currency: CurrencyCode;
  /** Invoice value including tax (`OrigInvValue`). */
  readonly amount: Amount;
  readonly taxAmount: Amount;
  /** `MthInvBal1`. */
  readonly openBalance: Amount;
  readonly poNumber?: string;
  readonly reference?: string;
  readonly lines: readonly InvoiceLine[];
}

// ---------------------------------------------------------------------------------------------
// Invoices (AvidXchange side)

/** A line as we send it to AvidXchange; `sysproGlCode` stays with us (it is the credit side of a
 * later reclassification) and is not sent. */
export interface AvidInvoiceLine extends AvidCoding {
  readonly lineNumber: number;
  readonly amount: Amount;
  readonly description?: string;
  readonly sysproGlCode: string;
}

/** An invoice for AvidXchange approval (contract §9.4), as a domain object. */
export interface AvidInvoice {
  readonly externalInvoiceId: string;
  readonly invoiceNumber: string;
  readonly vendorExternalCode: string;
  readonly invoiceDate: IsoDate;
  readonly dueDate?: IsoDate;
  readonly currency: CurrencyCode;
  readonly amount: Amount;
  readonly taxAmount: Amount;
  readonly poNumber?: string;
  readonly memo?: string;
  readonly transactionId: TransactionId;
  readonly lines: readonly AvidInvoiceLine[];
}

/** A line as AvidXchange returns it (possibly re-coded by an approver). */
export interface ReturnedInvoiceLine extends AvidCoding {
  readonly lineNumber: number;
  readonly amount: Amount;
}

// ---------------------------------------------------------------------------------------------
// Payments (AvidXchange → SYSPRO)

export type PaymentMethod =
  "AvidPay Check" | "AvidPay Direct" | "Virtual Credit Card" | "e-Payment";

export interface RemittanceLine {
  readonly invoiceId?: string;
  readonly externalInvoiceId?: string;
  readonly invoiceNumber: string;
  readonly grossAmount: Amount;
  readonly discountAmount: Amount;
  /** Net paid: gross − discount. */
  readonly amount: Amount;
}

/** An AvidPay payment (contract §7.6 + §9.5). */
export interface Payment {
  readonly paymentId: string;
  /** `Status.Description`, e.g. `Funds Received`. */
  readonly status: string;
  /** One of `PaymentMethod` as far as we know; kept open because the contract's list may be short. */
  readonly method?: string;
  readonly currency: CurrencyCode;
  readonly amount: Amount;
  readonly paymentDate: IsoDate;
  /** Payee external id = SYSPRO supplier code. */
  readonly payeeExternalId: string;
  readonly lastModified: IsoDateTime;
  readonly remittance: readonly RemittanceLine[];
}

/** What we know of an invoice we sent, as needed to check a payment against it. */
export interface SentInvoice {
  readonly externalInvoiceId: string;
  readonly avidInvoiceId?: string;
  readonly supplier: string;
  readonly invoiceNumber: string;
  readonly currency: CurrencyCode;
  /** SYSPRO's current open balance (`MthInvBal1`), read just before posting. */
  readonly openBalance: Amount;
  /** SYSPRO GL codes of its distribution. */
  readonly glCodes: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Postings (plans for SYSPRO e.net writes)

/** A GENTJL line. `amount` is positive; `side` says debit or credit (the edge signs it). */
export interface JournalLine {
  readonly glCode: string;
  readonly side: "debit" | "credit";
  readonly amount: Amount;
  readonly reference: string;
  readonly comment?: string;
}

/** A GENTJL journal to post. */
export interface JournalPlan {
  readonly kind: "GENTJL";
  /** Our deterministic reference (`JournalReference`), the handle for "did it post already?". */
  readonly reference: string;
  readonly notation: string;
  /** Absent = SYSPRO's system date. */
  readonly journalDate?: IsoDate;
  readonly lines: readonly JournalLine[];
}

export interface ReleasedInvoice {
  readonly invoice: string;
  readonly grossPayValue: Amount;
  readonly discPayValue: Amount;
}

/** An APSTPM manual payment against one supplier's invoices. */
export interface ManualPaymentPlan {
  readonly kind: "APSTPM";
  readonly supplier: string;
  readonly bank: string;
  readonly chequeDate: IsoDate;
  /** Our deterministic payment reference; SYSPRO stores it as `ApInvoicePay.PaymentReference`. */
  readonly cheque: string;
  /** Σ (gross − discount). */
  readonly chequeValue: Amount;
  readonly releasedInvoices: readonly ReleasedInvoice[];
}

export type PostingPlan = ManualPaymentPlan | JournalPlan;

/** The ledger kinds a payment posting can have (`reclass` postings key differently, see
 * `approvals/detect-recode.ts`). Values are the glossary's `PostingKind`s. */
export type PaymentPostingKind = Extract<PostingKind, "payment" | "reversal">;

/** The unique key a posting is claimed under in the posting ledger, one per settled invoice. */
export interface PostingLedgerKey {
  readonly connection: string;
  readonly avidPaymentId: string;
  /** SYSPRO invoice number (a payment settles one supplier's invoices). */
  readonly invoice: string;
  readonly kind: PaymentPostingKind;
}

// ---------------------------------------------------------------------------------------------
// Connection policies

export interface PostingSettings {
  /** APSTPM settles the AP sub-ledger (default); GENTJL posts a journal only. */
  readonly method: PostingMethod;
  /** AvidPay status at which a payment is posted. */
  readonly postingStatus: string;
  /** SYSPRO bank code (APSTPM `Bank`). */
  readonly bank?: string;
  /** AP control account (journal mode and reversals). */
  readonly apControlGlCode?: string;
  /** The account the cash leaves from: bank clearing in journal mode, the bank's GL account for
   * APSTPM (needed to reverse one). */
  readonly bankGlCode?: string;
  /** Discount received account, needed only when a remittance takes a discount in journal mode. */
  readonly discountGlCode?: string;
}

export interface ConnectionPolicies {
  /** A vendor that exists only in AvidXchange: hold it for a person, or create it in SYSPRO. */
  readonly vendorOnlyInAvid: VendorDirectionPolicy;
  /** An approver re-coded a line: post a reclassification journal, or hold for a person. */
  readonly recode: RecodePolicy;
  readonly posting: PostingSettings;
}

export const DEFAULT_POLICIES: ConnectionPolicies = {
  vendorOnlyInAvid: "HOLD",
  recode: "JOURNAL",
  posting: { method: "APSTPM", postingStatus: "Funds Received" },
};

export type { ExceptionReason, SyncException } from "./exceptions.js";
