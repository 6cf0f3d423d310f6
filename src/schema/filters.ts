import { builder } from "./builder.js";

/** Filter inputs shared by the lists. */

export const DateRangeInput = builder.inputType("DateRange", {
  description:
    "Calendar dates from `from` to `to`, both days included. Either end may be left open.",
  fields: (t) => ({
    from: t.field({ type: "Date", required: false, description: "First day included." }),
    to: t.field({ type: "Date", required: false, description: "Last day included." }),
  }),
});

export const DateTimeRangeInput = builder.inputType("DateTimeRange", {
  description:
    "Instants from `from` (included) to `to` (excluded), so back-to-back ranges never overlap.",
  fields: (t) => ({
    from: t.field({ type: "DateTime", required: false, description: "Included." }),
    to: t.field({ type: "DateTime", required: false, description: "Excluded." }),
  }),
});

/** Drops null ends (GraphQL null means "open"). */
export function dateRangeOf(
  range: { from?: string | null | undefined; to?: string | null | undefined } | null | undefined,
): { from?: string; to?: string } | undefined {
  if (!range) {
    return undefined;
  }
  return {
    ...(range.from != null ? { from: range.from } : {}),
    ...(range.to != null ? { to: range.to } : {}),
  };
}

export function instantRangeOf(
  range: { from?: Date | null | undefined; to?: Date | null | undefined } | null | undefined,
): { from?: Date; to?: Date } | undefined {
  if (!range) {
    return undefined;
  }
  return {
    ...(range.from != null ? { from: range.from } : {}),
    ...(range.to != null ? { to: range.to } : {}),
  };
}

/** `undefined` for null or absent GraphQL values. */
export const opt = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** A list filter: absent or null means no filter. */
export const optList = <T>(value: readonly T[] | null | undefined): readonly T[] | undefined =>
  value ?? undefined;
