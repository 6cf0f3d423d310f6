import { sql } from "drizzle-orm";

import { ValidationError } from "../errors.js";

import type { SQL } from "drizzle-orm";

/**
 * Keyset (cursor) pagination shared by every list. A list orders by a few sort expressions and a
 * unique tie-breaker (the row id), all in one direction, so a page boundary is a row value and
 * `(a, b, id) < (…)` finds the next page through the same index as the ordering: pages stay fast
 * and stable while rows are inserted, unlike offsets.
 *
 * The cursor carries the sort values as PostgreSQL printed them (`::text`), never as JS values: a
 * JS Date drops the microseconds of a `timestamptz`, and a page boundary rounded to milliseconds
 * would skip or repeat rows.
 */

/** One sort expression and the type its cursor value is cast back to. */
export interface SortPart {
  readonly expr: SQL;
  /** A PostgreSQL type name, e.g. `date`, `timestamptz`, `numeric`, `text`, `uuid`, `bigint`. */
  readonly type: string;
}

/** An ordering of one list. Nullable columns are wrapped in `coalesce(…)` by the caller. */
export interface Ordering {
  /** Names the list and ordering, so a cursor from another list or ordering is refused. */
  readonly name: string;
  readonly direction: "asc" | "desc";
  /** The sort expressions, the last one unique (the id). */
  readonly parts: readonly SortPart[];
}

/** What `resolveCursorConnection` asks for (Pothos relay), plus nothing else. */
export interface PageRequest {
  readonly after?: string | undefined;
  readonly before?: string | undefined;
  /** Rows to fetch (one more than the page, to learn whether there is a next page). */
  readonly limit: number;
  /** Fetch from the end (`last`): the order is reversed and the caller flips the rows back. */
  readonly inverted: boolean;
}

/** A row of a list page with its cursor. */
export type Paged<T> = T & { readonly cursor: string };

export const sortPart = (expr: SQL, type: string): SortPart => ({ expr, type });

/** The select-list entry that yields a row's sort values as text, for its cursor. */
export function sortKeyOf(ordering: Ordering): SQL<string[]> {
  return sql<string[]>`array[${sql.join(
    ordering.parts.map((part) => sql`(${part.expr})::text`),
    sql`, `,
  )}]`;
}

/** The WHERE condition for the page bounds, or undefined for the first page. */
export function keysetWhere(ordering: Ordering, page: PageRequest): SQL | undefined {
  const conditions: SQL[] = [];
  if (page.after !== undefined) {
    conditions.push(compare(ordering, decodeCursor(ordering, page.after), "after"));
  }
  if (page.before !== undefined) {
    conditions.push(compare(ordering, decodeCursor(ordering, page.before), "before"));
  }
  return conditions.length === 0 ? undefined : sql.join(conditions, sql` and `);
}

/** ORDER BY terms: the ordering, or its reverse for `last`. */
export function keysetOrderBy(ordering: Ordering, inverted: boolean): SQL[] {
  const descending = (ordering.direction === "desc") !== inverted;
  return ordering.parts.map((part) =>
    descending ? sql`${part.expr} desc` : sql`${part.expr} asc`,
  );
}

/** Attaches cursors to rows that carry their `sortKey` (from `sortKeyOf`). */
export function withCursors<T extends { readonly sortKey: readonly string[] }>(
  ordering: Ordering,
  rows: readonly T[],
): Paged<Omit<T, "sortKey">>[] {
  return rows.map(({ sortKey, ...row }) => ({ ...row, cursor: encodeCursor(ordering, sortKey) }));
}

export function encodeCursor(ordering: Ordering, values: readonly string[]): string {
  return Buffer.from(JSON.stringify([ordering.name, ...values]), "utf8").toString("base64url");
}

export function decodeCursor(ordering: Ordering, cursor: string): string[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded[0] !== ordering.name ||
    decoded.length !== ordering.parts.length + 1 ||
    !decoded.every((v) => typeof v === "string")
  ) {
    throw new ValidationError([
      {
        path: [],
        message:
          "This cursor does not belong to this list and ordering (or is damaged); start again from the first page.",
      },
    ]);
  }
  return decoded.slice(1);
}

function compare(ordering: Ordering, values: readonly string[], side: "after" | "before"): SQL {
  const forward = ordering.direction === "asc" ? side === "after" : side === "before";
  const left = sql.join(
    ordering.parts.map((part) => part.expr),
    sql`, `,
  );
  const right = sql.join(
    ordering.parts.map((part, i) => sql`cast(${values[i]} as ${sql.raw(part.type)})`),
    sql`, `,
  );
  return forward ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`;
}

/** `%term%` for ILIKE, with the user's own `%`, `_` and `\` taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
