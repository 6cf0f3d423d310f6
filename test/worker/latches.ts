/**
 * Named one-shot latches: a task signals `started(id)` and parks on `released(id)`, so a test can
 * hold jobs open and decide, by event rather than by clock, when each one ends.
 */
export interface Latches {
  /** Resolves once `signal(name)` was called (before or after). */
  wait(name: string): Promise<void>;
  signal(name: string): void;
  /** Signals every latch ever named and any named later: lets parked tasks end on teardown. */
  signalAll(): void;
}

export function createLatches(): Latches {
  const latches = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  let all = false;
  const get = (name: string) => {
    let latch = latches.get(name);
    if (!latch) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      latch = { promise, resolve };
      latches.set(name, latch);
      if (all) {
        resolve();
      }
    }
    return latch;
  };
  return {
    wait: (name) => get(name).promise,
    signal: (name) => get(name).resolve(),
    signalAll: () => {
      all = true;
      for (const latch of latches.values()) {
        latch.resolve();
      }
    },
  };
}
