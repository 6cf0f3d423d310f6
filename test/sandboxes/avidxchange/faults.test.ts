/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import {
  basic,
  call,
  CLIENT_ID,
  CLIENT_SECRET,
  client,
  requestToken,
  startSandbox,
  token,
  vendor,
  waitFor,
} from "./helpers.js";

describe("fault injection", () => {
  it("answers 5xx to the next N calls, then recovers", async () => {
    const sandbox = await startSandbox();
    const bearer = await token(sandbox);
    sandbox.control.addFault({ kind: "status", status: 503, count: 2 });
    const first = await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    expect(first.status).toBe(503);
    expect(first.json).toEqual({
      code: "101503",
      message: "Runtime Error",
      description: "Error connecting to the back end",
    });
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(503);
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
    sandbox.control.addFault({ kind: "status", status: 500, method: "POST" });
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
    const post = await call(sandbox, "POST", "/v1/vendors", {
      token: bearer,
      body: { Vendors: [vendor("0000001")] },
    });
    expect(post.status).toBe(500);
    expect(post.json.exception.reason).toBe("InternalServerError");
    expect(sandbox.control.snapshot().vendors).toHaveLength(3);
  });

  it("can fail after the effect happened (the ambiguous timeout the connector must survive)", async () => {
    const sandbox = await startSandbox();
    const bearer = await token(sandbox);
    sandbox.control.addFault({ kind: "status", status: 502, afterEffect: true });
    const post = await call(sandbox, "POST", "/v1/vendors", {
      token: bearer,
      body: { Vendors: [vendor("0000001")] },
    });
    expect(post.status).toBe(502);
    expect(sandbox.control.snapshot().vendors.map((v) => v.ExternalVendorCode)).toContain(
      "0000001",
    );
  });

  it("answers 503 with a page that echoes the request's credentials", async () => {
    const sandbox = await startSandbox();
    sandbox.control.addFault({ kind: "echo-credentials", path: "/token" });
    const echoed = await requestToken(
      sandbox,
      `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
      {},
    );
    expect(echoed.status).toBe(503);
    expect(echoed.headers.get("content-type")).toContain("text/html");
    expect(echoed.text).toContain(`client_secret=${CLIENT_SECRET}`);
    const bearer = await token(sandbox);
    sandbox.control.addFault({ kind: "echo-credentials" });
    const api = await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    expect(api.status).toBe(503);
    expect(api.text).toContain(`Bearer ${bearer}`);
    expect(JSON.stringify(sandbox.control.requests())).not.toContain(CLIENT_SECRET);
  });

  it("hangs a request until the client gives up, and still closes cleanly", async () => {
    const sandbox = await startSandbox();
    const bearer = await token(sandbox);
    sandbox.control.addFault({ kind: "hang" });
    await expect(
      call(sandbox, "GET", "/v1/vendors", { token: bearer, signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow();
    expect(sandbox.control.requests().at(-1)).toMatchObject({
      path: "/v1/vendors",
      status: null,
      fault: "hang",
    });
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
    sandbox.control.addFault({ kind: "hang", afterEffect: true });
    const pending = call(sandbox, "POST", "/v1/vendors", {
      token: bearer,
      body: { Vendors: [vendor("0000009")] },
    }).catch((error: unknown) => error);
    // The effect is applied in the same tick the hang is logged.
    await waitFor(() =>
      sandbox.control.requests().some((r) => r.method === "POST" && r.fault === "hang"),
    );
    await sandbox.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(sandbox.control.snapshot().vendors.map((v) => v.ExternalVendorCode)).toContain(
      "0000009",
    );
  });

  it("sends malformed JSON after doing the work", async () => {
    const sandbox = await startSandbox();
    const bearer = await token(sandbox);
    sandbox.control.addFault({ kind: "malformed-json", method: "POST" });
    const res = await call(sandbox, "POST", "/v1/vendors", {
      token: bearer,
      body: { Vendors: [vendor("0000001")] },
    });
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text) as unknown).toThrow();
    expect(res.text.startsWith('{"Results":[')).toBe(true);
    expect(sandbox.control.snapshot().vendors.map((v) => v.ExternalVendorCode)).toContain(
      "0000001",
    );
  });

  it("slows responses down, and faults a token request by path", async () => {
    const sandbox = await startSandbox();
    sandbox.control.addFault({ kind: "slow", delayMs: 30, path: "/token" });
    const slow = await requestToken(sandbox, undefined, {
      authorization: basic(CLIENT_ID, CLIENT_SECRET),
    });
    expect(slow.status).toBe(200);
    expect(sandbox.control.requests().at(-1)).toMatchObject({
      path: "/token",
      fault: "slow",
      status: 200,
    });
  });

  it("is driven over HTTP too: faults, clock, token revocation, state and the request log", async () => {
    const sandbox = await startSandbox();
    const base = `${sandbox.gatewayUrl}/__sandbox`;
    const post = async (path: string, body: unknown) =>
      (
        await fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body) })
      ).json() as Promise<Record<string, unknown>>;
    const api = await client(sandbox);
    const bearer = await token(sandbox);
    expect(await post("/faults", { kind: "status", status: 504 })).toEqual({ id: 1 });
    expect((await api("GET", "/v1/vendors")).status).toBe(504);
    expect(await post("/tokens/revoke", { clientId: CLIENT_ID })).toEqual({ revoked: 2 });
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).json.code).toBe("900901");
    expect(await post("/clock", { advanceMs: 60_000 })).toEqual({
      now: "2026-11-02T08:01:00.000Z",
      eventsRun: 0,
    });
    const state = (await (await fetch(`${base}/state?companyId=10002`)).json()) as {
      companyId: string;
      vendors: unknown[];
    };
    expect(state.companyId).toBe("10002");
    expect(state.vendors).toHaveLength(3);
    const log = (await (await fetch(`${base}/requests`)).json()) as {
      requests: { path: string }[];
    };
    expect(log.requests.map((r) => r.path)).toContain("/v1/vendors");
    const fresh = await token(sandbox);
    const viaSim = await fetch(`${sandbox.gatewayUrl}/__sim/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "revoke-tokens" }),
    });
    expect(await viaSim.json()).toEqual({ revoked: 1 });
    expect((await call(sandbox, "GET", "/v1/vendors", { token: fresh })).status).toBe(401);
    const bad = await fetch(`${base}/clock`, {
      method: "POST",
      body: JSON.stringify({ to: "2020-01-01T00:00:00Z" }),
    });
    expect(bad.status).toBe(400);
  });
});
