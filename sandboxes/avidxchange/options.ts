/**
 * Options of the AvidXchange sandbox and their defaults. Every choice the contract marks [I] (header
 * names, status codes, paging shape, rates) is a setting here, so tests can play each variant of §9.2.
 */
import type { ReferenceCustomer, ReferenceCustomerOptions } from "../reference-customer/types.js";
import type { PaymentStatus } from "./statuses.js";

/** WSO2 key type: which data set a token sees (§4.5, §7.1). */
export type KeyType = "production" | "sandbox";

export interface SandboxClient {
  clientId: string;
  clientSecret: string;
  keyType: KeyType;
  /** Company ids this client may act for (`X-Avid-Company-Id`). */
  companies: string[];
  /** Overrides the sandbox's `tokenTtlSeconds` for this client. */
  tokenTtlSeconds?: number;
}

export interface SandboxCompany {
  id: string;
  name: string;
  /** Load the reference customer's enterprise codes and AvidXchange-only vendors (default true). */
  seeded?: boolean;
}

export type PagingVariant = "links" | "pageCount" | "pages" | "none";
export type ResourceName =
  | "vendors"
  | "enterprisecodes"
  | "purchaseorders"
  | "invoices"
  | "payments"
  | "paymentBatches"
  | "accountingSystems";

/** Wire variants seen in the wild (§9.2); the connector must survive each one. */
export interface Variants {
  /** "object": a request with exactly one item gets `Results` as a single object. */
  results: "array" | "object";
  /** "string": `Successful` is "true" / "false". */
  successful: "boolean" | "string";
  /** links = Paging with PageCount and Links; pageCount = no Links; pages = `Pages`, no Links; none = no Paging. */
  paging: PagingVariant;
  pagingByResource: Partial<Record<ResourceName, PagingVariant>>;
  retryAfter: "http-date" | "seconds";
  /** Emit X-RateLimit-* headers (WSO2 does not by default). */
  rateLimitHeaders: boolean;
  /** flat = APIM 4.x `{code,message,description}`; fault = older `{fault:{code,…}}`. */
  gatewayErrors: "flat" | "fault";
  /** Status of 900906 "No matching resource" (WSO2 documents 403; §7.3 uses 404). */
  noMatchStatus: 403 | 404;
  /**
   * Voiding a Cleared or Void payment: "result" = `Successful:false` inside HTTP 200 (§7.6);
   * "409" = the whole request fails with a 409 AvidException and nothing is voided (§7.4).
   */
  voidRefusal: "result" | "409";
}

export interface RateLimitOptions {
  /** Sustained quota per (client, company); exceeding it gives 900800. */
  requestsPerMinute: number;
  /** Burst control per (client, company); exceeding it gives 900807. */
  burstPerSecond: number;
}

export interface LifecycleProbabilities {
  /** An approver rejects the invoice. */
  reject: number;
  /** An approver puts the invoice on hold (released later, then approved). */
  hold: number;
  /** An approver re-codes one line (GL code and/or Department) before approving. */
  recode: number;
  /** A payment is held after Pending Approval, then released. */
  paymentHeld: number;
  /** A payment goes to Error (with an exception reason) at Processing, then is resolved. */
  paymentError: number;
  /** A payment is voided before it clears (its invoices return to Approved and are paid again). */
  paymentVoid: number;
}

export interface LifecycleTimings {
  /** Received → In Approval. */
  receivedMs: number;
  /** Time an approver takes per approval step. */
  approvalStepMs: number;
  /** On Hold → back In Approval. */
  onHoldMs: number;
  /** Payment runs happen every `paymentRunEveryMs`, at `paymentRunOffsetMs` past each period's start (UTC). */
  paymentRunEveryMs: number;
  paymentRunOffsetMs: number;
  /** Time a payment spends in each status before the next one. */
  paymentStatusMs: Record<PaymentStatus, number>;
}

export interface LifecycleOptions {
  enabled: boolean;
  probabilities: LifecycleProbabilities;
  timings: LifecycleTimings;
  /** Invoices at or above this amount (decimal string) need a second approver. */
  twoStepThreshold: string;
  /** Weights of the payment method assigned to each vendor. */
  paymentMethodWeights: { check: number; ach: number; vcc: number };
  maxInvoicesPerPayment: number;
  approvers: string[];
  /** The second-step approver for large invoices. */
  seniorApprover: string;
}

/** The reference-customer fields the sandbox seeds from (a fixture may supply just these). */
export type AvidSeedData = Pick<
  ReferenceCustomer,
  "company" | "avidAccountingCodes" | "avidDimensions" | "avidOnlyVendors" | "suppliers"
