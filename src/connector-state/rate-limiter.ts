import { sql } from "drizzle-orm";

import { MIN_RATE_FACTOR, PENALTY_FACTOR, RECOVERY_STEP } from "../connectors/avidxchange/index.js";

import type { RateLimiter } from "../connectors/avidxchange/index.js";
import type { Db } from "../db/client.js";

/**
 * The per-company rate limiter in Postgres (`rate_limit_buckets`), shared by every worker process.
 * Each call is one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the row lock serialises
 * concurrent callers and Postgres's clock is the only clock, so processes on different machines
 * agree. The semantics are those of the `RateLimiter` interface: reservations may drive the bucket
 * negative (the caller waits its debt out), a 429 puts it in debt until Retry-After and cuts its
 * refill rate, and each reservation restores a little of the rate.
 */
export interface PgRateLimiterDeps {
  readonly db: Db;
}

interface WaitRow extends Record<string, unknown> {
  wait_ms: number;
}

export function createPgRateLimiter(deps: PgRateLimiterDeps): RateLimiter {
  const { db } = deps;

  // Tokens refilled since the last update, at the bucket's own (possibly slowed) rate.
  const refilled = sql`least(b.capacity, b.tokens + greatest(0, extract(epoch from (now() - b.updated_at)))::float8 * b.refill_per_second)`;

  return {
    async reserve(key, limit) {
      const rows = await db.execute<WaitRow>(sql`
        insert into rate_limit_buckets as b (key, tokens, capacity, refill_per_second, updated_at)
        values (${key}, ${limit.burst - 1}::float8, ${limit.burst}::float8, ${limit.requestsPerSecond}::float8, now())
        on conflict (key) do update set
          tokens = least(excluded.capacity, ${refilled}) - 1,
          capacity = excluded.capacity,
          refill_per_second = least(
            excluded.refill_per_second,
            b.refill_per_second + excluded.refill_per_second * ${RECOVERY_STEP}::float8),
          updated_at = greatest(b.updated_at, now())
        returning greatest(
          0,
          case when b.tokens < 0 then -b.tokens / b.refill_per_second * 1000 else 0 end,
          coalesce(extract(epoch from (b.blocked_until - now()))::float8 * 1000, 0)
        )::float8 as wait_ms`);
      return { waitMs: Math.ceil(Number(rows[0]?.wait_ms ?? 0)) };
    },

    async penalize(key, limit, retryAfterMs) {
      const seconds = Math.max(0, retryAfterMs) / 1000;
      const slowed = sql`greatest(${limit.requestsPerSecond * MIN_RATE_FACTOR}::float8, b.refill_per_second * ${PENALTY_FACTOR}::float8)`;
      const firstRate = Math.max(
        limit.requestsPerSecond * MIN_RATE_FACTOR,
        limit.requestsPerSecond * PENALTY_FACTOR,
      );
      await db.execute(sql`
        insert into rate_limit_buckets as b
          (key, tokens, capacity, refill_per_second, blocked_until, updated_at)
        values (${key}, ${-seconds * firstRate}::float8, ${limit.burst}::float8, ${firstRate}::float8,
                now() + make_interval(secs => ${seconds}::float8), now())
        on conflict (key) do update set
          refill_per_second = ${slowed},
          tokens = least(${refilled}, -${seconds}::float8 * ${slowed}),
          blocked_until = greatest(
            coalesce(b.blocked_until, now()), now() + make_interval(secs => ${seconds}::float8)),
          updated_at = greatest(b.updated_at, now())`);
    },

    async blockedForMs(key) {
      const rows = await db.execute<WaitRow>(sql`
        select greatest(0, coalesce(extract(epoch from (blocked_until - now()))::float8 * 1000, 0))::float8
          as wait_ms
        from rate_limit_buckets where key = ${key}`);
      return Math.ceil(Number(rows[0]?.wait_ms ?? 0));
    },
  };
}
