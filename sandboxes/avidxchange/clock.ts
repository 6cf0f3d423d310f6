/**
 * The sandbox's simulated clock. Tests move it by hand (`advance`); the demo can let it run faster than
 * real time (`accelerate(factor)`: one real second = `factor` simulated seconds). Token expiry, record
 * timestamps and the approval/payment lifecycle all read this clock; the rate limiter does not (a client
 * pacing itself lives in real time).
 */

export interface SandboxClock {
  /** Simulated time, epoch milliseconds. Never goes backwards. */
  now(): number;
  /** Moves simulated time forward by `ms`. */
  advance(ms: number): void;
  /** Jumps to `ms` (must not be in the simulated past). */
  set(ms: number): void;
  /** Simulated ms per real ms; 0 = stopped (manual clock). */
  readonly factor: number;
  /** Runs simulated time at `factor` × real time; 0 stops it again. */
  accelerate(factor: number): void;
}

export function createSandboxClock(startMs: number, realNow: () => number): SandboxClock {
  let base = startMs;
  let realBase = realNow();
  let factor = 0;
  let last = startMs;

  const now = (): number => {
    const t = factor > 0 ? base + Math.floor((realNow() - realBase) * factor) : base;
    // A manual advance while accelerated can race a real-time read; keep time monotonic regardless.
    last = Math.max(last, t);
    return last;
  };
  const rebase = (): void => {
    base = now();
    realBase = realNow();
  };

  return {
    now,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`clock.advance needs a non-negative number of ms, got ${ms}`);
      }
      rebase();
      base += ms;
      last = base;
    },
    set(ms) {
      const current = now();
      if (!Number.isFinite(ms) || ms < current) {
        throw new RangeError(
          `clock.set cannot move time backwards (${new Date(ms).toISOString()} < ${new Date(current).toISOString()})`,
        );
      }
      rebase();
      base = ms;
      last = ms;
    },
    get factor() {
      return factor;
    },
    accelerate(next) {
      if (!Number.isFinite(next) || next < 0) {
        throw new RangeError(`clock.accelerate needs a factor >= 0, got ${next}`);
      }
      rebase();
      factor = next;
    },
  };
}
