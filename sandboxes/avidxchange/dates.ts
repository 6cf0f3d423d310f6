/**
 * Date formats and last-modified windows. A `YYYY-MM-DD` bound is a whole UTC day and inclusive on
 * both ends (so consecutive day-granular polls overlap, §6.1); a date-time bound is an exact instant.
 */
import { validationError } from "./http-io.js";

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?$/;

export interface Window {
  from: number | null;
  to: number | null;
  /** Both bounds were plain dates. */
  dayGranular: boolean;
}

function parseBound(value: string, name: string, end: boolean, source: string): number {
  if (DATE_ONLY.test(value)) {
    const start = Date.parse(`${value}T00:00:00.000Z`);
    if (Number.isNaN(start)) {
      throw validationError(`${name} is not a valid date: ${value}`, source);
    }
    return end ? start + DAY_MS - 1 : start;
  }
  if (DATE_TIME.test(value)) {
    // A date-time without a zone is read as UTC, like every timestamp the sandbox writes.
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
    const parsed = Date.parse(hasZone ? value.replace(" ", "T") : `${value.replace(" ", "T")}Z`);
    if (!Number.isNaN(parsed)) {
      return parsed;
    }
  }
  throw validationError(`${name} is not a valid date: ${value}`, source);
}

/** Reads `lastModifiedFrom` / `lastModifiedTo` (either may be absent). */
export function parseWindow(query: URLSearchParams, source: string): Window {
  const fromRaw = query.get("lastModifiedFrom");
  const toRaw = query.get("lastModifiedTo");
  const from = fromRaw ? parseBound(fromRaw, "lastModifiedFrom", false, source) : null;
  const to = toRaw ? parseBound(toRaw, "lastModifiedTo", true, source) : null;
  if (from !== null && to !== null && to < from) {
    throw validationError("lastModifiedTo must not be before lastModifiedFrom", source);
  }
  return {
    from,
    to,
    dayGranular:
      (fromRaw === null || DATE_ONLY.test(fromRaw)) && (toRaw === null || DATE_ONLY.test(toRaw)),
  };
}

/** Span of a window in days, counting as the contract does: 2026-01-01..2026-02-01 is 31 days apart. */
export function windowDays(window: Window, now: number): number {
  const from = window.from ?? now;
  const to = window.to ?? now;
  if (window.dayGranular) {
    return Math.round((Math.floor(to / DAY_MS) * DAY_MS - from) / DAY_MS);
  }
  return (to - from) / DAY_MS;
}

export function inWindow(ms: number, window: Window): boolean {
  return (window.from === null || ms >= window.from) && (window.to === null || ms <= window.to);
}

/** 2026-01-12T15:04:05.120Z */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** 2026-01-12 */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "2026-01-22 14:03:11" — the ClearedDate format of §2.4. */
export function spaceDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** "01/15/2026 10.00.00 000" — the batch-id timestamp of §2.6. */
export function batchStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}.${p(
    d.getUTCMinutes(),
  )}.${p(d.getUTCSeconds())} ${p(d.getUTCMilliseconds(), 3)}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** WSO2's `nextAccessTime`: "2026-Jan-05 08:25:00+0000 UTC". */
export function wso2Time(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${MONTHS[d.getUTCMonth()]}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())}+0000 UTC`;
}
