import { isHttpStatusError } from "../http.js";
import { parseErrorBody } from "./classify.js";
import { AvidAuthError, AvidMalformedResponseError, isAvidAuthError } from "./errors.js";
import { acquireSlot } from "./limiter.js";
import { retryAfterMs } from "./retry-after.js";
import { toAvidError } from "./transport-errors.js";
import { parseWireJson, stringifyWireJson, WireJsonError } from "./wire-json.js";

import type { HttpClient, HttpErrorContext, RetryDecision } from "../http.js";
import type { TokenCache } from "./auth.js";
import type { AvidClock } from "./clock.js";
import type { RateLimiter } from "./limiter.js";
import type { AvidLogger } from "./logger.js";
import type { AvidSettings } from "./settings.js";

/**
 * One authenticated, paced, retried JSON call to the gateway. Every attempt first waits for a slot
 * of the per-company limiter and takes the current token; a 429 blocks and slows the limiter and is
 * retried after its Retry-After while the budget lasts; a 401 `900901` drops the token and retries
 * once with a new one; 5xx and network failures back off and retry. Writes are retried too: every
 * AvidXchange write we make is keyed (vendor code, PO code, ExternalInvoiceId, external payment id).
 */
export interface AvidRequest {
  readonly method: "GET" | "POST" | "DELETE";
  /** Under `apiBasePath`, e.g. `/vendors`; or a full `url` (a next-page link). */
  readonly path?: string;
  readonly url?: URL;
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** Serialised with decimal amounts as bare JSON numbers. */
  readonly body?: unknown;
  /** Metric and log label, e.g. `invoices.post`. */
  readonly operation: string;
  readonly signal?: AbortSignal | undefined;
}

export interface AvidTransport {
  /** The gateway URL of a resource path with its query. */
  url(path: string, query?: Readonly<Record<string, string | undefined>>): URL;
  /** Sends the request; resolves with the parsed JSON body of a 2xx. */
  json(req: AvidRequest): Promise<unknown>;
}

export interface AvidTransportDeps {
  readonly http: HttpClient;
  readonly gatewayUrl: string;
  readonly companyHeader: string;
  readonly companyId: string;
  readonly tokens: TokenCache;
  readonly limiter: RateLimiter;
  readonly limiterKey: string;
  readonly settings: AvidSettings;
  readonly clock: AvidClock;
  readonly logger: AvidLogger;
}

export function createAvidTransport(deps: AvidTransportDeps): AvidTransport {
  const { http, settings, clock, logger, limiter, limiterKey, tokens } = deps;
  const base = new URL(deps.gatewayUrl.endsWith("/") ? deps.gatewayUrl : `${deps.gatewayUrl}/`);

  function url(path: string, query: Readonly<Record<string, string | undefined>> = {}): URL {
    const u = new URL(`${settings.apiBasePath}${path}`.replace(/^\/+/, ""), base);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) {
        u.searchParams.set(name, value);
      }
    }
    return u;
  }

  async function json(req: AvidRequest): Promise<unknown> {
    const target = req.url ?? url(req.path ?? "", req.query);
    const request = `${req.method} ${target.pathname}`;
    const retry = settings.retry;
    let sentToken: string | undefined;
    let renewedToken = false;
    let rateLimited = 0;
    let failures = 0;

    const onError = async (ctx: HttpErrorContext): Promise<RetryDecision> => {
      const snippet = ctx.status === 503 ? undefined : errorBody(ctx);
      if (ctx.status === 429) {
        rateLimited++;
        const waitMs =
          retryAfterMs(ctx.headers, snippet, clock.now()) ??
          Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** rateLimited);
        await limiter.penalize(limiterKey, settings.rateLimit, waitMs);
        const again = rateLimited <= retry.maxRateLimitRetries && waitMs <= retry.maxRetryAfterMs;
        logger.warn(
          { operation: req.operation, request, retryAfterMs: waitMs, rateLimited, retrying: again },
          "avidxchange rate limited",
        );
        // Never sooner than Retry-After; the limiter then queues us behind the block.
        return again ? { retry: true, delayMs: waitMs } : { retry: false };
      }
      if (ctx.status === 401 && !renewedToken && sentToken !== undefined) {
        const code = parseErrorBody(snippet).code;
        if (code !== undefined && settings.invalidTokenCodes.includes(code)) {
          renewedToken = true;
          await tokens.invalidate(sentToken);
          logger.info({ operation: req.operation, request }, "avidxchange token refused, renewing");
          return { retry: true, delayMs: 0 };
        }
      }
      if (ctx.error.transient) {
        failures++;
        return { retry: failures < retry.maxAttempts };
      }
      return { retry: false };
    };

    try {
      const res = await http.request({
        method: req.method,
        url: target,
        operation: req.operation,
        idempotent: true,
        maxAttempts: retry.maxAttempts + retry.maxRateLimitRetries + 2,
        headers: {
          accept: "application/json",
          [deps.companyHeader.toLowerCase()]: deps.companyId,
          ...(req.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(req.body === undefined ? {} : { body: stringifyWireJson(req.body) }),
        ...(req.signal ? { signal: req.signal } : {}),
        beforeAttempt: async () => {
          await acquireSlot(limiter, limiterKey, settings.rateLimit, clock, req.signal);
          sentToken = await tokens.get();
          return { authorization: `Bearer ${sentToken}` };
        },
        onError,
      });
      try {
        return parseWireJson(res.text());
      } catch (e) {
        if (e instanceof WireJsonError) {
          throw new AvidMalformedResponseError(`the answer to ${request} is not JSON`, {
            request,
            status: res.status,
          });
        }
        throw e;
      }
    } catch (thrown) {
      const error = toAvidError(thrown, request, "resource", settings, clock.now());
      if (renewedToken && isAvidAuthError(error) && error.code === "AVID_TOKEN_REJECTED") {
        throw new AvidAuthError(
          "AVID_TOKEN_REJECTED",
          `AvidXchange refused a newly issued token too (client revoked, or its key type has no backend): ${error.message}`,
          { status: error.status, avidCode: error.avidCode, request },
        );
      }
      throw error;
    }
  }

  return { url, json };
}

function errorBody(ctx: HttpErrorContext): string | undefined {
  return isHttpStatusError(ctx.error) ? ctx.error.bodySnippet : undefined;
}
