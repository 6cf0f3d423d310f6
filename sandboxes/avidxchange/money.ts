/**
 * Money in the sandbox is integer cents. The wire carries JSON numbers (1150.00 arrives as 1150), so
 * amounts are converted here, at the edge, and never added as floats.
 */

/** Why a wire amount could not be read; the caller words the message. */
export type MoneyProblem = "missing" | "not-a-number" | "too-many-decimals";

/** Parses a JSON number or a decimal string into cents. */
export function parseCents(value: unknown): number | MoneyProblem {
  if (value === undefined || value === null || value === "") {
    return "missing";
  }
  if (typeof value !== "number" && typeof value !== "string") {
    return "not-a-number";
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    return "not-a-number";
  }
  // String(1150.5) is the shortest round-trip form, so a wire 1150.50 reads back exactly as "1150.5".
  const text = String(value).trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    return "not-a-number";
  }
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > 2) {
    return "too-many-decimals";
  }
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return sign === "-" ? -cents : cents;
}

/** 123456 → "1234.56". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Cents as the JSON number the wire carries (123456 → 1234.56). */
export function centsToWire(cents: number): number {
  return Number(formatCents(cents));
}
