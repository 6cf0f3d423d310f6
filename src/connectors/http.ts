/**
 * The one HTTP policy every connector uses: an undici `Dispatcher` passed in (so the same code talks
 * to a sandbox or a customer's system), per-attempt timeouts, retry with exponential backoff and full
 * jitter that honours `Retry-After` (seconds or HTTP-date), error classification by status, an
 * `AbortSignal`, and a metrics hook (system, operation, status, duration) per attempt.
 *
 * Whether to retry is decided per failure by `onError`, which sees the status and headers and the
 * default decision, and may keep, change or veto it (Nango `retryFlexible`). Non-idempotent requests
 * are only retried by default when the request provably never reached the server.
 *
 * Nothing here logs a URL unredacted: connectors put passwords and session ids in query strings.
 */
import type { Dispatcher } from "undici";

import { redactUrl as redactAll } from "../logger.js";
import { flattenHeaders, makeResponse, readBody } from "./http-response.js";
import {
  classifyTransportError,
  HttpAbortedError,
  HttpStatusError,
  HttpTransportError,
  type HttpError,
} from "./http-errors.js";

export * from "./http-errors.js";
export { ResponseTooLargeError } from "./http-response.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/** One attempt's figures, reported whatever its outcome. `status` is null when no response came. */
export interface HttpMetric {
  system: string;
  operation: string;
  method: HttpMethod;
  status: number | null;
  outcome: "ok" | "http_error" | "transport_error" | "timeout" | "aborted";
  durationMs: number;
  attempt: number;
}

export interface RetryDecision {
  retry: boolean;
  /** Wait before the next attempt; when absent the policy's backoff (or Retry-After) applies. */
  delayMs?: number;
}

/** What `onError` sees for a failed attempt. */
export interface HttpErrorContext {
  system: string;
  operation: string;
  method: HttpMethod;
  /** Already redacted. */
  url: string;
  idempotent: boolean;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  maxAttempts: number;
  error: HttpError;
  /** Present when a response arrived (`HttpStatusError`). */
  status?: number;
  headers?: Readonly<Record<string, string>>;
  /** Parsed `Retry-After`, in ms from now, when the response carried one. */
  retryAfterMs?: number;
  /** What the policy would do without `onError`. */
  defaultDecision: RetryDecision;
}

export type OnHttpError = (
  ctx: HttpErrorContext,
) => RetryDecision | undefined | Promise<RetryDecision | undefined>;

export interface HttpLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface HttpClientOptions {
  dispatcher: Dispatcher;
  /** Label for metrics and logs, e.g. "syspro-enet", "syspro-odata", "avidxchange". */
  system: string;
  timeouts?: {
    /** Time to receive response headers, per attempt. Default 30 s. */
    headersMs?: number;
    /** Max gap between body chunks, per attempt. Default 30 s. */
    bodyMs?: number;
    /** Whole attempt, headers and body. Default 120 s. */
    totalMs?: number;
  };
  retry?: {
    /** Attempts in all, including the first. Default 4. */
    maxAttempts?: number;
    /** First backoff ceiling; doubles per attempt. Default 250 ms. */
    baseDelayMs?: number;
    /** Backoff ceiling. Default 10 s. */
    maxDelayMs?: number;
    /** A Retry-After longer than this is not waited for: the error surfaces. Default 60 s. */
    maxRetryAfterMs?: number;
  };
  /** Largest body read into memory. Default 64 MiB. */
  maxResponseBytes?: number;
  onError?: OnHttpError;
  onMetrics?: (metric: HttpMetric) => void;
  logger?: HttpLogger;
  /** Query parameters whose values are harmless and kept in logged URLs. */
  logSafeParams?: readonly string[];
  /** Injected for tests. */
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface HttpRequest {
  method: HttpMethod;
  url: string | URL;
  /** Metric and log label, e.g. "Logon", "Query/Query", "odata:ApInvoice". */
  operation: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Defaults to true for GET/HEAD/PUT/DELETE, false otherwise. Decides default retries. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Overrides the client's attempt count for this request (1 = never retry). */
  maxAttempts?: number;
  /** Which statuses count as success. Default 2xx. */
  acceptStatus?: (status: number) => boolean;
  /** Per-request `onError`, consulted before the client's. */
  onError?: OnHttpError;
  /**
   * Runs before every attempt, the first included; headers it returns are added to `headers`.
   * Lets a connector wait for a rate-limiter slot per attempt and send a token renewed after a 401.
   * What it throws surfaces unchanged, without a retry.
   */
  beforeAttempt?: (attempt: number) => Promise<Record<string, string> | undefined>;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  /** Attempts it took. */
  attempts: number;
  /** UTF-8 (or the Content-Type charset when Node knows it). */
  text(): string;
  json<T = unknown>(): T;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(["GET", "HEAD", "PUT", "DELETE"]);

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const headersMs = options.timeouts?.headersMs ?? 30_000;
  const bodyMs = options.timeouts?.bodyMs ?? 30_000;
  const totalMs = options.timeouts?.totalMs ?? 120_000;
  const maxAttemptsDefault = options.retry?.maxAttempts ?? 4;
  const baseDelayMs = options.retry?.baseDelayMs ?? 250;
  const maxDelayMs = options.retry?.maxDelayMs ?? 10_000;
  const maxRetryAfterMs = options.retry?.maxRetryAfterMs ?? 60_000;
  const maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const safeParams = options.logSafeParams ?? [];

  function backoff(attempt: number): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(random() * ceiling);
  }

  function metric(m: Omit<HttpMetric, "system">): void {
    try {
      options.onMetrics?.({ system: options.system, ...m });
    } catch {
      // A broken metrics sink must never fail a request.
    }
  }

