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
      const now = realNow();
      const sustainedCap = options.requestsPerMinute;
      const burstCap = options.burstPerSecond;
      const sustainedRate = sustainedCap / 60_000;
      const burstRate = burstCap / 1000;
      const bucket = buckets.get(key) ?? { sustained: sustainedCap, burst: burstCap, at: now };
      const elapsed = Math.max(0, now - bucket.at);
      bucket.sustained = Math.min(sustainedCap, bucket.sustained + elapsed * sustainedRate);
      bucket.burst = Math.min(burstCap, bucket.burst + elapsed * burstRate);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.sustained < 1) {
        return { ok: false, code: 900800, retryAtMs: now + (1 - bucket.sustained) / sustainedRate };
      }
      if (bucket.burst < 1) {
        return { ok: false, code: 900807, retryAtMs: now + (1 - bucket.burst) / burstRate };
      }
      bucket.sustained -= 1;
      bucket.burst -= 1;
      return {
        ok: true,
        limit: sustainedCap,
        remaining: Math.floor(bucket.sustained),
        resetSeconds: Math.ceil((sustainedCap - bucket.sustained) / sustainedRate / 1000),
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
