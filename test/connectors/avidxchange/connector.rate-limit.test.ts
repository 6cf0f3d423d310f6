import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  createMemoryRateLimiter,
  isAvidRateLimitedError,
} from "../../../src/connectors/avidxchange/index.js";
import { guardLeaks } from "../../setup/leaks.js";
import { all, recordingClock, startHarness } from "./harness.js";

import type { RateLimiter } from "../../../src/connectors/avidxchange/index.js";
import type { Harness } from "./harness.js";

guardLeaks();
let h: Harness;
beforeAll(async () => {
  // Throttling per (client, company): a burst bucket of 40 refilled at 40/s binds first.
  h = await startHarness({
    lifecycle: { enabled: false },
    rateLimit: { requestsPerMinute: 100_000, burstPerSecond: 40 },
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.control.clearFaults();
  h.sandbox.control.resetRateLimits();
  h.sandbox.control.clearRequests();
});

const throttled = () => h.sandbox.control.requests().filter((r) => r.status === 429).length;

/** The memory limiter, with its penalties recorded. */
function watchedLimiter() {
  const inner = createMemoryRateLimiter();
  const penalties: number[] = [];
  const limiter: RateLimiter = {
    reserve: (k, l) => inner.reserve(k, l),
    blockedForMs: (k) => inner.blockedForMs(k),
    penalize: async (k, l, ms) => {
      penalties.push(ms);
      await inner.penalize(k, l, ms);
    },
  };
  return { limiter, penalties };
}

describe("pacing", () => {
  it("8 concurrent workers held under the gateway's rate: fewer than 1% 429s", async () => {
    // Configured just under the gateway's 40/s: paced, not discovering the limit by 429s.
    const avid = h.connector({
      rateLimiter: createMemoryRateLimiter(),
      options: { rateLimit: { requestsPerSecond: 36, burst: 4 } },
    });
    const perWorker = 15;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < perWorker; i++) {
          await avid.enterpriseCodes.dimensionValues("Department")[Symbol.asyncIterator]().next();
        }
      }),
    );
    const calls = h.sandbox.control.requests({ path: "/v1/enterprisecodes" });
    expect(calls.filter((c) => c.status === 200).length).toBe(8 * perWorker);
    expect(throttled() / calls.length).toBeLessThan(0.01);
  });
});

describe("429 and Retry-After", () => {
  it.each([
    ["seconds", 2],
    ["http-date", 1],
  ] as const)(
    "Retry-After as %s: %i × 429 waited out, never less, and the call succeeds",
    async (retryAfter, count) => {
      h.sandbox.control.setVariants({ retryAfter });
      const clock = recordingClock();
      const { limiter, penalties } = watchedLimiter();
      const avid = h.connector({ clock, rateLimiter: limiter });
      await all(avid.vendors.list());
      h.sandbox.control.clearRequests();
      h.sandbox.control.addFault({
        kind: "rate-limit",
        path: "/v1/vendors",
        retryAfterSeconds: 1,
        count,
      });
      const vendors = await all(avid.vendors.list());
      expect(vendors.length).toBeGreaterThan(0);
      expect(h.sandbox.control.requests().map((r) => r.status)).toEqual([
        ...Array<number>(count).fill(429),
        200,
      ]);
      // Each 429 slowed the shared limiter and was waited out for at least its Retry-After.
      expect(penalties).toHaveLength(count);
      expect(penalties.every((ms) => ms >= 1000)).toBe(true);
      expect(clock.sleeps.filter((ms) => ms >= 1000).length).toBeGreaterThanOrEqual(count);
    },
  );

  it("a 429 blocks the other callers sharing the limiter too", async () => {
    const { limiter } = watchedLimiter();
    const clockA = recordingClock();
    const clockB = recordingClock();
    const a = h.connector({ rateLimiter: limiter, clock: clockA });
    const b = h.connector({ rateLimiter: limiter, clock: clockB });
    await Promise.all([all(a.vendors.list()), all(b.vendors.list())]);
    h.sandbox.control.setVariants({ retryAfter: "seconds" });
    h.sandbox.control.addFault({ kind: "rate-limit", path: "/v1/vendors", retryAfterSeconds: 1 });
    const aDone = all(a.vendors.list());
    while (throttled() === 0) {
      await new Promise((r) => setTimeout(r, 5));
    }
    // a is waiting out its Retry-After; b was never throttled itself but must wait for the block.
    await all(b.vendors.list());
    await aDone;
    expect(clockB.sleeps.some((ms) => ms >= 300)).toBe(true);
    expect(throttled()).toBe(1);
  });

  it("a Retry-After beyond the budget fails retryable, carrying the wait for the job", async () => {
    const avid = h.connector({ options: { retry: { maxRetryAfterMs: 500 } } });
    h.sandbox.control.addFault({ kind: "rate-limit", path: "/v1/vendors", retryAfterSeconds: 30 });
    const error = await all(avid.vendors.list()).catch((e: unknown) => e);
    expect(isAvidRateLimitedError(error)).toBe(true);
    expect(error).toMatchObject({ kind: "rate_limited", retryable: true, status: 429 });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(29_000);
  });

  it("after the retry budget is spent it fails retryable, not before", async () => {
    const avid = h.connector({ options: { retry: { maxRateLimitRetries: 1 } } });
    h.sandbox.control.setVariants({ retryAfter: "seconds" });
    h.sandbox.control.addFault({
      kind: "rate-limit",
      path: "/v1/vendors",
      retryAfterSeconds: 1,
      count: 2,
    });
    const error = await all(avid.vendors.list()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "rate_limited", code: "AVID_RATE_LIMITED" });
    expect(throttled()).toBe(2);
  });
});
