import {
  AvidAuthError,
  AvidRateLimitedError,
  AvidTransientError,
  AvidValidationError,
} from "./errors.js";

import type { AvidError, AvidErrorDetails } from "./errors.js";

/**
 * The three error-body shapes of contract §9.2 (WSO2 flat `{code,message,description}`, WSO2
 * `{fault:{…}}`, AvidException `{exception:{reason,detail,…}}`) plus OAuth's `{error,
 * error_description}` from the token URL, read into one flat record.
 */
export interface AvidErrorBody {
  readonly code?: string;
  readonly message?: string;
  readonly description?: string;
  readonly reason?: string;
  readonly detail?: string;
  readonly error?: string;
  readonly errorDescription?: string;
}

const MAX_TEXT = 300;

const text = (v: unknown): string | undefined =>
  typeof v === "string" && v.length > 0
    ? v.slice(0, MAX_TEXT)
    : typeof v === "number"
      ? String(v)
      : undefined;

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

/** Reads an error body; never throws (an HTML error page gives `{}`). */
export function parseErrorBody(body: string | undefined): AvidErrorBody {
  if (!body) {
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  const top = record(json);
  if (!top) {
    return {};
  }
  const inner = record(top["fault"]) ?? record(top["exception"]) ?? top;
  const out: Record<string, string> = {};
  const put = (key: keyof AvidErrorBody, value: unknown) => {
    const t = text(value);
    if (t !== undefined) {
      out[key] = t;
    }
  };
  put("code", inner["code"]);
  put("message", inner["message"]);
  put("description", inner["description"]);
  put("reason", inner["reason"]);
  put("detail", inner["detail"]);
  put("error", top["error"]);
  put("errorDescription", top["error_description"]);
  return out;
}

/** The [I] names of contract §7.2–§7.4 that drive classification: settings, not constants. */
export interface ClassifySettings {
  /** WSO2 codes meaning "this token is dead, fetch another" (default `["900901"]`). */
  readonly invalidTokenCodes: readonly string[];
  /** AvidException reasons meaning "company not granted to this client" (403). */
  readonly companyNotGrantedReasons: readonly string[];
  /** AvidException reasons meaning "no company header seen" (400). */
  readonly companyMissingReasons: readonly string[];
}

export interface HttpFailure {
  readonly status: number;
  /** The body, or undefined when it must not be read (503) or could not be. */
  readonly body: string | undefined;
  /** `POST /v1/invoices`: for messages; never the query string. */
  readonly request: string;
  /** Token endpoint or resource call: 401 means different things. */
  readonly phase: "token" | "resource";
  readonly retryAfterMs?: number | undefined;
}

/** One HTTP failure → one classified error. 503 bodies are never read. */
export function classifyHttpFailure(failure: HttpFailure, settings: ClassifySettings): AvidError {
  const { status, request } = failure;
  const parsed = status === 503 ? {} : parseErrorBody(failure.body);
  const avidCode = parsed.code ?? parsed.reason ?? parsed.error;
  const details: AvidErrorDetails = { status, request, avidCode };
  const said = parsed.detail ?? parsed.description ?? parsed.errorDescription ?? parsed.message;
  const suffix = said ? `: ${said}` : "";

  if (status === 429) {
    return new AvidRateLimitedError(
      `AvidXchange rate limit hit on ${request}`,
      failure.retryAfterMs,
      details,
    );
  }
  if (status === 503) {
    return new AvidTransientError(
      "AVID_UNAVAILABLE",
      `AvidXchange unavailable (503) on ${request}`,
      {
        ...details,
        avidCode: undefined,
      },
    );
  }
  if (status >= 500 || status === 408) {
    return new AvidTransientError(
      "AVID_SERVER_ERROR",
      `AvidXchange failed (${status}) on ${request}${suffix}`,
      details,
    );
  }
  if (failure.phase === "token") {
    return classifyTokenFailure(failure, parsed, details);
  }
  if (status === 401) {
    const dead = parsed.code === undefined || settings.invalidTokenCodes.includes(parsed.code);
    return new AvidAuthError(
      dead ? "AVID_TOKEN_REJECTED" : "AVID_FORBIDDEN",
      `AvidXchange refused the access token (${avidCode ?? status})${suffix}`,
      details,
    );
  }
  if (
    status === 403 &&
    parsed.reason &&
    settings.companyNotGrantedReasons.includes(parsed.reason)
  ) {
    return new AvidAuthError(
      "AVID_COMPANY_NOT_GRANTED",
      `The AvidXchange company is not granted to this client${suffix}`,
      details,
    );
  }
  if (status === 400 && parsed.reason && settings.companyMissingReasons.includes(parsed.reason)) {
    return new AvidAuthError(
      "AVID_COMPANY_MISSING",
      `AvidXchange did not receive the company id (check the company header name)${suffix}`,
      details,
    );
  }
  // WSO2's "no matching resource" (900906) is documented as 403; it means a wrong path, not auth.
  if (status === 404 || parsed.code === "900906") {
    return new AvidValidationError(
      "AVID_NOT_FOUND",
      `Not found on ${request}${suffix}`,
      said,
      details,
    );
  }
  if (status === 403) {
    return new AvidAuthError(
      "AVID_FORBIDDEN",
      `AvidXchange forbids ${request} for this client (${avidCode ?? status})${suffix}`,
      details,
    );
  }
  if (status === 409) {
    return new AvidValidationError(
      "AVID_CONFLICT",
      `Conflict on ${request}${suffix}`,
      said,
      details,
    );
  }
  return new AvidValidationError(
    "AVID_VALIDATION",
    `AvidXchange rejected ${request} (${status})${suffix}`,
    said,
    details,
  );
}

function classifyTokenFailure(
  failure: HttpFailure,
  parsed: AvidErrorBody,
  details: AvidErrorDetails,
): AvidError {
  const said = parsed.errorDescription ?? parsed.description ?? parsed.message;
  if (parsed.error === "invalid_client" || (failure.status === 401 && !parsed.error)) {
    // WSO2 words the two cases differently (§4.2): "could not be found" = unknown client id,
    // "Client credentials are invalid." / "Client Authentication failed." = wrong secret.
    const unknown = /could not be found|not found|unknown client/i.test(said ?? "");
    return new AvidAuthError(
      unknown ? "AVID_INVALID_CLIENT" : "AVID_INVALID_SECRET",
      unknown
        ? `AvidXchange does not know this client id${said ? `: ${said}` : ""}`
        : `AvidXchange refused the client secret${said ? `: ${said}` : ""}`,
      details,
    );
  }
  return new AvidAuthError(
    "AVID_TOKEN_REQUEST_REJECTED",
    `The AvidXchange token URL refused the request (${parsed.error ?? failure.status})${said ? `: ${said}` : ""}`,
    details,
  );
}
