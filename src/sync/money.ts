import { InvalidAmountError } from "./errors.js";

import type { Amount } from "./domain.js";

/**
 * Money arithmetic in integer cents (bigint). Amounts arrive as decimal strings; a value with a
 * non-zero third decimal is refused rather than rounded, because rounding someone's invoice is a
 * decision for a person, not for the connector. Every amount in both contracts has two decimals.
 *
 * Plain bigint fixed-point rather than decimal.js: we only parse, add, compare and (for PO lines)
 * multiply, all exact in bigint, and decimal.js's CommonJS typings fight NodeNext's ESM imports.
 */
export const MONEY_SCALE = 2;

const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** An exact decimal: `units / 10^scale`. */
interface Fixed {
  readonly units: bigint;
  readonly scale: number;
}

function parseFixed(value: string): Fixed | undefined {
  const match = DECIMAL_PATTERN.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const [, sign = "", whole = "", fraction = ""] = match;
  if (whole === "" && fraction === "") {
    return undefined;
  }
  const magnitude = BigInt(`${whole || "0"}${fraction}`);
  return { units: sign === "-" ? -magnitude : magnitude, scale: fraction.length };
}

/** True for a plain decimal string (`"12"`, `"-0.50"`, `".5"`); no exponents, no `NaN`. */
export function isDecimalString(value: string): boolean {
  return parseFixed(value) !== undefined;
}

/** Cents of `amount`, or `undefined` when it is not a decimal or has sub-cent precision. */
export function parseCents(amount: string): bigint | undefined {
  const fixed = parseFixed(amount);
  return fixed ? rescale(fixed, MONEY_SCALE) : undefined;
}

/** Exact value of `fixed` at `scale` places, or `undefined` when that would drop non-zero digits. */
function rescale(fixed: Fixed, scale: number): bigint | undefined {
  if (fixed.scale <= scale) {
    return fixed.units * 10n ** BigInt(scale - fixed.scale);
  }
  const divisor = 10n ** BigInt(fixed.scale - scale);
  return fixed.units % divisor === 0n ? fixed.units / divisor : undefined;
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
  const rest = (abs % 100n).toString().padStart(MONEY_SCALE, "0");
  return `${negative ? "-" : ""}${(abs / 100n).toString()}.${rest}`;
}

export function sumCents(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) {
    total += value;
  }
  return total;
}

/** Canonical text of any decimal string (`"1150.00"` → `"1150"`, `"-0.0"` → `"0"`, `"007.50"` →
 * `"7.5"`), for hashing and comparison. Throws `InvalidAmountError` when it is not a decimal. */
export function normaliseDecimal(value: string): string {
  const fixed = parseFixed(value);
  if (!fixed) {
    throw new InvalidAmountError(value);
  }
  let { units, scale } = fixed;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  if (units === 0n) {
    return "0";
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** `quantity × unitPrice` rounded half away from zero to cents: a PO line value, which AvidXchange
 * shows for matching only (nothing is posted from it), so rounding here moves no money. */
export function extendToCents(quantity: string, unitPrice: string): bigint {
  const q = parseFixed(quantity);
  if (!q) {
    throw new InvalidAmountError(quantity, "quantity");
  }
  const p = parseFixed(unitPrice);
  if (!p) {
    throw new InvalidAmountError(unitPrice, "unit price");
  }
  const product: Fixed = { units: q.units * p.units, scale: q.scale + p.scale };
  if (product.scale <= MONEY_SCALE) {
    return product.units * 10n ** BigInt(MONEY_SCALE - product.scale);
  }
  const divisor = 10n ** BigInt(product.scale - MONEY_SCALE);
  const negative = product.units < 0n;
  const abs = negative ? -product.units : product.units;
  const rounded = (abs + divisor / 2n) / divisor;
  return negative ? -rounded : rounded;
}