  async function attemptOnce(
    req: HttpRequest,
    url: URL,
    logUrl: string,
    attempt: number,
    extraHeaders: Record<string, string> | undefined,
  ): Promise<HttpResponse> {
    const started = now();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), totalMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    const base = { operation: req.operation, method: req.method, attempt };
    try {
      const res = await options.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers: extraHeaders ? { ...req.headers, ...extraHeaders } : (req.headers ?? {}),
        body: req.body ?? null,
        signal,
        headersTimeout: headersMs,
        bodyTimeout: bodyMs,
      });
      const body = await readBody(res.body, maxResponseBytes);
      const headers = flattenHeaders(res.headers);
      const accepted = (req.acceptStatus ?? is2xx)(res.statusCode);
      metric({
        ...base,
        status: res.statusCode,
        outcome: accepted ? "ok" : "http_error",
        durationMs: now() - started,
      });
      if (!accepted) {
        throw new HttpStatusError({
          system: options.system,
          operation: req.operation,
          method: req.method,
          url: logUrl,
          status: res.statusCode,
          headers,
          bodySnippet: body.subarray(0, 2048).toString("utf8"),
        });
      }
      return makeResponse(res.statusCode, headers, body, attempt);
    } catch (thrown) {
      if (thrown instanceof HttpStatusError) {
        throw thrown;
      }
      const where = { system: options.system, operation: req.operation, method: req.method };
      if (req.signal?.aborted) {
        metric({ ...base, status: null, outcome: "aborted", durationMs: now() - started });
        throw new HttpAbortedError({ ...where, url: logUrl, cause: thrown });
      }
      const error = timeout.signal.aborted
        ? new HttpTransportError({
            ...where,
            url: logUrl,
            kind: "timeout",
            mayHaveBeenSent: true,
            cause: thrown,
          })
        : classifyTransportError(thrown, { ...where, url: logUrl });
      metric({
        ...base,
        status: null,
        outcome: error.kind === "timeout" ? "timeout" : "transport_error",
        durationMs: now() - started,
      });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const url = typeof req.url === "string" ? new URL(req.url) : req.url;
    const logUrl = redactUrl(url, safeParams);
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(req.method);
    const maxAttempts = Math.max(1, req.maxAttempts ?? maxAttemptsDefault);
    for (let attempt = 1; ; attempt++) {
      const extraHeaders = await req.beforeAttempt?.(attempt);
      try {
        const res = await attemptOnce(req, url, logUrl, attempt, extraHeaders);
        options.logger?.debug(
          {
            system: options.system,
            operation: req.operation,
            url: logUrl,
            status: res.status,
            attempt,
          },
          "http request",
        );
        return res;
      } catch (thrown) {
        const error = thrown as HttpError;
        if (error instanceof HttpAbortedError) {
          throw error;
        }
        const retryAfterMs =
          error instanceof HttpStatusError
            ? parseRetryAfter(error.headers["retry-after"], now())
            : undefined;
        const defaultDecision = decideDefault(
          error,
          idempotent,
          attempt,
          maxAttempts,
          retryAfterMs,
        );
        const ctx: HttpErrorContext = {
          system: options.system,
          operation: req.operation,
          method: req.method,
          url: logUrl,
          idempotent,
          attempt,
          maxAttempts,
          error,
          defaultDecision,
          ...(error instanceof HttpStatusError
            ? { status: error.status, headers: error.headers }
            : {}),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
        const decision =
          (await req.onError?.(ctx)) ?? (await options.onError?.(ctx)) ?? defaultDecision;
        error.attempts = attempt;
        if (!decision.retry) {
          throw error;
        }
        const delayMs = decision.delayMs ?? retryAfterMs ?? backoff(attempt);
        options.logger?.warn(
          {
            system: options.system,
            operation: req.operation,
            url: logUrl,
            attempt,
            delayMs,
            err: { name: error.name, code: error.code, message: error.message },
          },
          "http request failed, retrying",
        );
        await sleep(delayMs, req.signal).catch((cause: unknown) => {
          throw new HttpAbortedError({
            system: options.system,
            operation: req.operation,
            method: req.method,
            url: logUrl,
            cause,
          });
        });
      }
    }
  }

  function decideDefault(
    error: HttpError,
    idempotent: boolean,
    attempt: number,
    maxAttempts: number,
    retryAfterMs: number | undefined,
  ): RetryDecision {
    if (attempt >= maxAttempts || !error.transient) {
      return { retry: false };
    }
    if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
      return { retry: false };
    }
    if (error instanceof HttpStatusError) {
      // 429 means "not processed", so even a write may go again; other statuses only if idempotent.
      return { retry: error.status === 429 || idempotent };
    }
    if (error instanceof HttpTransportError) {
      return { retry: idempotent || !error.mayHaveBeenSent };
    }
    return { retry: false };
  }

  return { request };
}

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function is2xx(status: number): boolean {
  return status >= 200 && status < 300;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A URL fit for a log line: `redactUrl` from `src/logger.ts` (every query value and any userinfo
 * password replaced), with the values of the parameters named in `keep` restored (harmless ones
 * such as `BusinessObject` or `$top`). SYSPRO e.net carries passwords and the session UserId in the
 * query string, so no connector logs a URL any other way.
 */
export function redactUrl(url: string | URL, keep: readonly string[] = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "[unparseable url]";
  }
  let out = redactAll(parsed);
  for (const name of keep) {
    const value = parsed.searchParams.get(name);
    if (value !== null) {
      out = out.replace(
        `${encodeURIComponent(name)}=[REDACTED]`,
        `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
      );
    }
  }
  return out;
}
