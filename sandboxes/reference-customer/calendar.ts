/** Date arithmetic on 'YYYY-MM-DD' strings in UTC, so the machine's time zone never shifts a day. */

// Generating a million invoices calls addDays a few million times over a few hundred distinct dates;
// Date parsing and formatting dominated the cost before this memo.
const memo = new Map<string, string>();
const MEMO_LIMIT = 20_000;

export function addDays(date: string, days: number): string {
  const key = `${date}|${days}`;
  let out = memo.get(key);
  if (out === undefined) {
    out = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    if (memo.size >= MEMO_LIMIT) {
      memo.clear();
    }
    memo.set(key, out);
  }
  return out;
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
