/**
 * Everything contract §9 marks [I] (paths, header names, reason strings, page sizes, limits) is a
 * setting with the contract's value as default, so a customer's real AvidXchange contract can
 * replace it without code changes.
 */

/** Resource paths under `apiBasePath`. `{paymentId}` is substituted. */
export interface AvidPaths {
  readonly vendors: string;
  readonly enterpriseCodes: string;
  readonly purchaseOrders: string;
  readonly invoices: string;
  readonly payments: string;
  readonly paymentHistory: string;
}

/** A request rate: `requestsPerSecond` sustained, `burst` requests at once. */
export interface RateLimit {
  readonly requestsPerSecond: number;
  readonly burst: number;
}

export interface AvidRetrySettings {
  /** Attempts for 5xx, timeouts and network failures, the first included. */
  readonly maxAttempts: number;
  /** 429s retried within one call before it fails (as retryable) for the job to retry later. */
  readonly maxRateLimitRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited out in-call: the call fails, retryable. */
  readonly maxRetryAfterMs: number;
}

export interface AvidSettings {
  /** `/v1` (§2.1). */
  readonly apiBasePath: string;
  readonly paths: AvidPaths;
  /** Enterprise-code group of GL accounts (§9.3). */
  readonly glGroupName: string;
  readonly pageNumberParam: string;
  readonly pageSizeParam: string;
  /** Page size asked for (§7.5: default 500, max 1000). */
  readonly pageSize: number;
  readonly maxPages: number;
  /** Items per POST (§9.4: up to 100). */
  readonly batchSize: number;
  /** Ids per `invoiceIds=` / `paymentIds=` query. */
  readonly idsPerRequest: number;
  /** Widest payments window, calendar days inclusive (§9.5). */
  readonly paymentWindowMaxDays: number;
  /** Widest invoices window; undefined = no limit. */
  readonly invoiceWindowMaxDays: number | undefined;
  /** OAuth scope to ask for, if any. */
  readonly tokenScope: string | undefined;
  /** Fetch a new token this long before the old one expires (at most a tenth of its lifetime). */
  readonly tokenRefreshMarginMs: number;
  /** Pace of requests per company: stay under AvidXchange's limit instead of discovering it. */
  readonly rateLimit: RateLimit;
  /** The limiter key; default per (gateway, client, company). */
  readonly rateLimitKey: string | undefined;
  readonly retry: AvidRetrySettings;
  readonly timeouts: {
    readonly headersMs: number;
    readonly bodyMs: number;
    readonly totalMs: number;
  };
  /** WSO2 codes of a dead token (§4.3): drop it, fetch one more, retry once. */
  readonly invalidTokenCodes: readonly string[];
  /** AvidException reasons (§7.2): company not granted (403), company header missing (400). */
  readonly companyNotGrantedReasons: readonly string[];
  readonly companyMissingReasons: readonly string[];
  /** Payment statuses after which nothing changes (§3.1). */
  readonly finalPaymentStatuses: readonly string[];
}

export type AvidSettingsInput = Partial<
  Omit<AvidSettings, "paths" | "retry" | "timeouts" | "rateLimit">
> & {
  readonly paths?: Partial<AvidPaths>;
  readonly retry?: Partial<AvidRetrySettings>;
  readonly timeouts?: Partial<AvidSettings["timeouts"]>;
  readonly rateLimit?: Partial<RateLimit>;
};

export const DEFAULT_AVID_SETTINGS: AvidSettings = {
  apiBasePath: "/v1",
  paths: {
    vendors: "/vendors",
    enterpriseCodes: "/enterprisecodes",
    purchaseOrders: "/purchaseorders",
    invoices: "/invoices",
    payments: "/payments",
    paymentHistory: "/payments/{paymentId}/paymenthistory",
  },
  glGroupName: "Accounting Codes",
  pageNumberParam: "pageNumber",
  pageSizeParam: "pageSize",
  pageSize: 500,
  maxPages: 100_000,
  batchSize: 100,
  idsPerRequest: 100,
  paymentWindowMaxDays: 31,
  invoiceWindowMaxDays: undefined,
  tokenScope: undefined,
  tokenRefreshMarginMs: 60_000,
  // WSO2's example tier (§7.3): 60/min with bursts; a customer sets their contract's figure.
  rateLimit: { requestsPerSecond: 1, burst: 5 },
  rateLimitKey: undefined,
  retry: {
    maxAttempts: 4,
    maxRateLimitRetries: 8,
    baseDelayMs: 250,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 120_000,
  },
  timeouts: { headersMs: 30_000, bodyMs: 30_000, totalMs: 120_000 },
  invalidTokenCodes: ["900901"],
  companyNotGrantedReasons: ["CompanyNotAuthorized"],
  companyMissingReasons: ["MissingCompanyId"],
  finalPaymentStatuses: ["Cleared", "Void"],
};

export function resolveSettings(input: AvidSettingsInput = {}): AvidSettings {
  const d = DEFAULT_AVID_SETTINGS;
  const s: AvidSettings = {
    ...d,
    ...stripUndefined(input),
    paths: { ...d.paths, ...stripUndefined(input.paths ?? {}) },
    retry: { ...d.retry, ...stripUndefined(input.retry ?? {}) },
    timeouts: { ...d.timeouts, ...stripUndefined(input.timeouts ?? {}) },
    rateLimit: { ...d.rateLimit, ...stripUndefined(input.rateLimit ?? {}) },
  };
  if (!(s.rateLimit.requestsPerSecond > 0) || !(s.rateLimit.burst >= 1)) {
    throw new RangeError("rateLimit needs requestsPerSecond > 0 and burst >= 1");
  }
  if (!(s.batchSize >= 1 && s.pageSize >= 1 && s.idsPerRequest >= 1)) {
    throw new RangeError("batchSize, pageSize and idsPerRequest must be at least 1");
  }
  return s;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
