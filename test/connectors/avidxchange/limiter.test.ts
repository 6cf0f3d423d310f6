import { describe, expect, it } from "vitest";

import {
  acquireSlot,
  createMemoryRateLimiter,
  PENALTY_FACTOR,
} from "../../../src/connectors/avidxchange/limiter.js";

import type { AvidClock } from "../../../src/connectors/avidxchange/clock.js";

/** A clock whose sleep just moves time: the limiter's arithmetic without real waiting. */
function fakeClock(start = 1_000_000): AvidClock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

const LIMIT = { requestsPerSecond: 10, burst: 3 };

describe("memory rate limiter", () => {
  it("lets a burst through, then spaces requests at the rate", async () => {
    const clock = fakeClock();
    const limiter = createMemoryRateLimiter(clock.now);
    const waits = [];
    for (let i = 0; i < 6; i++) {
      waits.push((await limiter.reserve("k", LIMIT)).waitMs);
    }
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    // Reservations queue: the 4th waits one interval, the 5th two, the 6th three.
    expect(waits.slice(3).map(Math.round)).toEqual([100, 200, 300]);
  });

  it("holds the configured rate over many acquisitions", async () => {
    const clock = fakeClock();
    const limiter = createMemoryRateLimiter(clock.now);
    const start = clock.now();
    for (let i = 0; i < 103; i++) {
      await acquireSlot(limiter, "k", LIMIT, clock);
    }
    // 3 from the burst, then 100 at 10/s: ten seconds.
    expect(clock.now() - start).toBeGreaterThanOrEqual(9_900);
    expect(clock.now() - start).toBeLessThanOrEqual(10_100);
  });

  it("keeps keys apart", async () => {
    const clock = fakeClock();
    const limiter = createMemoryRateLimiter(clock.now);
    for (let i = 0; i < 3; i++) {
      await limiter.reserve("a", LIMIT);
    }
    expect((await limiter.reserve("b", LIMIT)).waitMs).toBe(0);
  });

  it("after a 429 nobody goes before Retry-After, and the rate is cut then recovers", async () => {
    const clock = fakeClock();
    const limiter = createMemoryRateLimiter(clock.now);
    await limiter.penalize("k", LIMIT, 2_000);
    expect(await limiter.blockedForMs("k")).toBe(2_000);
    const first = await limiter.reserve("k", LIMIT);
    expect(first.waitMs).toBeGreaterThanOrEqual(2_000);
    // Slowed: the next one waits more than one nominal interval (100 ms) behind the first.
    const second = await limiter.reserve("k", LIMIT);
    expect(second.waitMs - first.waitMs).toBeGreaterThan(100);
    expect(second.waitMs - first.waitMs).toBeLessThanOrEqual(100 / PENALTY_FACTOR + 1);
    // Additive recovery: after enough reservations the interval is back to 100 ms.
    await clock.sleep(60_000);
    let last = 0;
    let gap = 0;
    for (let i = 0; i < 200; i++) {
      const { waitMs } = await limiter.reserve("k", LIMIT);
      gap = waitMs - last;
      last = waitMs;
    }
    expect(Math.round(gap)).toBe(100);
  });

  it("a slot reserved before a 429 is not spent during the block", async () => {
    const clock = fakeClock();
    const limiter = createMemoryRateLimiter(clock.now);
    for (let i = 0; i < 3; i++) {
      await limiter.reserve("k", LIMIT);
    }
    // This caller reserves (100 ms wait); while it sleeps, someone else gets a 429 for 5 s.
    const sleeping: AvidClock = {
      now: clock.now,
      sleep: async (ms) => {
        await clock.sleep(ms);
        if (clock.slept.length === 1) {
          await limiter.penalize("k", LIMIT, 5_000);
        }
      },
    };
    const before = clock.now();
    await acquireSlot(limiter, "k", LIMIT, sleeping);
    expect(clock.now() - before).toBeGreaterThanOrEqual(5_100);
  });
});
