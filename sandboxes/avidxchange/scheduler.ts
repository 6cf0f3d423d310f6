/**
 * A min-heap of lifecycle events ordered by (due time, insertion sequence). Running events in that
 * order makes the outcome independent of how the clock is advanced (one 14-day jump or 14 one-day steps).
 */

export interface ScheduledEvent {
  due: number;
  seq: number;
  /** `at` is the event's own due time, used as "now" for everything it stamps. */
  run: (at: number) => void;
}

export interface Scheduler {
  schedule(due: number, run: (at: number) => void): void;
  /** Runs every event due at or before `until`, including events those events schedule. */
  runUntil(until: number): number;
  readonly size: number;
  /** Due time of the next event, or null. */
  peek(): number | null;
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

export function createScheduler(): Scheduler {
  const heap: ScheduledEvent[] = [];
  let seq = 0;

  const swap = (i: number, j: number): void => {
    const a = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = a;
  };
  const up = (start: number): void => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  };
  const down = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) {
        m = l;
      }
      if (r < heap.length && before(heap[r]!, heap[m]!)) {
        m = r;
      }
      if (m === i) {
        return;
      }
      swap(i, m);
      i = m;
    }
  };
  const pop = (): ScheduledEvent | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      down(0);
    }
    return top;
  };

  return {
    schedule(due, run) {
      heap.push({ due, seq: seq++, run });
      up(heap.length - 1);
    },
    runUntil(until) {
      let count = 0;
      while (heap.length > 0 && heap[0]!.due <= until) {
        const event = pop()!;
        event.run(event.due);
        count += 1;
      }
      return count;
    },
    get size() {
      return heap.length;
    },
    peek() {
      return heap[0]?.due ?? null;
    },
  };
}
