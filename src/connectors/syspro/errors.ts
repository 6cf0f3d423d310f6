/**
 * Every SYSPRO failure is classified once, here, into one of these classes; the sync engine decides
 * retries and exceptions from the class alone:
 *
 * | class                        | transient | meaning                                                   |
 * |------------------------------|-----------|-----------------------------------------------------------|
 * | SysproTransientError         | yes       | network, timeout, 5xx, 429, busy session lease            |
 * | SysproSessionLostError       | yes       | the e.net session vanished during a query, twice in a row |
 * | SysproAmbiguousWriteError    | check     | a Post/Setup may or may not have happened: ask SYSPRO     |
 * | SysproAuthError              | no        | operator / company / OData credentials refused            |
 * | SysproPermissionError        | no        | not licensed for e.net or the business object; no OData   |
 * | SysproBusinessRejectionError | no        | SYSPRO refused the document (numbers and texts attached)  |
 * | SysproInvalidDocumentError   | no        | our own validation refused the document; nothing was sent |
 * | SysproNotFoundError          | no        | endpoint / entity set / company path does not exist       |
 * | SysproMalformedResponseError | no        | a response we cannot (or must not) interpret              |
 */
import { AppError } from "../../errors.js";

export type SysproErrorKind =
  | "transient"
  | "session_lost"
  | "ambiguous_write"
  | "auth"
  | "permission"
  | "rejected"
  | "invalid_document"
  | "not_found"
  | "malformed_response";

export abstract class SysproError extends AppError {
  abstract readonly kind: SysproErrorKind;
  /** Whether the same call may succeed if simply tried again later. */
  abstract readonly transient: boolean;
}

export const isSysproError = (e: unknown): e is SysproError => e instanceof SysproError;

export class SysproTransientError extends SysproError {
  override readonly name = "SysproTransientError";
  readonly kind = "transient";
  readonly transient = true;
  /** Suggested wait (from Retry-After) when known. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number; code?: string },
  ) {
    super(options?.code ?? "SYSPRO_TRANSIENT", message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}
export const isSysproTransientError = (e: unknown): e is SysproTransientError =>
  e instanceof SysproTransientError;

/** A query found its session gone, logged on again, and found the new one gone too. */
export class SysproSessionLostError extends SysproError {
  override readonly name = "SysproSessionLostError";
  readonly kind = "session_lost";
  readonly transient = true;
  /** SYSPRO's text. */
  readonly sysproText: string;
  constructor(sysproText: string, options?: { cause?: unknown }) {
    super("SYSPRO_SESSION_LOST", `SYSPRO e.net session lost: ${sysproText}`, options);
    this.sysproText = sysproText;
  }
}
export const isSysproSessionLostError = (e: unknown): e is SysproSessionLostError =>
  e instanceof SysproSessionLostError;

export type AmbiguousWriteReason =
  "session_lost" | "timeout" | "connection_lost" | "server_error" | "malformed_response";

/**
 * A write (Post, Setup) whose outcome is unknown. Never retry blindly: look up the reference the
 * document carried (payment reference, journal reference, invoice) and post again only if absent.
 */
export class SysproAmbiguousWriteError extends SysproError {
  override readonly name = "SysproAmbiguousWriteError";
  readonly kind = "ambiguous_write";
  readonly transient = false;
  readonly reason: AmbiguousWriteReason;
  readonly businessObject: string;
  constructor(
    reason: AmbiguousWriteReason,
    businessObject: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      reason === "session_lost"
        ? "SYSPRO_SESSION_LOST_DURING_WRITE"
        : "SYSPRO_WRITE_OUTCOME_UNKNOWN",
      `${businessObject}: outcome unknown (${reason}): ${detail}`,
      options,
    );
    this.reason = reason;
    this.businessObject = businessObject;
  }
}
export const isSysproAmbiguousWriteError = (e: unknown): e is SysproAmbiguousWriteError =>
  e instanceof SysproAmbiguousWriteError;

export type AuthFailure = "operator" | "operator_password" | "company" | "odata_credentials";

export class SysproAuthError extends SysproError {
  override readonly name = "SysproAuthError";
  readonly kind = "auth";
  readonly transient = false;
  readonly reason: AuthFailure;
  /** SYSPRO's text when it gave one. */
  readonly sysproText: string | undefined;
  constructor(
    reason: AuthFailure,
    message: string,
    options?: { cause?: unknown; sysproText?: string },
  ) {
    super("SYSPRO_AUTH_FAILED", message, options);
    this.reason = reason;
    this.sysproText = options?.sysproText;
  }
}
export const isSysproAuthError = (e: unknown): e is SysproAuthError => e instanceof SysproAuthError;

