import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  isAvidMalformedResponseError,
  isAvidTransientError,
} from "../../../src/connectors/avidxchange/index.js";
import { guardLeaks } from "../../setup/leaks.js";
import { invoice, vendor } from "./fixtures.js";
import { all, CLIENT, recordingStore, startHarness } from "./harness.js";

import type { Harness } from "./harness.js";

guardLeaks();
let h: Harness;
const recorded = recordingStore();
beforeAll(async () => {
  h = await startHarness({ lifecycle: { enabled: false } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sandbox.control.clearFaults();
  h.sandbox.control.clearRequests();
});

const statuses = () => h.sandbox.control.requests().map((r) => r.status);
const connector = () =>
  h.connector({
    tokenStore: recorded.store,
    options: { timeouts: { headersMs: 300, bodyMs: 300, totalMs: 600 } },
  });

describe("transient failures", () => {
  it.each([500, 502, 504])("%i twice, then success: retried with backoff", async (status) => {
    const avid = connector();
    await all(avid.vendors.list());
    h.sandbox.control.clearRequests();
    h.sandbox.control.addFault({ kind: "status", status, path: "/v1/vendors", count: 2 });
    expect((await all(avid.vendors.list())).length).toBeGreaterThan(0);
    expect(statuses()).toEqual([status, status, 200]);
  });

  it("a hang times out and the retry succeeds", async () => {
    const avid = connector();
    await all(avid.vendors.list());
    h.sandbox.control.addFault({ kind: "hang", path: "/v1/vendors" });
    expect((await all(avid.vendors.list())).length).toBeGreaterThan(0);
  });

  it("a write that timed out after taking effect is retried safely (idempotent key)", async () => {
    const avid = connector();
    await avid.vendors.upsert([vendor(1)]);
    const inv = invoice("T000001");
    h.sandbox.control.addFault({
      kind: "hang",
      path: "/v1/invoices",
      method: "POST",
      afterEffect: true,
    });
    const [result] = await avid.invoices.post([inv]);
    expect(result?.ok).toBe(true);
    const stored = h.sandbox.control
      .snapshot()
      .invoices.filter((i) => i["ExternalInvoiceId"] === inv.ExternalInvoiceId);
    expect(stored).toHaveLength(1);
    expect(result?.ok && result.item.InvoiceId).toBe(stored[0]?.["InvoiceId"]);
  });

  it("the token endpoint failing once is retried too", async () => {
    h.sandbox.control.addFault({ kind: "status", status: 500, path: "/token" });
    const avid = h.connector();
    expect((await all(avid.vendors.list())).length).toBeGreaterThan(0);
    expect(h.sandbox.control.requests({ path: "/token" }).map((r) => r.status)).toEqual([500, 200]);
  });

  it("past the retry budget it is a transient error", async () => {
    const avid = connector();
    await all(avid.vendors.list());
    h.sandbox.control.addFault({
      kind: "status",
      status: 502,
      path: "/v1/vendors",
      persistent: true,
    });
    const error = await all(avid.vendors.list()).catch((e: unknown) => e);
    expect(isAvidTransientError(error)).toBe(true);
    expect(error).toMatchObject({ code: "AVID_SERVER_ERROR", status: 502, retryable: true });
    expect(statuses().filter((s) => s === 502)).toHaveLength(4);
  });
});

describe("malformed responses", () => {
  it("truncated JSON in a 200 is a malformed-response error, not a crash", async () => {
    const avid = connector();
    await all(avid.vendors.list());
    h.sandbox.control.addFault({ kind: "malformed-json", path: "/v1/vendors" });
    const error = await all(avid.vendors.list()).catch((e: unknown) => e);
    expect(isAvidMalformedResponseError(error)).toBe(true);
    expect(error).toMatchObject({ kind: "malformed", code: "AVID_MALFORMED_RESPONSE" });
  });

  it("truncated per-item results are never read as successes", async () => {
    const avid = connector();
    await avid.vendors.upsert([vendor(1)]);
    h.sandbox.control.addFault({ kind: "malformed-json", path: "/v1/invoices", method: "POST" });
    const error = await avid.invoices.post([invoice("T000001")]).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "malformed" });
  });
});

describe("503 echoing credentials", () => {
  it("is retried, and when it persists the error holds no body, secret or token", async () => {
    const avid = connector();
    await all(avid.vendors.list());
    h.sandbox.control.addFault({ kind: "echo-credentials", path: "/v1/vendors", persistent: true });
    const error = await all(avid.vendors.list()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "transient", code: "AVID_UNAVAILABLE", status: 503 });
    // The HTTP error (which holds the body) is not kept as the cause.
    expect((error as Error).cause).toBeUndefined();
    const serialised = JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error);
    for (const token of recorded.seen) {
      expect(serialised).not.toContain(token);
    }
    expect(serialised).not.toMatch(/Bearer|Service Unavailable|<html/i);
    h.logger.error({ err: error }, "sync step failed");
  });

  it("on the token endpoint: the secret is in the echoed body, and nowhere of ours", async () => {
    h.sandbox.control.addFault({ kind: "echo-credentials", path: "/token", persistent: true });
    const error = await all(h.connector().vendors.list()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "transient", code: "AVID_UNAVAILABLE" });
    const serialised = JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error);
    const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64");
    expect(serialised).not.toContain(CLIENT.clientSecret);
    expect(serialised).not.toContain(basic);
    h.logger.error({ err: error }, "sync step failed");
  });
});

describe("logs", () => {
  it("no secret, token or credential header in anything logged in this file", () => {
    const text = h.logs.join("");
    expect(h.logs.length).toBeGreaterThan(10);
    expect(recorded.seen.length).toBeGreaterThan(0);
    const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64");
    for (const secret of [CLIENT.clientSecret, basic, ...recorded.seen]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/Bearer |Basic |<html/);
  });
});
