import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  createMemoryTokenStore,
  isAvidAuthError,
} from "../../../src/connectors/avidxchange/index.js";
import { guardLeaks } from "../../setup/leaks.js";
import { all, CLIENT, COMPANY, recordingClock, startHarness } from "./harness.js";

import type { Harness } from "./harness.js";

guardLeaks();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    tokenTtlSeconds: 600,
    clients: [
      { ...CLIENT, keyType: "production", companies: [COMPANY, "10002"] },
      // A client whose key type has no backend: every token it gets is refused (§4.5).
      {
        clientId: "sandbox-keys",
        clientSecret: "sandbox-secret",
        keyType: "sandbox",
        companies: [COMPANY],
      },
    ],
    endpoints: { sandbox: false },
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.control.clearRequests();
  h.sandbox.control.clearFaults();
});

const tokenRequests = () => h.sandbox.control.requests({ method: "POST", path: "/token" }).length;
const status401 = () => h.sandbox.control.requests().filter((r) => r.status === 401).length;

describe("tokens", () => {
  it("one token for 20 concurrent callers", async () => {
    const avid = h.connector();
    const lists = await Promise.all(Array.from({ length: 20 }, () => all(avid.vendors.list())));
    expect(lists.every((l) => l.length === lists[0]!.length)).toBe(true);
    expect(tokenRequests()).toBe(1);
    // Every resource call carried the company header.
    const calls = h.sandbox.control.requests({ method: "GET", path: "/v1/vendors" });
    expect(calls).toHaveLength(20);
    expect(calls.every((c) => c.company === COMPANY && c.status === 200)).toBe(true);
  });

  it("two connectors sharing a store (as two workers) fetch one token", async () => {
    const tokenStore = createMemoryTokenStore();
    const a = h.connector({ tokenStore });
    const b = h.connector({ tokenStore });
    await Promise.all([all(a.vendors.list()), all(b.vendors.list()), all(a.vendors.list())]);
    expect(tokenRequests()).toBe(1);
  });

  it("one token per company: another company, another token", async () => {
    const tokenStore = createMemoryTokenStore();
    await all(h.connector({ tokenStore }).vendors.list());
    await all(h.connector({ tokenStore, companyId: "10002" }).vendors.list());
    await all(h.connector({ tokenStore }).vendors.list());
    expect(tokenRequests()).toBe(2);
  });

  it("refreshes shortly before expiry, never after (no 401 on the way)", async () => {
    const offset = { ms: 0 };
    const avid = h.connector({ clock: recordingClock(offset) });
    await all(avid.vendors.list());
    // 600 s tokens: refreshed from 540 s on (a tenth of the lifetime, at most a minute, early).
    offset.ms = 530_000;
    h.sandbox.control.advance(530_000);
    await all(avid.vendors.list());
    expect(tokenRequests()).toBe(1);
    offset.ms = 550_000;
    h.sandbox.control.advance(20_000);
    await all(avid.vendors.list());
    expect(tokenRequests()).toBe(2);
    expect(status401()).toBe(0);
  });

  it("a revoked token is dropped and replaced once, transparently", async () => {
    const avid = h.connector();
    await all(avid.vendors.list());
    expect(h.sandbox.control.revokeTokens({ clientId: CLIENT.clientId })).toBeGreaterThan(0);
    await all(avid.vendors.list());
    expect(status401()).toBe(1);
    expect(tokenRequests()).toBe(2);
  });

  it("a token expired by the gateway's clock is replaced the same way", async () => {
    const avid = h.connector();
    await all(avid.vendors.list());
    h.sandbox.control.advance(601_000);
    await all(avid.vendors.list());
    expect(status401()).toBe(1);
    expect(tokenRequests()).toBe(2);
  });

  it("a new token refused too is a clear auth error, after exactly one renewal", async () => {
    const avid = h.connector({ clientId: "sandbox-keys", clientSecret: "sandbox-secret" });
    const error = await all(avid.vendors.list()).catch((e: unknown) => e);
    expect(isAvidAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: "AVID_TOKEN_REJECTED", status: 401, avidCode: "900901" });
    expect((error as Error).message).toMatch(/newly issued token too/);
    expect(tokenRequests()).toBe(2);
    expect(status401()).toBe(2);
  });
});

describe("auth failures on a resource call", () => {
  it.each([
    ["unknown client", { clientId: "nobody" }, "AVID_INVALID_CLIENT"],
    ["wrong secret", { clientSecret: "wrong" }, "AVID_INVALID_SECRET"],
    ["company not granted", { companyId: "10003" }, "AVID_COMPANY_NOT_GRANTED"],
    ["wrong company header", { companyHeader: "X-Company" }, "AVID_COMPANY_MISSING"],
  ])("%s → %s, not retried", async (_name, overrides, code) => {
    const error = await all(h.connector(overrides).vendors.list()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "auth", code, retryable: false });
    // Refused at once: one token request, at most one resource call.
    expect(tokenRequests()).toBe(1);
    expect(h.sandbox.control.requests({ path: "/v1/vendors" }).length).toBeLessThanOrEqual(1);
  });
});
