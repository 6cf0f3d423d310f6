/**
 * How long a 429 asks us to wait (contract §4.4, §9.1): `Retry-After` as seconds or as an HTTP-date,
 * never less. An HTTP-date is measured against the response's own `Date` header when it has one, so
 * a skewed local clock neither shortens nor stretches the wait; failing both, WSO2's
 * `fault.nextAccessTime` (`2021-Mar-30 05:51:00+0000 UTC`) in the body.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const NEXT_ACCESS = /^(\d{4})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2})([+-]\d{4})?/;

/** Epoch ms of WSO2's `nextAccessTime`, or undefined. */
export function parseNextAccessTime(value: string): number | undefined {
  const m = NEXT_ACCESS.exec(value.trim());
  if (!m) {
    return undefined;
  }
  const month = MONTHS.indexOf(m[2] ?? "");
  if (month < 0) {
    return undefined;
  }
  const offset = m[7] ?? "+0000";
  const iso = `${m[1]}-${String(month + 1).padStart(2, "0")}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Milliseconds to wait from `nowMs`, or undefined when the response says nothing usable.
 * `headers` have lower-cased names.
 */
export function retryAfterMs(
  headers: Readonly<Record<string, string>> | undefined,
  body: string | undefined,
  nowMs: number,
): number | undefined {
  const value = headers?.["retry-after"]?.trim();
  const serverNow = headers?.["date"] ? Date.parse(headers["date"]) : Number.NaN;
  const reference = Number.isNaN(serverNow) ? nowMs : serverNow;
  if (value) {
    if (/^\d+$/.test(value)) {
      return Number(value) * 1000;
    }
    const at = Date.parse(value);
    if (!Number.isNaN(at)) {
      return Math.max(0, at - reference);
    }
  }
  const next = body ? /"nextAccessTime"\s*:\s*"([^"]+)"/.exec(body)?.[1] : undefined;
  const at = next === undefined ? undefined : parseNextAccessTime(next);
  return at === undefined ? undefined : Math.max(0, at - reference);
}
