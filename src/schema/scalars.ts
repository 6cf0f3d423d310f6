import { Decimal as DecimalJs } from "decimal.js";
import { Kind } from "graphql";
import { createGraphQLError } from "graphql-yoga";

import type { ValueNode } from "graphql";

/**
 * Scalar parsing and serialising, kept free of the builder so sync code and tests can reuse it.
 * Registered on the builder in `builder.ts`.
 */

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** A decimal number as a plain string (`"1234.50"`); never a float. */
export function parseDecimal(value: unknown): string {
  if (typeof value !== "string" || !DECIMAL_PATTERN.test(value.trim())) {
    throw createGraphQLError(
      'Decimal must be a string of digits with an optional fraction, e.g. "1234.50".',
    );
  }
  return value.trim();
}

/**
 * Accepts what our code holds for money: `numeric` strings from Postgres, decimal.js values,
 * bigints (minor units already converted by the caller) and safe integers. A non-integer JS
 * number means a float slipped into the money path, so it is refused rather than rounded.
 */
export function serializeDecimal(value: unknown): string {
  if (typeof value === "string") {
    return parseDecimal(value);
  }
  if (DecimalJs.isDecimal(value)) {
    return value.toFixed();
  }
  if (typeof value === "bigint") {
    return value.toString();
  }
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    return String(value);
  }
  throw new TypeError(`Decimal cannot represent ${typeof value} ${String(value)}.`);
}

export function parseDecimalLiteral(ast: ValueNode): string {
  if (ast.kind === Kind.STRING) {
    return parseDecimal(ast.value);
  }
  throw createGraphQLError('Decimal must be written as a string, e.g. "1234.50".', {
    nodes: [ast],
  });
}

/** ISO-8601 timestamps with an explicit offset; serialised in UTC (`2025-01-31T23:59:59.000Z`). */
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseDateTime(value: unknown): Date {
  if (typeof value !== "string" || !DATE_TIME_PATTERN.test(value)) {
    throw createGraphQLError(
      'DateTime must be an ISO-8601 string with a time zone, e.g. "2025-01-31T23:59:59Z".',
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !isCalendarDate(value)) {
    throw createGraphQLError(`DateTime "${value}" is not a real instant.`);
  }
  return date;
}

/** JavaScript rolls `2025-02-30` over to March; a finance date like that is a typo, not a date. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, day));
  return (
    utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day
  );
}

export function serializeDateTime(value: unknown): string {
  const date =
    value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new TypeError(`DateTime cannot represent ${String(value)}.`);
  }
  return date.toISOString();
}

export function parseDateTimeLiteral(ast: ValueNode): Date {
  if (ast.kind === Kind.STRING) {
    return parseDateTime(ast.value);
  }
  throw createGraphQLError("DateTime must be written as a string.", { nodes: [ast] });
}

/** Any JSON value; for raw remote payloads and free-form details. */
export function parseJsonLiteral(
  ast: ValueNode,
  variables?: Record<string, unknown> | null,
): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((item) => parseJsonLiteral(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        ast.fields.map((field) => [field.name.value, parseJsonLiteral(field.value, variables)]),
      );
    case Kind.VARIABLE:
      return variables?.[ast.name.value] ?? null;
    case Kind.ENUM:
      return ast.value;
  }
}
