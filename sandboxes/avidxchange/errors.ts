/** Errors of the sandbox's own controls (a test asked for something impossible). */

export class SandboxControlError extends Error {
  override readonly name = "SandboxControlError";
  readonly code = "AVID_SANDBOX_CONTROL";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isSandboxControlError(error: unknown): error is SandboxControlError {
  return error instanceof SandboxControlError;
}
