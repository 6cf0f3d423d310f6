import { and, gte, inArray, lt, lte, or, sql } from "drizzle-orm";

import { validUuids } from "./ids.js";
import { containsPattern } from "./keyset.js";

import type { Column, SQL } from "drizzle-orm";

/** Calendar dates `YYYY-MM-DD`, both ends included. */
export interface DateRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** Instants: `from` included, `to` excluded, so consecutive ranges never overlap. */
export interface InstantRange {
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

export function dateRange(column: Column, range: DateRange | undefined): SQL | undefined {
  if (!range) {
    return undefined;
  }
  return and(
    range.from !== undefined ? gte(column, range.from) : undefined,
    range.to !== undefined ? lte(column, range.to) : undefined,
  );
}

export function instantRange(column: Column, range: InstantRange | undefined): SQL | undefined {
  if (!range) {
    return undefined;
  }
  return and(
    range.from !== undefined ? gte(column, range.from) : undefined,
    range.to !== undefined ? lt(column, range.to) : undefined,
  );
}

/** `column in (…)` when the list has values; no condition for an absent or empty list. */
export function oneOf<T>(column: Column, values: readonly T[] | undefined): SQL | undefined {
  return values && values.length > 0 ? inArray(column, [...values]) : undefined;
}

/**
 * Any of `columns` contains `term`, ignoring case. ILIKE `%term%`: the trigram (pg_trgm) indexes
 * on the searched columns serve it when present; without them it is a scan within the other filters.
 */
export function textSearch(
  term: string | undefined,
  columns: readonly (Column | SQL)[],
): SQL | undefined {
  const trimmed = term?.trim();
  if (!trimmed) {
    return undefined;
  }
  const pattern = containsPattern(trimmed);
  return or(...columns.map((column) => sql`${column} ilike ${pattern}`));
}

/** `document ilike '%term%'` for a trigram-indexed search expression; no condition for no term. */
export function matches(document: SQL, term: string | undefined): SQL | undefined {
  const trimmed = term?.trim();
  return trimmed ? sql`${document} ilike ${containsPattern(trimmed)}` : undefined;
}

/** Composite keys for `(a, b) in ((…), (…))` lookups, e.g. (connection id, GL code). */
export function pairsIn(
  left: readonly [Column, Column],
  pairs: readonly (readonly [string, string])[],
  leftType = "uuid",
): SQL {
  return sql`(${left[0]}, ${left[1]}) in (${sql.join(
    pairs.map(([a, b]) => sql`(cast(${a} as ${sql.raw(leftType)}), ${b})`),
    sql`, `,
  )})`;
}

/** Key of a composite-key loader entry. */
export const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

/**
 * `column in (ids)` for UUID columns. Malformed ids match nothing (never an SQL error); a filter
 * given with no usable id matches no row, unlike an absent filter.
 */
export function idIn(column: Column, ids: readonly string[] | undefined): SQL | undefined {
  if (ids === undefined) {
    return undefined;
  }
  const valid = validUuids(ids);
  return valid.length > 0 ? inArray(column, valid) : sql`false`;
}
