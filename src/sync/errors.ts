/**
 * Errors the pure sync modules throw. Business outcomes (an unmapped line, a payment above its
 * invoice) are not errors: they are returned as exceptions (see `exceptions.ts`). What is thrown here
 * is a caller or configuration fault that no record-level exception can explain: an amount string
 * that is not a decimal, a schedule with an unknown time zone, a posting status that no AvidPay chain
 * knows.
 */

export type SyncErrorCode =
  "INVALID_AMOUNT" | "INVALID_CONFIGURATION" | "INVALID_VALUE" | "INVARIANT_BROKEN";

export class SyncError extends Error {
  override readonly name: string = "SyncError";
  readonly code: SyncErrorCode;

  constructor(code: SyncErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A money field holds something that is not a decimal with at most two places. */
export class InvalidAmountError extends SyncError {
  override readonly name = "InvalidAmountError";
  readonly value: string;

  constructor(value: string, field?: string, options?: { cause?: unknown }) {
    super(
      "INVALID_AMOUNT",
      `${field ?? "amount"} is not a valid money amount: "${value}"`,
      options,
    );
    this.value = value;
  }
}

/** A setting, mapping rule or schedule of a connection cannot be used as given. */
export class InvalidConfigurationError extends SyncError {
  override readonly name = "InvalidConfigurationError";

  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_CONFIGURATION", message, options);
  }
}

/** A value handed to a pure function is malformed (a timestamp that does not parse, …). */
export class InvalidValueError extends SyncError {
  override readonly name = "InvalidValueError";

  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_VALUE", message, options);
  }
}

/** Something the code guarantees did not hold (an unbalanced journal built from balanced totals).
 * Always a bug: fail the job loudly rather than post. */
export class SyncInvariantError extends SyncError {
  override readonly name = "SyncInvariantError";

  constructor(message: string, options?: { cause?: unknown }) {
    super("INVARIANT_BROKEN", message, options);
  }
}

export function isSyncError(error: unknown): error is SyncError {
  return error instanceof SyncError;
}

export function isInvalidAmountError(error: unknown): error is InvalidAmountError {
  return error instanceof InvalidAmountError;
}

export function isInvalidConfigurationError(error: unknown): error is InvalidConfigurationError {
  return error instanceof InvalidConfigurationError;
}

export function isSyncInvariantError(error: unknown): error is SyncInvariantError {
  return error instanceof SyncInvariantError;
}

export function isInvalidValueError(error: unknown): error is InvalidValueError {
  return error instanceof InvalidValueError;
}
