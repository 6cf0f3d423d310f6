/**
 * The base of every error we throw on purpose. `code` is stable (tests, logs and GraphQL results
 * match on it); `message` is for people and may change.
 */
export class AppError extends Error {
  override readonly name: string = "AppError";
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

// ── Expected outcomes shown to API clients. Added by the GraphQL-server helper (issue 3); ──
// ── the schema's result unions and error masking rely on this class hierarchy.          ──

/**
 * An expected outcome whose message is written for the person calling the API. GraphQL result
 * unions return these as typed errors and error masking lets them through, so the message must
 * never carry hostnames, SQL or remote payloads. Any other error is masked as "Unexpected error.".
 */
export class PublicError extends AppError {
  override readonly name: string = "PublicError";
}

export const isPublicError = (e: unknown): e is PublicError => e instanceof PublicError;

/** One problem with the input: where (`path` into the arguments) and what. */
export interface ValidationIssue {
  readonly path: readonly string[];
  readonly message: string;
}

/** The input was refused (zod at the edge, or a rule the resolver checks). */
export class ValidationError extends PublicError {
  override readonly name = "ValidationError";
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], options?: { cause?: unknown }) {
    super("VALIDATION_FAILED", ValidationError.summarise(issues), options);
    this.issues = issues;
  }

  /** From Standard Schema issues (zod, Pothos validation). */
  static fromIssues(
    issues: readonly {
      readonly message: string;
      readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
    }[],
  ): ValidationError {
    return new ValidationError(
      issues.map((issue) => ({
        message: issue.message,
        path: (issue.path ?? []).map((part) =>
          String(typeof part === "object" && part !== null ? part.key : part),
        ),
      })),
    );
  }

  private static summarise(issues: readonly ValidationIssue[]): string {
    const first = issues[0];
    if (!first) {
      return "Invalid input.";
    }
    const where = first.path.length > 0 ? `${first.path.join(".")}: ` : "";
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    return `Invalid input: ${where}${first.message}${more}`;
  }
}

export const isValidationError = (e: unknown): e is ValidationError => e instanceof ValidationError;

/** Allowed in general, refused for this record or state (e.g. revoking the last admin key). */
export class ForbiddenError extends PublicError {
  override readonly name = "ForbiddenError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("FORBIDDEN", message, options);
  }
}

export const isForbiddenError = (e: unknown): e is ForbiddenError => e instanceof ForbiddenError;

/** The request conflicts with the current state (duplicate name, already done, stale version). */
export class ConflictError extends PublicError {
  override readonly name = "ConflictError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("CONFLICT", message, options);
  }
}

export const isConflictError = (e: unknown): e is ConflictError => e instanceof ConflictError;
// ── end of the GraphQL-server helper's addition ──

/** A thing the caller asked for does not exist (or is not theirs to see). */
export class NotFoundError extends PublicError {
  override readonly name = "NotFoundError";
  constructor(what: string, options?: { cause?: unknown }) {
    super("NOT_FOUND", `${what} not found.`, options);
  }
}

export const isNotFoundError = (e: unknown): e is NotFoundError => e instanceof NotFoundError;

/**
 * Normalises anything thrown into an Error, once, at the boundary that catches it
 * (`throw "x"`, rejected non-errors, errors from other realms).
 */
export function coerceError(thrown: unknown): Error & { code?: unknown } {
  if (thrown instanceof Error) {
    return thrown;
  }
  if (typeof thrown === "object" && thrown !== null && "message" in thrown) {
    const e: Error & { code?: unknown } = new Error(String(thrown.message), { cause: thrown });
    if ("code" in thrown) {
      e.code = thrown.code;
    }
    return e;
  }
  return new Error(String(thrown), { cause: thrown });
}

/** The stable code of an error if it has one (ours, or a driver's such as a PostgreSQL SQLSTATE). */
export function errorCode(thrown: unknown): string | undefined {
  const code = (thrown as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
