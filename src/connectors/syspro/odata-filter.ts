/**
 * OData `$filter` expressions built from values, never from concatenated strings: string literals
 * are quoted with `'` doubled (OData ABNF `SQUOTE-in-string`), column names must be identifiers,
 * dates and decimals are validated, so a supplier code or invoice number such as `x' or 1 eq 1 or
 * 'a` stays a harmless literal.
 */
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

declare const brand: unique symbol;

/** A validated filter expression; only the functions below make one. */
export interface ODataFilter {
  readonly [brand]: true;
  readonly text: string;
}

/** A date literal (`Edm.Date`, unquoted: `JournalDate ge 2026-10-01`). */
export interface ODataDate {
  readonly kind: "date";
  readonly value: string;
}
/** A decimal literal written exactly (`MthInvBal1 gt 0`). */
export interface ODataDecimal {
  readonly kind: "decimal";
  readonly value: string;
}

export type ODataValue = string | number | boolean | null | ODataDate | ODataDecimal;

export function odataDate(value: string): ODataDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(value)}`);
  }
  return { kind: "date", value };
}

export function odataDecimal(value: string): ODataDecimal {
  if (!/^-?\d{1,20}(\.\d{1,10})?$/.test(value)) {
    throw new RangeError(`not a decimal: ${JSON.stringify(value)}`);
  }
  return { kind: "decimal", value };
}

/** An OData string literal: `'O''Brien'`. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function literal(value: ODataValue): string {
  if (value === null) {
    return "null";
  }
  if (typeof value === "string") {
    return odataString(value);
  }
  if (typeof value === "boolean") {
    return value ? "true" : "false";
  }
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError("only safe integers as numbers; use odataDecimal for amounts");
    }
    return String(value);
  }
  return value.value;
}

export function column(name: string): string {
  if (!IDENT.test(name)) {
    throw new RangeError(`not a column name: ${JSON.stringify(name)}`);
  }
  return name;
}

const make = (text: string): ODataFilter => ({ text }) as ODataFilter;

const compare =
  (op: string) =>
  (name: string, value: ODataValue): ODataFilter =>
    make(`${column(name)} ${op} ${literal(value)}`);

export const eq = compare("eq");
export const ne = compare("ne");
export const gt = compare("gt");
export const ge = compare("ge");
export const lt = compare("lt");
export const le = compare("le");

export function and(...filters: readonly (ODataFilter | undefined)[]): ODataFilter | undefined {
  const present = filters.filter((f): f is ODataFilter => f !== undefined);
  if (present.length <= 1) {
    return present[0];
  }
  return make(present.map((f) => `(${f.text})`).join(" and "));
}

export function or(...filters: readonly (ODataFilter | undefined)[]): ODataFilter | undefined {
  const present = filters.filter((f): f is ODataFilter => f !== undefined);
  if (present.length <= 1) {
    return present[0];
  }
  return make(present.map((f) => `(${f.text})`).join(" or "));
}

/** `Col eq v1 or Col eq v2 …` (OData 4.0 has no `in`). */
export function oneOf(name: string, values: readonly ODataValue[]): ODataFilter | undefined {
  return or(...values.map((v) => eq(name, v)));
}

/** An `$orderby` item: `Col` or `Col desc`. */
export function orderItem(item: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i.exec(item.trim());
  if (!m) {
    throw new RangeError(`not an $orderby item: ${JSON.stringify(item)}`);
  }
  return m[2] ? `${m[1]} ${m[2].toLowerCase()}` : (m[1] as string);
}
