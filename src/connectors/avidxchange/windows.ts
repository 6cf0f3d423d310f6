/**
 * Last-modified windows (contract §6.1, §7.6, §9.5). AvidXchange refuses a payments window wider
 * than 31 days and its bounds are inclusive. A longer window is split into consecutive windows that
 * each stay inside the limit; nothing between them is skipped. Inclusive bounds mean a record
 * modified exactly on a shared bound may appear twice: callers are idempotent on the record id.
 */

/** `YYYY-MM-DD` (a whole day, inclusive), an ISO date-time, or a Date. */
export type WindowBound = string | Date;

export interface ModifiedWindow {
  /** `YYYY-MM-DD` or an ISO-8601 date-time, as sent in `lastModifiedFrom`. */
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const isDateOnly = (b: WindowBound): b is string => typeof b === "string" && DATE_ONLY.test(b);

function dayNumber(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return ms / DAY_MS;
}

const dayString = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

function instant(bound: WindowBound, endOfDay: boolean): number {
  if (isDateOnly(bound)) {
    return dayNumber(bound) * DAY_MS + (endOfDay ? DAY_MS - 1 : 0);
  }
  const ms = typeof bound === "string" ? Date.parse(bound) : bound.getTime();
  if (Number.isNaN(ms)) {
    throw new RangeError(`not a date-time: ${String(bound)}`);
  }
  return ms;
}

/**
 * Splits `[from, to]` into windows of at most `maxDays` calendar days each. Day bounds give day
 * windows (`2026-01-01`..`2026-01-31`, `2026-02-01`..); date-time bounds give date-time windows
 * sharing their bound instants, each shorter than `maxDays - 1` days so that, even counted in the
 * calendar days it touches, it stays within the limit.
 */
export function splitWindow(from: WindowBound, to: WindowBound, maxDays: number): ModifiedWindow[] {
  if (!Number.isInteger(maxDays) || maxDays < 2) {
    throw new RangeError(`maxDays must be an integer of at least 2, got ${maxDays}`);
  }
  if (isDateOnly(from) && isDateOnly(to)) {
    const first = dayNumber(from);
    const last = dayNumber(to);
    if (first > last) {
      throw new RangeError(`window starts after it ends: ${from} > ${to}`);
    }
    const windows: ModifiedWindow[] = [];
    for (let start = first; start <= last; start += maxDays) {
      windows.push({ from: dayString(start), to: dayString(Math.min(start + maxDays - 1, last)) });
    }
    return windows;
  }
  const start = instant(from, false);
  const end = instant(to, true);
  if (start > end) {
    throw new RangeError(`window starts after it ends: ${String(from)} > ${String(to)}`);
  }
  const span = (maxDays - 1) * DAY_MS;
  const windows: ModifiedWindow[] = [];
  let cursor = start;
  do {
    const stop = Math.min(cursor + span, end);
    windows.push({ from: new Date(cursor).toISOString(), to: new Date(stop).toISOString() });
    cursor = stop;
  } while (cursor < end);
  return windows;
}

/** A bound as sent on the wire: dates stay dates, everything else becomes ISO-8601 UTC. */
export function formatBound(bound: WindowBound): string {
  if (isDateOnly(bound)) {
    dayNumber(bound);
    return bound;
  }
  return new Date(instant(bound, false)).toISOString();
}
