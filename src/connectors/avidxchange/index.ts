import { createHash } from "node:crypto";

import { createHttpClient } from "../http.js";
import { createTokenCache, requestToken, tokenKey } from "./auth.js";
import { systemClock } from "./clock.js";
import { diagnose } from "./diagnose.js";
import { createInvoicesApi } from "./invoices.js";
import { silentLogger } from "./logger.js";
import { createMasterDataApis } from "./master-data.js";
import { createPaymentsApi } from "./payments.js";
import { resolveSettings } from "./settings.js";
import { createAvidTransport } from "./transport.js";

import type { HttpMetric } from "../http.js";
import type { AvidCredentials } from "./auth.js";
import type { AvidClock } from "./clock.js";
import type { AvidDiagnosis } from "./diagnose.js";
import type { InvoicesApi } from "./invoices.js";
import type { RateLimiter } from "./limiter.js";
import type { AvidLogger } from "./logger.js";
import type { EnterpriseCodesApi, PurchaseOrdersApi, VendorsApi } from "./master-data.js";
import type { PagingSettings } from "./paging.js";
import type { PaymentsApi } from "./payments.js";
import type { AvidSettings, AvidSettingsInput } from "./settings.js";
import type { TokenStore } from "./token-store.js";
import type { Dispatcher } from "undici";

/**
 * The AvidXchange connector: the only door from ml-connector to AvidXchange. One instance per
 * connection, from the customer's settings; it knows the wire (contract §9), not GraphQL or the
 * database. State shared across processes (the token, the rate limiter) comes in as store
 * interfaces it declares (`TokenStore`, `RateLimiter`).
 */
export interface AvidConnectorOptions {
  /** Gateway base, e.g. `https://api.example.com`; resources live under `{gatewayUrl}/v1`. */
  readonly gatewayUrl: string;
  /** OAuth token URL; default `{gatewayUrl}/token`. */
  readonly tokenUrl?: string | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The AvidXchange company (buyer) this connection acts for. */
  readonly companyId: string;
  /** Header carrying the company id; default `X-Avid-Company-Id`. */
  readonly companyHeader?: string | undefined;
  readonly dispatcher: Dispatcher;
  readonly tokenStore: TokenStore;
  readonly rateLimiter: RateLimiter;
  readonly logger?: AvidLogger | undefined;
  readonly clock?: AvidClock | undefined;
  /** Every [I] choice of the contract, defaulted to the contract's value. */
  readonly options?: AvidSettingsInput | undefined;
  /** Per-attempt HTTP figures (system `avidxchange`). */
  readonly onMetrics?: ((metric: HttpMetric) => void) | undefined;
}

export interface AvidConnector {
  readonly companyId: string;
  readonly settings: AvidSettings;
  readonly vendors: VendorsApi;
  readonly enterpriseCodes: EnterpriseCodesApi;
  readonly purchaseOrders: PurchaseOrdersApi;
  readonly invoices: InvoicesApi;
  readonly payments: PaymentsApi;
  /** The connection test: never throws for an AvidXchange-side failure, returns a diagnosis. */
  diagnose(signal?: AbortSignal): Promise<AvidDiagnosis>;
}

const LOG_SAFE_PARAMS = [
  "pageNumber",
  "pageSize",
  "lastModifiedFrom",
  "lastModifiedTo",
  "groupName",
];

function checkUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`${name} must be an http(s) URL`);
  }
  return value.replace(/\/+$/, "");
}

