/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import { call, startSandbox, token } from "./helpers.js";

/** The limiter runs in real time; a hand-moved "real" clock keeps these tests exact. */
function fakeRealTime(start = Date.parse("2026-11-02T08:00:00.250Z")) {
  let now = start;
  return {
    realNow: () => now,
    move: (ms: number) => {
      now += ms;
    },
    get now() {
      return now;
    },
  };
}

describe("rate limit per (client, company)", () => {
  it("throttles bursts with 900807 and a Retry-After HTTP-date, then lets the client through", async () => {
    const real = fakeRealTime();
    const sandbox = await startSandbox({
      realNow: real.realNow,
      rateLimit: { requestsPerMinute: 600, burstPerSecond: 3 },
    });
    const bearer = await token(sandbox);
    for (let i = 0; i < 3; i++) {
      expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
    }
    const throttled = await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    expect(throttled.status).toBe(429);
    expect(throttled.json).toEqual({
      fault: {
        code: 900807,
        message: "Message throttled out",
        description: "You have exceeded your quota",
        nextAccessTime: "2026-Nov-02 08:00:01+0000 UTC",
      },
    });
    const retryAt = Date.parse(throttled.headers.get("retry-after") ?? "");
    expect(throttled.headers.get("retry-after")).toBe("Mon, 02 Nov 2026 08:00:01 GMT");
    expect(retryAt).toBeGreaterThan(real.now);
    expect(throttled.headers.get("x-ratelimit-limit")).toBeNull();
    real.move(retryAt - real.now);
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
  });

  it("throttles the sustained quota with 900800; Retry-After in seconds as a variant", async () => {
    const real = fakeRealTime();
    const sandbox = await startSandbox({
      realNow: real.realNow,
      rateLimit: { requestsPerMinute: 5, burstPerSecond: 100 },
      variants: { retryAfter: "seconds" },
    });
    const bearer = await token(sandbox);
    for (let i = 0; i < 5; i++) {
      expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
    }
    const throttled = await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    expect(throttled.status).toBe(429);
    expect(throttled.json.fault.code).toBe(900800);
    expect(throttled.headers.get("retry-after")).toBe("12");
    real.move(11_000);
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(429);
    real.move(1_000);
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
  });

  it("keeps one bucket per (client, company) and never throttles the token endpoint", async () => {
    const real = fakeRealTime();
    const sandbox = await startSandbox({
      realNow: real.realNow,
      rateLimit: { requestsPerMinute: 2, burstPerSecond: 10 },
    });
    const bearer = await token(sandbox);
    await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(429);
    expect(
      (await call(sandbox, "GET", "/v1/vendors", { token: bearer, company: "10002" })).status,
    ).toBe(200);
    const other = await token(sandbox, "med-avid-sandbox-client", "med-avid-sandbox-secret");
    expect((await call(sandbox, "GET", "/v1/vendors", { token: other })).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      await token(sandbox);
    }
  });

  it("emits X-RateLimit-* headers only when asked", async () => {
    const real = fakeRealTime();
    const sandbox = await startSandbox({
      realNow: real.realNow,
      rateLimit: { requestsPerMinute: 60, burstPerSecond: 10 },
      variants: { rateLimitHeaders: true },
    });
    const ok = await call(sandbox, "GET", "/v1/vendors");
    expect(ok.headers.get("x-ratelimit-limit")).toBe("60");
    expect(ok.headers.get("x-ratelimit-remaining")).toBe("59");
    expect(Number(ok.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
  });

  it("injects 429 bursts on demand (fault), burst code and custom Retry-After", async () => {
    const sandbox = await startSandbox();
    const bearer = await token(sandbox);
    sandbox.control.addFault({ kind: "rate-limit", count: 2, code: 900807, retryAfterSeconds: 3 });
    sandbox.control.setVariants({ retryAfter: "seconds" });
    const first = await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    const second = await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    expect([first.status, second.status]).toEqual([429, 429]);
    expect(first.json.fault.code).toBe(900807);
    expect(first.headers.get("retry-after")).toBe("3");
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
    expect(sandbox.control.requests().map((r) => r.fault)).toEqual([
      null,
      "rate-limit",
      "rate-limit",
      null,
    ]);
  });
});
