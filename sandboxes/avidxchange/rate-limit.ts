/**
 * Per-(client, company) throttling in REAL time: a sustained quota (requests per minute, WSO2 900800)
 * and burst control (requests per second, 900807), each a token bucket. Real time, not the simulated
 * clock, because the connector's pacing and its Retry-After waits happen in real time.
 */
import type { RateLimitOptions } from "./options.js";

interface Bucket {
  sustained: number;
  burst: number;
  at: number;
}

const SUSTAINED_COST = 60_000;
const BURST_COST = 1_000;

export type RateDecision =
  | { ok: true; limit: number; remaining: number; resetSeconds: number }
  | { ok: false; code: 900800 | 900807; retryAtMs: number };

export interface RateLimiter {
  take(key: string): RateDecision;
  configure(options: RateLimitOptions | false): void;
  readonly options: RateLimitOptions | false;
  reset(): void;
}

export function createRateLimiter(
  initial: RateLimitOptions | false,
  realNow: () => number,
): RateLimiter {
  let options = initial;
  const buckets = new Map<string, Bucket>();

  return {
    take(key) {
      if (options === false) {
        return { ok: true, limit: 0, remaining: 0, resetSeconds: 0 };
      }
      // Buckets count in scaled integer units (a request costs 60,000 sustained / 1,000 burst units,
      // and each ms refills requestsPerMinute / burstPerSecond units) so refills are exact, not floats.
      const now = realNow();
      const perMinute = options.requestsPerMinute;
      const perSecond = options.burstPerSecond;
      const sustainedCap = perMinute * SUSTAINED_COST;
      const burstCap = perSecond * BURST_COST;
      const bucket = buckets.get(key) ?? { sustained: sustainedCap, burst: burstCap, at: now };
      const elapsed = Math.max(0, now - bucket.at);
      bucket.sustained = Math.min(sustainedCap, bucket.sustained + elapsed * perMinute);
      bucket.burst = Math.min(burstCap, bucket.burst + elapsed * perSecond);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.sustained < SUSTAINED_COST) {
        return {
          ok: false,
          code: 900800,
          retryAtMs: now + Math.ceil((SUSTAINED_COST - bucket.sustained) / perMinute),
        };
      }
      if (bucket.burst < BURST_COST) {
        return {
          ok: false,
          code: 900807,
          retryAtMs: now + Math.ceil((BURST_COST - bucket.burst) / perSecond),
        };
      }
      bucket.sustained -= SUSTAINED_COST;
      bucket.burst -= BURST_COST;
      return {
        ok: true,
        limit: perMinute,
        remaining: Math.floor(bucket.sustained / SUSTAINED_COST),
        resetSeconds: Math.ceil((sustainedCap - bucket.sustained) / perMinute / 1000),
      };
    },
    configure(next) {
      options = next;
      buckets.clear();
    },
    get options() {
      return options;
    },
    reset() {
      buckets.clear();
    },
  };
}
