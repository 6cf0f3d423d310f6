import { createHash } from "node:crypto";

import { InvalidValueError } from "./errors.js";
import { isDecimalString, normaliseDecimal } from "./money.js";

/**
 * A stable hash of a record's relevant content: the same content gives the same hash whatever the
 * key order, surrounding whitespace, blank-versus-absent fields or the way a decimal is written.
 * A record is re-sent only when its hash differs from the one stored when it was last sent.
 *
 * Decimals are normalised only in fields named in `decimalFields`: normalising every numeric-looking
 * string would make supplier `0000001` equal supplier `1` and GL code `4100.210` equal `4100.21`.
 */
export interface ContentHashOptions {
  /** Top-level fields that matter; absent = all of them. */
  readonly fields?: readonly string[];
  /** Field names (at any depth) holding decimal strings. */
  readonly decimalFields?: readonly string[];
}

/** Bumped when the canonical form changes, so old and new hashes never compare equal by accident. */
export const CONTENT_HASH_VERSION = 1;

export function contentHash(record: object, options: ContentHashOptions = {}): string {
  const decimals = new Set(options.decimalFields ?? []);
  const source = options.fields ? pick(record, options.fields) : record;
  const canonical = JSON.stringify([CONTENT_HASH_VERSION, canonicalise(source, decimals, false)]);
  return createHash("sha256").update(canonical).digest("hex");
}

function pick(record: object, fields: readonly string[]): Record<string, unknown> {
  const entries = Object.entries(record as Record<string, unknown>);
  const wanted = new Set(fields);
  return Object.fromEntries(entries.filter(([key]) => wanted.has(key)));
}

type Canonical = string | number | boolean | null | Canonical[] | { [key: string]: Canonical };

/** `undefined` means "absent": blank strings, null, undefined, empty arrays and empty objects all
 * drop out of their parent object. */
function canonicalise(
  value: unknown,
  decimals: ReadonlySet<string>,
  isDecimal: boolean,
): Canonical | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") {
      return undefined;
    }
    if (isDecimal) {
      if (!isDecimalString(text)) {
        throw new InvalidValueError(`decimal field holds "${value}"`);
      }
      return normaliseDecimal(text);
    }
    return text;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new InvalidValueError(`cannot hash the number ${value}`);
    }
    return isDecimal ? normaliseDecimal(String(value)) : value;
  }
  if (typeof value === "boolean") {
    return value;
  }
  if (typeof value === "bigint") {
    return value.toString();
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    // Order matters in arrays (invoice lines are numbered); an absent element stays a placeholder.
    const items = value.map((item) => canonicalise(item, decimals, isDecimal) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === "object") {
    const out: { [key: string]: Canonical } = {};
    for (const key of Object.keys(value).sort()) {
      const item = canonicalise(
        (value as Record<string, unknown>)[key],
        decimals,
        decimals.has(key),
      );
      if (item !== undefined) {
        out[key] = item;
      }
    }
    // An object with nothing in it (an address of blank lines) is the same as no object.
    return Object.keys(out).length === 0 ? undefined : out;
  }
  throw new InvalidValueError(`cannot hash a ${typeof value}`);
}