export class SysproPermissionError extends SysproError {
  override readonly name = "SysproPermissionError";
  readonly kind = "permission";
  readonly transient = false;
  readonly surface: "enet" | "odata";
  readonly sysproText: string | undefined;
  constructor(
    surface: "enet" | "odata",
    message: string,
    options?: { cause?: unknown; sysproText?: string },
  ) {
    super("SYSPRO_PERMISSION", message, options);
    this.surface = surface;
    this.sysproText = options?.sysproText;
  }
}
export const isSysproPermissionError = (e: unknown): e is SysproPermissionError =>
  e instanceof SysproPermissionError;

/** One SYSPRO message: `<Field><Value/><ErrorNumber/><ErrorDescription/></Field>` or an ERROR text. */
export interface SysproMessage {
  /** SYSPRO's error number when it gave one, e.g. "120001". */
  number?: string;
  text: string;
  /** The element that failed, e.g. "Supplier", "LedgerCode". */
  field?: string;
  /** The value SYSPRO echoed back for that field. */
  value?: string;
}

export class SysproBusinessRejectionError extends SysproError {
  override readonly name = "SysproBusinessRejectionError";
  readonly kind = "rejected";
  readonly transient = false;
  readonly businessObject: string;
  readonly messages: readonly SysproMessage[];
  readonly warnings: readonly string[];
  readonly validateOnly: boolean;
  constructor(
    businessObject: string,
    messages: readonly SysproMessage[],
    options?: { warnings?: readonly string[]; validateOnly?: boolean; cause?: unknown },
  ) {
    const summary = messages.map((m) => (m.number ? `${m.number}: ${m.text}` : m.text)).join("; ");
    super(
      "SYSPRO_REJECTED",
      `${businessObject} rejected: ${summary || "no reason given"}`,
      options,
    );
    this.businessObject = businessObject;
    this.messages = messages;
    this.warnings = options?.warnings ?? [];
    this.validateOnly = options?.validateOnly ?? false;
  }
}
export const isSysproBusinessRejectionError = (e: unknown): e is SysproBusinessRejectionError =>
  e instanceof SysproBusinessRejectionError;

/** Our own schema refused the document before sending (SYSPRO would silently drop unknown fields). */
export class SysproInvalidDocumentError extends SysproError {
  override readonly name = "SysproInvalidDocumentError";
  readonly kind = "invalid_document";
  readonly transient = false;
  readonly businessObject: string;
  readonly issues: readonly { path: string; message: string }[];
  constructor(businessObject: string, issues: readonly { path: string; message: string }[]) {
    super(
      "SYSPRO_INVALID_DOCUMENT",
      `${businessObject} document invalid: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`,
    );
    this.businessObject = businessObject;
    this.issues = issues;
  }
}
export const isSysproInvalidDocumentError = (e: unknown): e is SysproInvalidDocumentError =>
  e instanceof SysproInvalidDocumentError;

export class SysproNotFoundError extends SysproError {
  override readonly name = "SysproNotFoundError";
  readonly kind = "not_found";
  readonly transient = false;
  readonly surface: "enet" | "odata";
  constructor(surface: "enet" | "odata", message: string, options?: { cause?: unknown }) {
    super("SYSPRO_NOT_FOUND", message, options);
    this.surface = surface;
  }
}
export const isSysproNotFoundError = (e: unknown): e is SysproNotFoundError =>
  e instanceof SysproNotFoundError;

export type MalformedReason =
  | "doctype" // DOCTYPE or ENTITY declaration: refused, never expanded
  | "invalid_xml"
  | "invalid_json"
  | "unexpected_shape"
  | "unexpected_status"
  | "bad_next_link"
  | "not_http";

export class SysproMalformedResponseError extends SysproError {
  override readonly name = "SysproMalformedResponseError";
  readonly kind = "malformed_response";
  readonly transient = false;
  readonly reason: MalformedReason;
  constructor(reason: MalformedReason, message: string, options?: { cause?: unknown }) {
    super("SYSPRO_MALFORMED_RESPONSE", message, options);
    this.reason = reason;
  }
}
export const isSysproMalformedResponseError = (e: unknown): e is SysproMalformedResponseError =>
  e instanceof SysproMalformedResponseError;
