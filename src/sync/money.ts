import Decimal from "decimal.js";

import { InvalidAmountError } from "./errors.js";

import type { Amount } from "./domain.js";

/**
 * Money arithmetic in integer cents (bigint). Amounts arrive as decimal strings; a value with a
 * non-zero third decimal is refused rather than rounded, because rounding someone's invoice is a
 * decision for a person, not for the connector. Every amount in both contracts has two decimals.
 */
export const MONEY_SCALE = 2;

// A private clone: another module changing Decimal's global precision must not change ours.
const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

const DECIMAL_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** True for a plain decimal string (`"12"`, `"-0.50"`, `".5"`); no exponents, no `NaN`. */
export function isDecimalString(value: string): boolean {
  return DECIMAL_PATTERN.test(value.trim());
}

/** Cents of `amount`, or `undefined` when it is not a decimal or has sub-cent precision. */
export function parseCents(amount: string): bigint | undefined {
  const text = amount.trim();
  if (!DECIMAL_PATTERN.test(text)) {
    return undefined;
  }
  const scaled = new Dec(text).times(10 ** MONEY_SCALE);
  if (!scaled.isInteger()) {
    return undefined;
  }
  // -0 would print as "-0"; normalise it away before BigInt sees it.
  return BigInt(scaled.isZero() ? "0" : scaled.toFixed(0));
}

/** Cents of `amount`; throws `InvalidAmountError` naming `field` when it is not money. */
export function toCents(amount: string, field?: string): bigint {
  const cents = parseCents(amount);
  if (cents === undefined) {
    throw new InvalidAmountError(amount, field);
  }
  return cents;
}

/** `115000n` → `"1150.00"`. */
export function formatCents(cents: bigint): Amount {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const units = abs / 100n;
  const rest = (abs % 100n).toString().padStart(MONEY_SCALE, "0");
  return `${negative ? "-" : ""}${units.toString()}.${rest}`;
}

export function sumCents(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) {
    total += value;
  }
  return total;
}

/** Canonical text of any decimal string (`"1150.00"` → `"1150"`, `"-0.0"` → `"0"`), for hashing and
 * comparison. Throws `InvalidAmountError` when it is not a decimal. */
export function normaliseDecimal(value: string): string {
  const text = value.trim();
  if (!DECIMAL_PATTERN.test(text)) {
    throw new InvalidAmountError(value);
  }
  const decimal = new Dec(text);
  return decimal.isZero() ? "0" : decimal.toFixed();
}

/** `quantity × unitPrice` rounded half-up to cents: a PO line value, which AvidXchange shows for
 * matching only (nothing is posted from it), so rounding here moves no money. */
export function extendToCents(quantity: string, unitPrice: string): bigint {
  if (!isDecimalString(quantity)) {
    throw new InvalidAmountError(quantity, "quantity");
  }
  if (!isDecimalString(unitPrice)) {
    throw new InvalidAmountError(unitPrice, "unit price");
  }
  const value = new Dec(quantity.trim())
    .times(new Dec(unitPrice.trim()))
    .times(10 ** MONEY_SCALE)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return BigInt(value.isZero() ? "0" : value.toFixed(0));
}
