import { describe, expect, it } from "vitest";

import { createTokenCache, tokenKey } from "../../../src/connectors/avidxchange/auth.js";
import { AvidTransientError } from "../../../src/connectors/avidxchange/errors.js";
import { silentLogger } from "../../../src/connectors/avidxchange/logger.js";
import { createMemoryTokenStore } from "../../../src/connectors/avidxchange/token-store.js";

import type { AvidClock } from "../../../src/connectors/avidxchange/clock.js";
import type { AvidToken, TokenStore } from "../../../src/connectors/avidxchange/token-store.js";

// The HTTP side of tokens is tested against the sandbox (connector.auth.test.ts); this is the
// cache's own logic with a counting fetcher.
function setup(store: TokenStore = createMemoryTokenStore(), clock = movableClock()) {
  let fetches = 0;
  let fail: Error | undefined;
  const fetchToken = async (): Promise<AvidToken> => {
    fetches++;
    await new Promise((r) => setTimeout(r, 5));
    if (fail) {
      throw fail;
    }
    const now = clock.now();
    return { accessToken: `t${fetches}`, expiresAt: now + 3_600_000, refreshAt: now + 3_540_000 };
  };
  const cache = createTokenCache({ key: "k", store, clock, fetchToken, logger: silentLogger });
  return {
    cache,
    clock,
    fetches: () => fetches,
    failWith: (e: Error | undefined) => {
      fail = e;
    },
  };
}

function movableClock(): AvidClock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => 1_700_000_000_000 + offset,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    advance: (ms) => {
      offset += ms;
    },
  };
}

describe("token cache", () => {
  it("single flight: 25 concurrent callers, one fetch", async () => {
    const t = setup();
    const tokens = await Promise.all(Array.from({ length: 25 }, () => t.cache.get()));
    expect(new Set(tokens)).toEqual(new Set(["t1"]));
    expect(t.fetches()).toBe(1);
  });

  it("two caches on one store (two processes) fetch one token between them", async () => {
    const store = createMemoryTokenStore();
    const clock = movableClock();
    const a = setup(store, clock);
    const b = setup(store, clock);
    const got = await Promise.all([a.cache.get(), b.cache.get(), a.cache.get(), b.cache.get()]);
    expect(new Set(got).size).toBe(1);
    expect(a.fetches() + b.fetches()).toBe(1);
  });

  it("refreshes once the refresh time passes, not before", async () => {
    const t = setup();
    await t.cache.get();
    t.clock.advance(3_539_000);
    expect(await t.cache.get()).toBe("t1");
    t.clock.advance(2_000);
    expect(await t.cache.get()).toBe("t2");
    expect(t.fetches()).toBe(2);
  });

  it("keeps using a still-valid token when the refresh fails transiently", async () => {
    const t = setup();
    await t.cache.get();
    t.clock.advance(3_550_000);
    t.failWith(new AvidTransientError("AVID_SERVER_ERROR", "boom"));
    expect(await t.cache.get()).toBe("t1");
    t.clock.advance(60_000);
    await expect(t.cache.get()).rejects.toThrow("boom");
  });

  it("invalidate drops only the rejected token", async () => {
    const store = createMemoryTokenStore();
    const t = setup(store);
    await t.cache.get();
    // Another process already replaced it: our stale rejection must not drop the new one.
    await store.set("k", {
      accessToken: "other",
      expiresAt: Date.now() * 2,
      refreshAt: Date.now() * 2,
    });
    await t.cache.invalidate("t1");
    expect((await store.get("k"))?.accessToken).toBe("other");
    expect(await t.cache.get()).toBe("other");
    await t.cache.invalidate("other");
    expect(await store.get("k")).toBeUndefined();
    expect(await t.cache.get()).toBe("t2");
  });
});

describe("tokenKey", () => {
  it("differs per token URL, client and company, and holds no credential", () => {
    const base = { tokenUrl: "https://gw/token", clientId: "client-1", companyId: "10001" };
    const keys = new Set([
      tokenKey(base),
      tokenKey({ ...base, companyId: "10002" }),
      tokenKey({ ...base, clientId: "client-2" }),
      tokenKey({ ...base, tokenUrl: "https://gw/oauth2/token" }),
    ]);
    expect(keys.size).toBe(4);
    expect(tokenKey(base)).not.toContain("client-1");
  });
});
