/**
 * Errors of the shared HTTP policy (`http.ts`). Connectors translate these into their own classes
 * (SYSPRO's `SysproTransientError`, …); nothing above `connectors/` should need them.
 */
import { AppError } from "../errors.js";

export type HttpStatusClass =
  | "auth" // 401
  | "permission" // 403
  | "not_found" // 404
  | "timeout" // 408
  | "rate_limited" // 429
  | "client" // other 4xx
  | "server" // 5xx
  | "unexpected"; // 1xx/3xx that the caller did not accept

/** Status → class, and whether trying again later can succeed. */
export function classifyStatus(status: number): {
  statusClass: HttpStatusClass;
  transient: boolean;
} {
  if (status === 401) {
    return { statusClass: "auth", transient: false };
  }
  if (status === 403) {
    return { statusClass: "permission", transient: false };
  }
  if (status === 404) {
    return { statusClass: "not_found", transient: false };
  }
  if (status === 408) {
    return { statusClass: "timeout", transient: true };
  }
  if (status === 429) {
    return { statusClass: "rate_limited", transient: true };
  }
  if (status >= 500 && status <= 599) {
    // 501 Not Implemented and 505 will not change on a retry.
    return { statusClass: "server", transient: status !== 501 && status !== 505 };
  }
  if (status >= 400 && status <= 499) {
    return { statusClass: "client", transient: false };
  }
  return { statusClass: "unexpected", transient: false };
}

interface Where {
  system: string;
  operation: string;
  method: string;
  /** Redacted. */
  url: string;
}

/** Common shape of the three HTTP errors. */
abstract class HttpErrorBase extends AppError {
  readonly system: string;
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  abstract readonly transient: boolean;
  /** Attempts made before this error surfaced (set by the client). */
  attempts = 1;

  constructor(code: string, message: string, where: Where, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.system = where.system;
    this.operation = where.operation;
    this.method = where.method;
    this.url = where.url;
  }
}

/** A response arrived with a status the caller does not accept. */
export class HttpStatusError extends HttpErrorBase {
  override readonly name = "HttpStatusError";
  readonly status: number;
  readonly statusClass: HttpStatusClass;
  readonly transient: boolean;
  readonly headers: Readonly<Record<string, string>>;
  /** First 2 KiB of the body, for diagnosis; never logged by the client. */
  readonly bodySnippet: string;

  constructor(
    args: Where & { status: number; headers: Record<string, string>; bodySnippet: string },
  ) {
    super("HTTP_STATUS", `${args.system} ${args.operation}: HTTP ${args.status}`, args);
    const c = classifyStatus(args.status);
    this.status = args.status;
    this.statusClass = c.statusClass;
    this.transient = c.transient;
    this.headers = args.headers;
    this.bodySnippet = args.bodySnippet;
  }
}

export type HttpTransportKind =
  | "dns" // name did not resolve
  | "refused" // nothing listening
  | "tls" // handshake or certificate failure
  | "timeout" // connect, headers, body or whole-attempt timeout
  | "reset" // connection dropped mid-exchange
  | "protocol" // the peer did not speak HTTP
  | "too_large" // body over the configured limit
  | "other";

/** No usable response: the network, TLS, a timeout or a peer that does not speak HTTP. */
export class HttpTransportError extends HttpErrorBase {
  override readonly name = "HttpTransportError";
  readonly kind: HttpTransportKind;
  /** False only when the request provably never left (DNS, refused, connect timeout, TLS). */
  readonly mayHaveBeenSent: boolean;
  readonly transient: boolean;
  /** The lowest-level error code found (e.g. ECONNREFUSED, CERT_HAS_EXPIRED). */
  readonly lowLevelCode: string | undefined;