>;

export interface AvidSandboxOptions {
  /** PRNG seed for the lifecycle, tokens and ids; default 42. */
  seed?: number;
  /** A ready reference customer (share the SYSPRO sandbox's instance) or options to build one. */
  referenceCustomer?: AvidSeedData;
  reference?: ReferenceCustomerOptions;
  /** Simulated start time (ISO or epoch ms); default 2026-11-02T08:00:00Z. */
  startTime?: string | number;
  /** Real-time source for the rate limiter and accelerated clock; default Date.now. */
  realNow?: () => number;
  /** Start the clock accelerated: simulated ms per real ms (e.g. 600 = 1 s → 10 min). Default 0. */
  accelerate?: number;
  host?: string;
  /** Company header name; default X-Avid-Company-Id. */
  companyHeader?: string;
  clients?: SandboxClient[];
  companies?: SandboxCompany[];
  tokenTtlSeconds?: number;
  /** Which key types have a backend; a token of a disabled type gets 401 900901. */
  endpoints?: { production?: boolean; sandbox?: boolean };
  rateLimit?: Partial<RateLimitOptions> | false;
  variants?: Partial<Variants>;
  lifecycle?: {
    enabled?: boolean;
    probabilities?: Partial<LifecycleProbabilities>;
    timings?: Partial<Omit<LifecycleTimings, "paymentStatusMs">> & {
      paymentStatusMs?: Partial<Record<PaymentStatus, number>>;
    };
    twoStepThreshold?: string;
    paymentMethodWeights?: { check: number; ach: number; vcc: number };
    maxInvoicesPerPayment?: number;
    approvers?: string[];
    seniorApprover?: string;
  };
  /** Also create a vendor for every reference supplier (as if the connector had pushed them). */
  seedVendorsFromSuppliers?: boolean;
  defaultPageSize?: number;
  maxPageSize?: number;
  /** Items per POST (Invoices, Vendors, …); more is a 400. Default 100. */
  maxBatchItems?: number;
  /** Widest lastModified window on GET /v1/payments, in days; default 31. */
  maxPaymentWindowDays?: number;
  requestLogLimit?: number;
  /** The buyer's bank account on payments (`BankAccount.ClientIds`). */
  bankAccountClientId?: string;
  /** GL accounts' enterprise-code group; default "Accounting Codes". */
  glGroupName?: string;
  /** Serve the /__sandbox control routes; default true. */
  controlRoutes?: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEFAULT_COMPANY_ID = "10001";
export const SECOND_COMPANY_ID = "10002";
export const OTHER_COMPANY_ID = "10003";

export const DEFAULT_CLIENTS: readonly SandboxClient[] = [
  {
    clientId: "med-avid-client",
    clientSecret: "med-avid-secret",
    keyType: "production",
    companies: [DEFAULT_COMPANY_ID, SECOND_COMPANY_ID],
  },
  {
    clientId: "med-avid-sandbox-client",
    clientSecret: "med-avid-sandbox-secret",
    keyType: "sandbox",
    companies: [DEFAULT_COMPANY_ID],
  },
  {
    clientId: "other-avid-client",
    clientSecret: "other-avid-secret",
    keyType: "production",
    companies: [OTHER_COMPANY_ID],
  },
];

export const DEFAULT_COMPANIES: readonly SandboxCompany[] = [
  { id: DEFAULT_COMPANY_ID, name: "Meridian Electronics Distribution" },
  { id: SECOND_COMPANY_ID, name: "Meridian Electronics Canada" },
  { id: OTHER_COMPANY_ID, name: "Unrelated Holdings", seeded: false },
];

export const DEFAULT_VARIANTS: Variants = {
  results: "array",
  successful: "boolean",
  paging: "links",
  pagingByResource: {},
  retryAfter: "http-date",
  rateLimitHeaders: false,
  gatewayErrors: "flat",
  noMatchStatus: 404,
  voidRefusal: "result",
};

export const DEFAULT_LIFECYCLE: LifecycleOptions = {
  enabled: true,
  probabilities: {
    reject: 0.03,
    hold: 0.04,
    recode: 0.08,
    paymentHeld: 0.02,
    paymentError: 0.03,
    paymentVoid: 0.02,
  },
  timings: {
    receivedMs: 30 * 60_000,
    approvalStepMs: 6 * HOUR,
    onHoldMs: DAY,
    paymentRunEveryMs: DAY,
    paymentRunOffsetMs: 15 * HOUR,
    paymentStatusMs: {
      "Pending Approval": 4 * HOUR,
      Held: DAY,
      Processing: 6 * HOUR,
      Error: DAY,
      Void: 0,
      "Debit Requested": 12 * HOUR,
      "Funds Received": 6 * HOUR,
      "Sent to Check Printer": 12 * HOUR,
      Cleared: 0,
      "Issued to Supplier": 3 * DAY,
      "ACH Credit Issued": DAY,
      "VCC Processing": DAY,
    },
  },
  twoStepThreshold: "10000.00",
  paymentMethodWeights: { check: 0.5, ach: 0.35, vcc: 0.15 },
  maxInvoicesPerPayment: 25,
  approvers: ["j.smith", "m.garcia", "a.chen", "r.patel"],
  seniorApprover: "l.wong",
};

export interface ResolvedOptions {
  seed: number;
  startMs: number;
  realNow: () => number;
  accelerate: number;
  host: string;
  companyHeader: string;
  clients: SandboxClient[];
  companies: SandboxCompany[];
  tokenTtlSeconds: number;
  endpoints: { production: boolean; sandbox: boolean };
  rateLimit: RateLimitOptions | false;
  variants: Variants;
  lifecycle: LifecycleOptions;
  seedVendorsFromSuppliers: boolean;
  defaultPageSize: number;
  maxPageSize: number;
  maxBatchItems: number;
  maxPaymentWindowDays: number;
  requestLogLimit: number;
  bankAccountClientId: string;
  glGroupName: string;
  controlRoutes: boolean;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { requestsPerMinute: 600, burstPerSecond: 50 };

export function resolveOptions(options: AvidSandboxOptions): ResolvedOptions {
  const start = options.startTime ?? "2026-11-02T08:00:00.000Z";
  const startMs = typeof start === "number" ? start : Date.parse(start);
  if (!Number.isFinite(startMs)) {
    throw new RangeError(`startTime is not a date: ${String(start)}`);
  }
  const lc = options.lifecycle ?? {};
  return {
    seed: options.seed ?? 42,
    startMs,
    realNow: options.realNow ?? Date.now,
    accelerate: options.accelerate ?? 0,
    host: options.host ?? "127.0.0.1",
    companyHeader: options.companyHeader ?? "X-Avid-Company-Id",
    clients: (options.clients ?? DEFAULT_CLIENTS).map((c) => ({
      ...c,
      companies: [...c.companies],
    })),
    companies: (options.companies ?? DEFAULT_COMPANIES).map((c) => ({ ...c })),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    endpoints: { production: true, sandbox: true, ...options.endpoints },
    rateLimit:
      options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMIT, ...options.rateLimit },
    variants: {
      ...DEFAULT_VARIANTS,
      ...options.variants,
      pagingByResource: { ...options.variants?.pagingByResource },
    },
    lifecycle: {
      enabled: lc.enabled ?? DEFAULT_LIFECYCLE.enabled,
      probabilities: { ...DEFAULT_LIFECYCLE.probabilities, ...lc.probabilities },
      timings: {
        ...DEFAULT_LIFECYCLE.timings,
        ...lc.timings,
        paymentStatusMs: {
          ...DEFAULT_LIFECYCLE.timings.paymentStatusMs,
          ...lc.timings?.paymentStatusMs,
        },
      },
      twoStepThreshold: lc.twoStepThreshold ?? DEFAULT_LIFECYCLE.twoStepThreshold,
      paymentMethodWeights: lc.paymentMethodWeights ?? DEFAULT_LIFECYCLE.paymentMethodWeights,
      maxInvoicesPerPayment: lc.maxInvoicesPerPayment ?? DEFAULT_LIFECYCLE.maxInvoicesPerPayment,
      approvers: lc.approvers ?? DEFAULT_LIFECYCLE.approvers,
      seniorApprover: lc.seniorApprover ?? DEFAULT_LIFECYCLE.seniorApprover,
    },
    seedVendorsFromSuppliers: options.seedVendorsFromSuppliers ?? false,
    defaultPageSize: options.defaultPageSize ?? 500,
    maxPageSize: options.maxPageSize ?? 1000,
    maxBatchItems: options.maxBatchItems ?? 100,
    maxPaymentWindowDays: options.maxPaymentWindowDays ?? 31,
    requestLogLimit: options.requestLogLimit ?? 10_000,
    bankAccountClientId: options.bankAccountClientId ?? "1000-OPER",
    glGroupName: options.glGroupName ?? "Accounting Codes",
    controlRoutes: options.controlRoutes ?? true,
  };
}
