import { errorCode } from "../../errors.js";

/**
 * The PostgreSQL SQLSTATE of a failed statement. drizzle wraps driver errors (`DrizzleQueryError`,
 * the driver's error as `cause`), so the code is looked for down the cause chain.
 */
export function sqlState(thrown: unknown): string | undefined {
  let current: unknown = thrown;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = errorCode(current);
    if (code && /^[0-9A-Z]{5}$/.test(code)) {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = "23505";