  constructor(
    args: Where & {
      kind: HttpTransportKind;
      mayHaveBeenSent: boolean;
      lowLevelCode?: string;
      cause?: unknown;
    },
  ) {
    super("HTTP_TRANSPORT", `${args.system} ${args.operation}: ${args.kind}`, args, args.cause);
    this.kind = args.kind;
    this.mayHaveBeenSent = args.mayHaveBeenSent;
    this.lowLevelCode = args.lowLevelCode;
    this.transient = !["tls", "protocol", "too_large"].includes(args.kind);
  }
}

/** The caller's `AbortSignal` fired. Never retried. */
export class HttpAbortedError extends HttpErrorBase {
  override readonly name = "HttpAbortedError";
  readonly transient = false;
  constructor(args: Where & { cause?: unknown }) {
    super("HTTP_ABORTED", `${args.system} ${args.operation}: aborted`, args, args.cause);
  }
}

export type HttpError = HttpStatusError | HttpTransportError | HttpAbortedError;

export const isHttpStatusError = (e: unknown): e is HttpStatusError => e instanceof HttpStatusError;
export const isHttpTransportError = (e: unknown): e is HttpTransportError =>
  e instanceof HttpTransportError;
export const isHttpAbortedError = (e: unknown): e is HttpAbortedError =>
  e instanceof HttpAbortedError;
export const isHttpError = (e: unknown): e is HttpError =>
  isHttpStatusError(e) || isHttpTransportError(e) || isHttpAbortedError(e);

const TLS_CODE =
  /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH|EPROTO$)/;

/** Every error code in an error, its causes and (for AggregateError) its members, outermost first. */
function codesOf(thrown: unknown, depth = 0): string[] {
  if (depth > 5 || typeof thrown !== "object" || thrown === null) {
    return [];
  }
  const e = thrown as { code?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
  const own = typeof e.code === "string" ? [e.code] : [];
  const members = Array.isArray(e.errors) ? e.errors.flatMap((m) => codesOf(m, depth + 1)) : [];
  const name =
    typeof e.name === "string" && e.name === "ResponseTooLargeError" ? ["TOO_LARGE"] : [];
  return [...name, ...own, ...members, ...codesOf(e.cause, depth + 1)];
}

/** Turns whatever undici or the socket threw into an `HttpTransportError` of the right kind. */
export function classifyTransportError(thrown: unknown, where: Where): HttpTransportError {
  const codes = codesOf(thrown);
  const make = (kind: HttpTransportKind, mayHaveBeenSent: boolean, code?: string) =>
    new HttpTransportError({
      ...where,
      kind,
      mayHaveBeenSent,
      cause: thrown,
      ...(code === undefined ? {} : { lowLevelCode: code }),
    });
  const has = (pred: (c: string) => boolean) => codes.find(pred);
  let code: string | undefined;
  if ((code = has((c) => c === "TOO_LARGE" || c === "HTTP_RESPONSE_TOO_LARGE"))) {
    return make("too_large", true, code);
  }
  if ((code = has((c) => TLS_CODE.test(c)))) {
    return make("tls", false, code);
  }
  if ((code = has((c) => c === "ENOTFOUND" || c === "EAI_AGAIN" || c === "EAI_NONAME"))) {
    return make("dns", false, code);
  }
  if ((code = has((c) => c === "ECONNREFUSED" || c === "EHOSTUNREACH" || c === "ENETUNREACH"))) {
    return make("refused", false, code);
  }
  if ((code = has((c) => c === "UND_ERR_CONNECT_TIMEOUT" || c === "ETIMEDOUT"))) {
    return make("timeout", code !== "UND_ERR_CONNECT_TIMEOUT", code);
  }
  if ((code = has((c) => c === "UND_ERR_HEADERS_TIMEOUT" || c === "UND_ERR_BODY_TIMEOUT"))) {
    return make("timeout", true, code);
  }
  if ((code = has((c) => c.startsWith("HPE_") || c === "UND_ERR_INFO"))) {
    return make("protocol", true, code);
  }
  if (
    (code = has((c) => ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"].includes(c)))
  ) {
    return make("reset", true, code);
  }
  return make("other", true, codes[0]);
}
