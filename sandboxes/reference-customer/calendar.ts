/** Date arithmetic on 'YYYY-MM-DD' strings in UTC, so the machine's time zone never shifts a day. */

// Generating a million invoices calls addDays a few million times over a few hundred distinct dates;
// Date parsing and formatting dominated the cost before these two memos (date ⇄ epoch day).
const dayOfDate = new Map<string, number>();
const dateOfDay = new Map<number, string>();
const MEMO_LIMIT = 50_000;

function epochDay(date: string): number {
  let n = dayOfDate.get(date);
  if (n === undefined) {
    n = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    if (dayOfDate.size >= MEMO_LIMIT) {
      dayOfDate.clear();
    }
    dayOfDate.set(date, n);
  }
  return n;
}

function dateOf(day: number): string {
  let s = dateOfDay.get(day);
  if (s === undefined) {
    s = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (dateOfDay.size >= MEMO_LIMIT) {
      dateOfDay.clear();
    }
    dateOfDay.set(day, s);
  }
  return s;
}

export function addDays(date: string, days: number): string {
  return days === 0 ? date : dateOf(epochDay(date) + days);
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
