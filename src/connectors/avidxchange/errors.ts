import { AppError } from "../../errors.js";

/**
 * Every failure of an AvidXchange call is classified once, here, into one of five kinds. Callers
 * (the sync engine, graphile-worker) act on `kind` / `retryable` and never re-read HTTP statuses.
 * Messages carry AvidXchange's own text where it helps a person, and never a credential, a token
 * or a 503 body (a WSO2 503 page may echo the request, credentials included: contract §2.1, §9.2).
 */
export type AvidErrorKind = "transient" | "rate_limited" | "auth" | "validation" | "malformed";

export interface AvidErrorDetails {
  /** HTTP status, when there was a response. */
  readonly status?: number | undefined;
  /** AvidXchange's or the gateway's own code (`900901`, `invalid_client`, `CompanyNotAuthorized`). */
  readonly avidCode?: string | undefined;
  /** Method and path (never the query string's credentials: there are none, but no headers either). */
  readonly request?: string | undefined;
  readonly cause?: unknown;
}

export abstract class AvidError extends AppError {
  override readonly name: string = "AvidError";
  abstract readonly kind: AvidErrorKind;
  /** Worth trying again later (the job retries); false means a person or a config change must act. */
  abstract readonly retryable: boolean;
  readonly status: number | undefined;
  readonly avidCode: string | undefined;
  readonly request: string | undefined;

  constructor(code: string, message: string, details: AvidErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.avidCode = details.avidCode;
    this.request = details.request;
  }
}

/** 5xx, 408, network failure, timeout: try again. */
export class AvidTransientError extends AvidError {
  override readonly name = "AvidTransientError";
  readonly kind = "transient";
  readonly retryable = true;
}

/** 429 after the retry budget was spent; `retryAfterMs` is AvidXchange's own wait. */
export class AvidRateLimitedError extends AvidError {
  override readonly name = "AvidRateLimitedError";
  readonly kind = "rate_limited";
  readonly retryable = true;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs: number | undefined, details: AvidErrorDetails = {}) {
    super("AVID_RATE_LIMITED", message, details);
    this.retryAfterMs = retryAfterMs;
  }
}

export type AvidAuthCode =
  /** The token URL does not know the client id. */
  | "AVID_INVALID_CLIENT"
  /** The client is known but the secret is wrong. */
  | "AVID_INVALID_SECRET"
  /** The token endpoint refused the request otherwise (grant type, scope). */
  | "AVID_TOKEN_REQUEST_REJECTED"
  /** A freshly fetched token was refused too (revoked client, sandbox/production key mismatch). */
  | "AVID_TOKEN_REJECTED"
  /** The company is not granted to this client. */
  | "AVID_COMPANY_NOT_GRANTED"
  /** The gateway did not see the company header (wrong header name configured). */
  | "AVID_COMPANY_MISSING"
  /** Subscription missing, blocked or lacking scope. */
  | "AVID_FORBIDDEN";

/** Bad client, wrong secret, revoked access, wrong company: retrying will not help. */
export class AvidAuthError extends AvidError {
  override readonly name = "AvidAuthError";
  readonly kind = "auth";
  readonly retryable = false;
  declare readonly code: AvidAuthCode;

  constructor(code: AvidAuthCode, message: string, details: AvidErrorDetails = {}) {
    super(code, message, details);
  }
}

export type AvidValidationCode = "AVID_VALIDATION" | "AVID_NOT_FOUND" | "AVID_CONFLICT";

/** AvidXchange refused the request as sent (400/404/409); `detail` is its text. */
export class AvidValidationError extends AvidError {
  override readonly name = "AvidValidationError";
  readonly kind = "validation";
  readonly retryable = false;
  declare readonly code: AvidValidationCode;
  /** AvidXchange's explanation, e.g. `InvoiceNumber is required`. */
  readonly detail: string | undefined;

  constructor(
    code: AvidValidationCode,
    message: string,
    detail: string | undefined,
    details: AvidErrorDetails = {},
  ) {
    super(code, message, details);
    this.detail = detail;
  }
}

/** A 2xx whose body we cannot read as the contract says (bad JSON, missing fields, wrong count). */
export class AvidMalformedResponseError extends AvidError {
  override readonly name = "AvidMalformedResponseError";
  readonly kind = "malformed";
  // A gateway hiccup can truncate a body; the job may retry, and gives up after its budget.
  readonly retryable = true;

  constructor(message: string, details: AvidErrorDetails = {}) {
    super("AVID_MALFORMED_RESPONSE", message, details);
  }
}

export const isAvidError = (e: unknown): e is AvidError => e instanceof AvidError;
export const isAvidTransientError = (e: unknown): e is AvidTransientError =>
  e instanceof AvidTransientError;
export const isAvidRateLimitedError = (e: unknown): e is AvidRateLimitedError =>
  e instanceof AvidRateLimitedError;
export const isAvidAuthError = (e: unknown): e is AvidAuthError => e instanceof AvidAuthError;
export const isAvidValidationError = (e: unknown): e is AvidValidationError =>
  e instanceof AvidValidationError;
export const isAvidMalformedResponseError = (e: unknown): e is AvidMalformedResponseError =>
  e instanceof AvidMalformedResponseError;
