import { GraphQLError, Kind } from "graphql";

import type { ValueNode } from "graphql";

/**
 * The `Date` scalar: a calendar date `YYYY-MM-DD` without a time or zone (invoice, due, payment and
 * journal dates are days in the books, not instants). Registered on the builder in `builder.ts`.
 */
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseCalendarDate(value: unknown): string {
  const match = typeof value === "string" ? PATTERN.exec(value) : null;
  if (!match) {
    throw new GraphQLError('Date must be a calendar date written YYYY-MM-DD, e.g. "2025-01-31".');
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (
    utc.getUTCFullYear() !== year ||
    utc.getUTCMonth() !== month - 1 ||
    utc.getUTCDate() !== day
  ) {
    throw new GraphQLError(`Date "${String(value)}" is not a real calendar date.`);
  }
  return value as string;
}

export function parseCalendarDateLiteral(ast: ValueNode): string {
  if (ast.kind === Kind.STRING) {
    return parseCalendarDate(ast.value);
  }
  throw new GraphQLError('Date must be written as a string, e.g. "2025-01-31".', { nodes: ast });
}

/** Postgres `date` columns arrive as `YYYY-MM-DD` strings; a JS Date is read in UTC. */
export function serializeCalendarDate(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return value.toISOString().slice(0, 10);
  }
  return parseCalendarDate(value);
}
