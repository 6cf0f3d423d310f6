import {
  isConflictError,
  isForbiddenError,
  isNotFoundError,
  isValidationError,
} from "../../errors.js";

/**
 * What the CLI's exit status means (documented in the README). Scripts can branch on these.
 * 64 and 78 follow sysexits.h, as the foundation's usage and configuration errors already do.
 */
export const EXIT = {
  /** Done; for `ping`, both systems answered; for `sync`, the run succeeded. */
  OK: 0,
  /** Unexpected failure (a bug, or the database went away mid-command). */
  ERROR: 1,
  /** The command ran and the outcome is a failure: a diagnosis failed, a run failed. */
  FAILED: 2,
  /** What was named does not exist (connection, transaction, exception, key). */
  NOT_FOUND: 3,
  /** Refused: not in a state that allows it (exception already resolved, last admin key…). */
  CONFLICT: 4,
  /** The command was interrupted (Ctrl-C) before it finished; the run goes on in the worker. */
  INTERRUPTED: 130,
  /** Bad command line. */
  USAGE: 64,
  /** Invalid configuration (printed by config.ts). */
  CONFIG: 78,
} as const;

/** The exit status and one-line message for an error a command ran into. */
export function describeFailure(err: unknown): { code: number; message: string } {
  const message = err instanceof Error ? err.message.split("\n")[0]! : String(err);
  if (isNotFoundError(err)) {
    return { code: EXIT.NOT_FOUND, message };
  }
  if (isConflictError(err) || isForbiddenError(err)) {
    return { code: EXIT.CONFLICT, message };
  }
  if (isValidationError(err)) {
    return { code: EXIT.USAGE, message };
  }
  return { code: EXIT.ERROR, message };
}
