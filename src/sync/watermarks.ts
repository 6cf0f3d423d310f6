import { InvalidConfigurationError, InvalidValueError } from "./errors.js";

import type { IsoDate, IsoDateTime } from "./domain.js";

/**
 * Poll windows and watermark advance.
 *
 * Both systems filter by day-granular (SYSPRO) or inclusive-date (AvidXchange) bounds, so a poll
 * re-reads from the watermark's DATE minus a lookback, inclusive; rows seen before are recognised
 * by content hash or remote id and change nothing. That costs a re-read of the overlap and buys
 * "never skips": late commits stamped with an earlier date are still picked up.
 *
 * A watermark advances only to the greatest (timestamp, key) of a page whose effects are committed,
 * in the same DB transaction, and never moves backwards.
 */

export interface Watermark {
  /** ISO date-time or date, as the remote system wrote it. */
  readonly timestamp: IsoDateTime;
  /** Tie-break key among rows with the same timestamp (remote id, `supplier/invoice`, …). */
  readonly key: string;
}

const DAY_MS = 86_400_000;
const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;

/** The calendar date of a timestamp as the remote wrote it (its own day, not UTC's). */
export function watermarkDate(timestamp: IsoDateTime): IsoDate {
  const match = DATE_PREFIX.exec(timestamp.trim());
  const date = match?.[0];
  // Round-trip through Date: V8 happily parses 2026-02-30 as 2 March.
  const ms = date ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (!date || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new InvalidValueError(`not a timestamp: "${timestamp}"`);
  }
  return date;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const ms = Date.parse(`${watermarkDate(date)}T00:00:00Z`) + days * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export interface WindowStartInput {
  readonly watermark?: Watermark;
  readonly lookbackDays: number;
  /** Where a stream with no watermark starts (the connection's backfill date). */
  readonly initialFrom: IsoDate;
}

/** First date (inclusive) the next poll reads from. */
export function pollFromDate(input: WindowStartInput): IsoDate {
  if (!Number.isInteger(input.lookbackDays) || input.lookbackDays < 0) {
    throw new InvalidConfigurationError(
      `lookback must be whole days ≥ 0, not ${input.lookbackDays}`,
    );
  }
  if (!input.watermark) {
    return watermarkDate(input.initialFrom);
  }
  return addDays(watermarkDate(input.watermark.timestamp), -input.lookbackDays);
}

/**
 * OData `$filter` for rows on or after `from` in any of `fields` (e.g. ApInvoice's `JournalDate`
 * and `InvoiceDate`): `JournalDate ge 2025-03-01 or InvoiceDate ge 2025-03-01`, parenthesised when
 * combined so the caller can `and` it with other conditions.
 */
export function odataSinceFilter(fields: readonly string[], from: IsoDate): string {
  if (fields.length === 0 || fields.some((f) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(f))) {
    throw new InvalidConfigurationError(`bad OData field list: ${fields.join(", ")}`);
  }
  const date = watermarkDate(from);
  const terms = fields.map((field) => `${field} ge ${date}`);
  return terms.length === 1 ? (terms[0] ?? "") : `(${terms.join(" or ")})`;
}

export interface DateWindow {
  /** Inclusive. */
  readonly from: IsoDate;
  /** Inclusive. */
  readonly to: IsoDate;
}

/** AvidXchange refuses `lastModifiedFrom`/`To` more than 31 days apart; a window of 31 calendar
 * days (to = from + 30) is inside that under either reading of "apart". */
export const AVID_MAX_WINDOW_DAYS = 31;

/**
 * The windows covering `from` … `to` (both inclusive), each at most `maxDays` calendar days; each
 * window starts on the day the previous one ended, so consecutive windows overlap by one day and a
 * row stamped on a boundary day is read twice rather than never.
 */
export function splitDateWindows(
  from: IsoDate,
  to: IsoDate,
  maxDays: number = AVID_MAX_WINDOW_DAYS,
): DateWindow[] {
  if (!Number.isInteger(maxDays) || maxDays < 2) {
    throw new InvalidConfigurationError(`window size must be at least 2 days, not ${maxDays}`);
  }
  const start = watermarkDate(from);
  const end = watermarkDate(to);
  if (daysBetween(start, end) < 0) {
    return [];
  }
  const windows: DateWindow[] = [];
  let cursor = start;
  for (;;) {
    const windowEnd = addDays(cursor, maxDays - 1);
    if (daysBetween(windowEnd, end) <= 0) {
      windows.push({ from: cursor, to: end });
      return windows;
    }
    windows.push({ from: cursor, to: windowEnd });
    cursor = windowEnd;
  }
}

/** The AvidXchange windows of the next poll: from the watermark date minus lookback to `today`. */
export function avidPollWindows(
  input: WindowStartInput & { readonly today: IsoDate },
): DateWindow[] {
  return splitDateWindows(pollFromDate(input), input.today);
}

/** Compares timestamps as instants (date-only = midnight UTC), then keys (digit strings
 * numerically, so `999` < `4765360`). */
export function compareWatermarks(a: Watermark, b: Watermark): number {
  const byTime = instant(a.timestamp) - instant(b.timestamp);
  if (byTime !== 0) {
    return byTime < 0 ? -1 : 1;
  }
  return compareKeys(a.key, b.key);
}

/**
 * The watermark after a fully processed page: the greatest (timestamp, key) among `current` and the
 * page's rows. Call it only once every row's effects are committed (or recorded as exceptions); a
 * page cut short must not advance the watermark at all.
 */
export function advanceWatermark(
  current: Watermark | undefined,
  page: readonly Watermark[],
): Watermark | undefined {
  let best = current;
  for (const row of page) {
    if (!best || compareWatermarks(row, best) > 0) {
      best = row;
    }
  }
  return best;
}

function instant(timestamp: IsoDateTime): number {
  const text = timestamp.trim();
  // A space between date and time ("2026-01-22 14:03:11", seen in AvidXchange records) is ISO's "T";
  // a date-time without an offset is read as UTC so the result does not depend on the machine's zone.
  const iso = text.replace(/^(\d{4}-\d{2}-\d{2}) /, "$1T");
  const withZone = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso) || !iso.includes("T") ? iso : `${iso}Z`;
  const ms = Date.parse(withZone.includes("T") ? withZone : `${withZone}T00:00:00Z`);
  if (Number.isNaN(ms)) {
    throw new InvalidValueError(`not a timestamp: "${timestamp}"`);
  }
  return ms;
}

function compareKeys(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  return a === b ? 0 : a < b ? -1 : 1;
}
