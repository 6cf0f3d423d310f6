/**
 * The sandbox clock. Session expiry, journal dates and posting periods read it, so tests can move time
 * instead of waiting. A running clock ticks with real time from its start; a frozen one moves only
 * when told.
 */
export interface SandboxClock {
  /** Milliseconds since the epoch, sandbox time. */
  now(): number;
  /** Today's date, 'YYYY-MM-DD' (UTC). */
  today(): string;
  /** Jump to an instant (ISO string or epoch ms). */
  set(at: string | number): void;
  /** Move forward (or back, with a negative value). */
  advance(ms: number): void;
}

export function createClock(start: string, frozen: boolean): SandboxClock {
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) {
    throw new RangeError(`invalid clock start: ${start}`);
  }
  let base = startMs;
  let realBase = Date.now();
  const now = (): number => (frozen ? base : base + (Date.now() - realBase));
  return {
    now,
    today: () => new Date(now()).toISOString().slice(0, 10),
    set(at) {
      const ms = typeof at === "number" ? at : Date.parse(at);
      if (Number.isNaN(ms)) {
        throw new RangeError(`invalid clock value: ${String(at)}`);
      }
      base = ms;
      realBase = Date.now();
    },
    advance(ms) {
      base = now() + ms;
      realBase = Date.now();
    },
  };
}
