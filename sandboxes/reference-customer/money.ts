/** Amounts are computed in integer cents and printed as 2-decimal strings; never floats in between. */

/** 12345 → '123.45'; -5 → '-0.05'. */
export function centsToString(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Splits `total` cents into `parts` positive pieces that sum to it exactly (uneven, like real lines). */
export function splitCents(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((total * w) / sum));
  const rest = total - out.reduce((a, b) => a + b, 0);
  out[0] = (out[0] ?? 0) + rest;
  return out;
}