export function createAvidConnector(options: AvidConnectorOptions): AvidConnector {
  const settings = resolveSettings(options.options);
  const gatewayUrl = checkUrl("gatewayUrl", options.gatewayUrl);
  const credentials: AvidCredentials = {
    tokenUrl: checkUrl("tokenUrl", options.tokenUrl ?? `${gatewayUrl}/token`),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    companyId: options.companyId,
  };
  for (const field of ["clientId", "clientSecret", "companyId"] as const) {
    if (!credentials[field]) {
      throw new TypeError(`${field} is required`);
    }
  }
  const companyHeader = options.companyHeader ?? "X-Avid-Company-Id";
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const key = tokenKey(credentials);
  // AvidXchange throttles per client and company (§7.3); one bucket per pair, whichever process.
  const limiterKey =
    settings.rateLimitKey ??
    `avidxchange:rate:${credentials.companyId}:${createHash("sha256").update(`${gatewayUrl}\n${credentials.clientId}`).digest("hex").slice(0, 16)}`;
  const paging: PagingSettings = {
    pageNumberParam: settings.pageNumberParam,
    pageSizeParam: settings.pageSizeParam,
    pageSize: settings.pageSize,
    maxPages: settings.maxPages,
  };

  const makeHttp = (s: AvidSettings) =>
    createHttpClient({
      dispatcher: options.dispatcher,
      system: "avidxchange",
      timeouts: s.timeouts,
      retry: {
        maxAttempts: s.retry.maxAttempts,
        baseDelayMs: s.retry.baseDelayMs,
        maxDelayMs: s.retry.maxDelayMs,
        maxRetryAfterMs: s.retry.maxRetryAfterMs,
      },
      logger,
      logSafeParams: LOG_SAFE_PARAMS,
      now: () => clock.now(),
      sleep: (ms, signal) => clock.sleep(ms, signal),
      ...(options.onMetrics ? { onMetrics: options.onMetrics } : {}),
    });
  const http = makeHttp(settings);

  const tokens = createTokenCache({
    key,
    store: options.tokenStore,
    clock,
    logger,
    fetchToken: () => requestToken(http, credentials, settings, clock),
  });
  const transport = createAvidTransport({
    http,
    gatewayUrl,
    companyHeader,
    companyId: credentials.companyId,
    tokens,
    limiter: options.rateLimiter,
    limiterKey,
    settings,
    clock,
    logger,
  });
  const master = createMasterDataApis(transport, settings, paging);

  // A connection test should answer in seconds: fewer retries, shorter timeouts.
  const diagnoseSettings: AvidSettings = {
    ...settings,
    retry: { ...settings.retry, maxAttempts: 2, maxRateLimitRetries: 1 },
    timeouts: {
      headersMs: Math.min(settings.timeouts.headersMs, 10_000),
      bodyMs: Math.min(settings.timeouts.bodyMs, 10_000),
      totalMs: Math.min(settings.timeouts.totalMs, 15_000),
    },
  };
  const diagnoseHttp = makeHttp(diagnoseSettings);

  return {
    companyId: credentials.companyId,
    settings,
    ...master,
    invoices: createInvoicesApi(transport, settings, paging),
    payments: createPaymentsApi(transport, settings, paging),
    diagnose: (signal) =>
      diagnose(
        {
          http: diagnoseHttp,
          credentials,
          gatewayUrl,
          companyHeader,
          settings: diagnoseSettings,
          paging,
          limiter: options.rateLimiter,
          limiterKey,
          clock,
          logger,
        },
        signal,
      ),
  };
}

export { avidxchangeCapabilities } from "./capabilities.js";
export { systemClock } from "./clock.js";
export type { AvidClock } from "./clock.js";
export type { AvidDiagnosis, AvidDiagnosisCode } from "./diagnose.js";
export * from "./errors.js";
export type { InvoicesApi, ModifiedWindowFilter } from "./invoices.js";
export {
  acquireSlot,
  createMemoryRateLimiter,
  MIN_RATE_FACTOR,
  PENALTY_FACTOR,
  RECOVERY_STEP,
} from "./limiter.js";
export type { RateLimiter } from "./limiter.js";
export type { AvidLogger } from "./logger.js";
export type {
  CallOptions,
  EnterpriseCodesApi,
  PurchaseOrdersApi,
  VendorFilter,
  VendorsApi,
} from "./master-data.js";
export type { AvidPage } from "./paging.js";
export type { PaymentsApi } from "./payments.js";
export { isItemSuccess } from "./results.js";
export type { AvidItemFailure, AvidItemResult, AvidItemSuccess } from "./results.js";
export { DEFAULT_AVID_SETTINGS } from "./settings.js";
export type {
  AvidPaths,
  AvidRetrySettings,
  AvidSettings,
  AvidSettingsInput,
  RateLimit,
} from "./settings.js";
export { createMemoryTokenStore } from "./token-store.js";
export type { AvidToken, TokenStore } from "./token-store.js";
export type * from "./types.js";
export type { ModifiedWindow, WindowBound } from "./windows.js";
