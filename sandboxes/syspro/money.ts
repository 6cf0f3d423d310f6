/** Amount parsing for validations: decimal strings to integer cents, never floats. */

/** '115.00' → 11500; ' -5.5 ' → -550; undefined for anything that is not an amount with ≤ 2 decimals. */
export function toCents(value: string | undefined): number | undefined {
  const v = value?.trim() ?? "";
  const m = /^([+-]?)(\d+)(?:\.(\d{1,2})0*)?$/.exec(v);
  if (m === null) {
    return undefined;
  }
  const cents = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] === "-" ? -cents : cents;
}

export function centsToString(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** SYSPRO pads some amounts with spaces ('          110.00', contract §1.5). */
export function spacePadded(cents: number, width = 16): string {
  return centsToString(cents).padStart(width, " ");
}

/** A valid 'YYYY-MM-DD' (or SYSPRO's 'YYYYMMDD'), normalised; undefined otherwise. */
export function toDate(value: string | undefined): string | undefined {
  const v = value?.trim() ?? "";
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v);
  if (m === null) {
    return undefined;
  }
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : undefined;
}
