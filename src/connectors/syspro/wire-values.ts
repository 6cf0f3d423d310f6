/**
 * Values as SYSPRO reads and writes them: amounts as exact decimal strings (never floats), dates as
 * `YYYY-MM-DD`, codes and texts without control characters. The zod primitives here are what every
 * business-object schema is built from, because SYSPRO silently ignores what it does not expect.
 */
import { Decimal } from "decimal.js";
import { z } from "zod";

import { SysproInvalidDocumentError, SysproMalformedResponseError } from "./errors.js";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

/** A decimal string with at most `places` decimals, e.g. "115.00", "-20", "0.5". */
export const amount = (places = 2) =>
  z
    .string()
    .regex(
      new RegExp(`^-?\\d{1,15}(\\.\\d{1,${places}})?$`),
      `a decimal with at most ${places} places`,
    );

/** An amount that must be greater than zero. */
export const positiveAmount = (places = 2) =>
  amount(places).refine((v) => new Decimal(v).gt(0), "must be greater than zero");

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, "not a real date");

/** A SYSPRO key or code: non-empty, no surrounding spaces, no control characters. */
export const code = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine(
      (v) => v.trim() === v && !CONTROL.test(v),
      "no surrounding spaces or control characters",
    );

/** Free text (names, notations, references); may be empty. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !CONTROL.test(v), "no control characters");

/** Formats a validated amount for SYSPRO exactly: fixed `places`, never rounded. */
export function formatAmount(value: string, places = 2): string {
  const d = new Decimal(value);
  if (d.decimalPlaces() > places) {
    throw new RangeError(`amount ${value} has more than ${places} decimal places`);
  }
  return d.toFixed(places);
}

export function sumAmounts(values: readonly string[]): Decimal {
  return values.reduce((acc, v) => acc.plus(v), new Decimal(0));
}

/**
 * A decimal from SYSPRO's XML (`"110.00"`, `"          110.00"`, `"100.00-"`) as a normalised decimal
 * string keeping its scale. Undefined when empty.
 */
export function parseSysproDecimal(raw: string | undefined, what: string): string | undefined {
  const t = (raw ?? "").trim();
  if (t === "") {
    return undefined;
  }
  const trailingMinus = /^(\d+(?:\.\d+)?)-$/.exec(t);
  const normalised = trailingMinus ? `-${trailingMinus[1]}` : t;
  if (!/^[+-]?\d+(\.\d+)?$/.test(normalised)) {
    throw new SysproMalformedResponseError(
      "unexpected_shape",
      `${what} is not a decimal: "${t.slice(0, 30)}"`,
    );
  }
  return normalised.startsWith("+") ? normalised.slice(1) : normalised;
}

/** SYSPRO's `yyyymmdd` (GENTJL output) or `yyyy-mm-dd` → `yyyy-mm-dd`; undefined when empty. */
export function parseSysproDate(raw: string | undefined): string | undefined {
  const t = (raw ?? "").trim();
  if (t === "") {
    return undefined;
  }
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (compact) {
    return `${compact[1]}-${compact[2]}-${compact[3]}`;
  }
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(t);
  return iso ? iso[1] : t;
}

/** Validates `input` against a document schema or throws `SysproInvalidDocumentError` (nothing sent). */
export function validateDocument<S extends z.ZodType>(
  businessObject: string,
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new SysproInvalidDocumentError(
      businessObject,
      result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}
