import type { AvidClock } from "./clock.js";
import type { RateLimit } from "./settings.js";

/**
 * The per-company rate limiter, shared by every worker process (DESIGN "Throughput"): the connector
 * paces itself below AvidXchange's limit instead of discovering it through 429s. The connector
 * declares this store interface; `src/connector-state/rate-limiter.ts` implements it as a Postgres
 * token bucket, `createMemoryRateLimiter` below for one process.
 *
 * Semantics every implementation keeps: a bucket of `burst` tokens refilled at the key's current
 * rate; `reserve` always takes a token, possibly going negative, and returns how long the caller
 * must wait for it (so waiting callers queue in order instead of polling); a 429 puts the bucket in
 * debt until its `Retry-After`, blocks the key until then, and cuts the key's rate (multiplicative
 * decrease), which each later reservation restores a little (additive increase) up to the limit.
 */
export interface RateLimiter {
  /** Takes one request slot for `key`; the caller sends after `waitMs`. */
  reserve(key: string, limit: RateLimit): Promise<{ waitMs: number }>;
  /** A 429 said "not for `retryAfterMs`": block the key that long and slow it down. */
  penalize(key: string, limit: RateLimit, retryAfterMs: number): Promise<void>;
  /** Milliseconds the key stays blocked by a 429 (0 when it is not). */
  blockedForMs(key: string): Promise<number>;
}

/** Rate kept after a 429, as a fraction of the current rate. */
export const PENALTY_FACTOR = 0.7;
/** Floor of the slowed rate, as a fraction of the configured rate. */
export const MIN_RATE_FACTOR = 0.1;
/** Rate regained per reservation, as a fraction of the configured rate. */
export const RECOVERY_STEP = 0.01;

/**
 * Waits for one request slot: reserve, sleep the returned wait, and queue again if a 429 arrived
 * meanwhile (a slot reserved before the 429 must not be spent during the block).
 */
export async function acquireSlot(
  limiter: RateLimiter,
  key: string,
  limit: RateLimit,
  clock: AvidClock,
  signal?: AbortSignal,
): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const { waitMs } = await limiter.reserve(key, limit);
    if (waitMs <= 0) {
      return;
    }
    await clock.sleep(waitMs, signal);
    if ((await limiter.blockedForMs(key)) <= 0) {
      return;
    }
  }
}

interface Bucket {
  tokens: number;
  rate: number;
  updatedAt: number;
  blockedUntil: number;
}

/** One process's limiter (unit tests, single-process runs). */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();

  const refill = (key: string, limit: RateLimit): Bucket => {
    const t = now();
    const b = buckets.get(key) ?? {
      tokens: limit.burst,
      rate: limit.requestsPerSecond,
      updatedAt: t,
      blockedUntil: 0,
    };
    b.tokens = Math.min(limit.burst, b.tokens + (Math.max(0, t - b.updatedAt) / 1000) * b.rate);
    b.updatedAt = t;
    buckets.set(key, b);
    return b;
  };

  return {
    async reserve(key, limit) {
      const b = refill(key, limit);
      b.tokens -= 1;
      b.rate = Math.min(limit.requestsPerSecond, b.rate + limit.requestsPerSecond * RECOVERY_STEP);
      const debtMs = b.tokens < 0 ? (-b.tokens / b.rate) * 1000 : 0;
      return { waitMs: Math.max(debtMs, b.blockedUntil - now(), 0) };
    },
    async penalize(key, limit, retryAfterMs) {
      const b = refill(key, limit);
      b.rate = Math.max(limit.requestsPerSecond * MIN_RATE_FACTOR, b.rate * PENALTY_FACTOR);
      b.blockedUntil = Math.max(b.blockedUntil, now() + retryAfterMs);
      b.tokens = Math.min(b.tokens, -((b.blockedUntil - now()) / 1000) * b.rate);
    },
    async blockedForMs(key) {
      const b = buckets.get(key);
      return b ? Math.max(0, b.blockedUntil - now()) : 0;
    },
  };
}
