import { randomBytes } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { createPgAvidTokenStore } from "../../../src/connector-state/avid-token-cache.js";
import { createPgRateLimiter } from "../../../src/connector-state/rate-limiter.js";
import { createTokenCache } from "../../../src/connectors/avidxchange/auth.js";
import { silentLogger } from "../../../src/connectors/avidxchange/logger.js";
import { createDb } from "../../../src/db/client.js";
import { rateLimitBuckets, remoteSessions } from "../../../src/db/schema/index.js";
import { createVault } from "../../../src/secrets/vault.js";
import { useTestDatabase } from "../../setup/db.js";

import type { AvidToken } from "../../../src/connectors/avidxchange/token-store.js";

const t = useTestDatabase();
const vault = createVault({ keys: [{ id: "k1", key: randomBytes(32) }], currentKeyId: "k1" });
const token = (accessToken: string, inMs = 3_600_000): AvidToken => ({
  accessToken,
  expiresAt: Date.now() + inMs,
  refreshAt: Date.now() + inMs - 60_000,
});

describe("Postgres token store", () => {
  it("stores the token encrypted, with its expiry in clear", async () => {
    const store = createPgAvidTokenStore({ db: t.db, vault });
    const tok = token("secret-access-token-123");
    await store.set("avidxchange:token:a", tok);
    expect(await store.get("avidxchange:token:a")).toEqual(tok);
    const [row] = await t.db
      .select()
      .from(remoteSessions)
      .where(eq(remoteSessions.key, "avidxchange:token:a"));
    expect(row?.system).toBe("avidxchange");
    expect(row?.expiresAt?.getTime()).toBe(tok.expiresAt);
    expect(row?.ciphertext?.toString("latin1")).not.toContain("secret-access-token");
    expect(JSON.stringify(row)).not.toContain("secret-access-token");
  });

  it("a token encrypted under a retired key reads as absent, and is replaced", async () => {
    await createPgAvidTokenStore({ db: t.db, vault }).set("avidxchange:token:r", token("old-key"));
    const rotated = createVault({ keys: [{ id: "k2", key: randomBytes(32) }], currentKeyId: "k2" });
    const store = createPgAvidTokenStore({ db: t.db, vault: rotated });
    expect(await store.get("avidxchange:token:r")).toBeUndefined();
    await store.set("avidxchange:token:r", token("new-key"));
    expect((await store.get("avidxchange:token:r"))?.accessToken).toBe("new-key");
  });

  it("invalidate is compare-and-delete", async () => {
    const store = createPgAvidTokenStore({ db: t.db, vault });
    await store.set("avidxchange:token:b", token("old"));
    await store.set("avidxchange:token:b", token("new"));
    await store.invalidate("avidxchange:token:b", "old");
    expect((await store.get("avidxchange:token:b"))?.accessToken).toBe("new");
    await store.invalidate("avidxchange:token:b", "new");
    expect(await store.get("avidxchange:token:b")).toBeUndefined();
  });

  it("N caches on separate pools (as N processes) fetch one token", async () => {
    const pools = Array.from({ length: 4 }, () => createDb({ url: t.url, max: 3 }));
    try {
      let fetches = 0;
      const caches = pools.map(({ db }) =>
        createTokenCache({
          key: "avidxchange:token:c",
          store: createPgAvidTokenStore({ db, vault }),
          clock: { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
          logger: silentLogger,
          fetchToken: async () => {
            fetches++;
            // Long enough that every other cache finds no token and queues on the lock.
            await new Promise((r) => setTimeout(r, 150));
            return token(`tok-${fetches}`);
          },
        }),
      );
      const got = await Promise.all(caches.flatMap((c) => [c.get(), c.get(), c.get()]));
      expect(fetches).toBe(1);
      expect(new Set(got)).toEqual(new Set(["tok-1"]));
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });
});

describe("Postgres rate limiter", () => {
  // Slow enough that the milliseconds between two queries barely refill the bucket.
  const LIMIT = { requestsPerSecond: 5, burst: 4 };

  it("lets the burst through, then queues reservations at the rate", async () => {
    const limiter = createPgRateLimiter({ db: t.db });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      waits.push((await limiter.reserve("avidxchange:rate:a", LIMIT)).waitMs);
    }
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    // Each further reservation waits about one more interval (200 ms) than the one before.
    for (let i = 5; i < 8; i++) {
      const gap = (waits[i] ?? 0) - (waits[i - 1] ?? 0);
      expect(gap).toBeGreaterThan(100);
      expect(gap).toBeLessThanOrEqual(201);
    }
  });

  it("concurrent reservations from several pools never share a slot", async () => {
    const pools = Array.from({ length: 3 }, () => createDb({ url: t.url, max: 4 }));
    try {
      const limiters = pools.map(({ db }) => createPgRateLimiter({ db }));
      const waits = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          limiters[i % 3]!.reserve("avidxchange:rate:b", LIMIT).then((r) => r.waitMs),
        ),
      );
      const [row] = await t.db
        .select()
        .from(rateLimitBuckets)
        .where(eq(rateLimitBuckets.key, "avidxchange:rate:b"));
      // 30 taken from a bucket of 4: about 26 in debt (a little refilled meanwhile).
      expect(row?.tokens).toBeLessThan(-20);
      expect(waits.filter((w) => w === 0).length).toBeLessThanOrEqual(5);
      expect(Math.max(...waits)).toBeGreaterThan(1000);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });

  it("a 429 blocks the key until Retry-After and slows its rate", async () => {
    const limiter = createPgRateLimiter({ db: t.db });
    await limiter.reserve("avidxchange:rate:c", LIMIT);
    await limiter.penalize("avidxchange:rate:c", LIMIT, 3_000);
    const blocked = await limiter.blockedForMs("avidxchange:rate:c");
    expect(blocked).toBeGreaterThan(2_800);
    expect(blocked).toBeLessThanOrEqual(3_000);
    const { waitMs } = await limiter.reserve("avidxchange:rate:c", LIMIT);
    expect(waitMs).toBeGreaterThanOrEqual(2_900);
    const [row] = await t.db
      .select()
      .from(rateLimitBuckets)
      .where(eq(rateLimitBuckets.key, "avidxchange:rate:c"));
    expect(row?.refillPerSecond).toBeLessThan(LIMIT.requestsPerSecond);
    expect(await limiter.blockedForMs("avidxchange:rate:none")).toBe(0);
  });

  it("a 429 on a key never seen creates it blocked", async () => {
    const limiter = createPgRateLimiter({ db: t.db });
    await limiter.penalize("avidxchange:rate:d", LIMIT, 1_000);
    expect(await limiter.blockedForMs("avidxchange:rate:d")).toBeGreaterThan(900);
    expect((await limiter.reserve("avidxchange:rate:d", LIMIT)).waitMs).toBeGreaterThan(900);
  });
});
