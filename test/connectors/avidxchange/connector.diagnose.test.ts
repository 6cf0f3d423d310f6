import { createServer } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { guardLeaks } from "../../setup/leaks.js";
import { CLIENT, COMPANY, startHarness } from "./harness.js";

import type { Harness } from "./harness.js";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";

guardLeaks();
let h: Harness;
/** Some web server that is not an AvidXchange gateway (HTML everywhere). */
let other: Server;
let otherUrl: string;
/** A port nothing listens on. */
let closedUrl: string;

beforeAll(async () => {
  h = await startHarness({
    clients: [
      { ...CLIENT, keyType: "production", companies: [COMPANY] },
      { clientId: "sbx", clientSecret: "sbx-secret", keyType: "sandbox", companies: [COMPANY] },
    ],
    endpoints: { sandbox: false },
  });
  other = createServer((req, res) => {
    res.writeHead(req.url === "/token" ? 200 : 404, { "content-type": "text/html" });
    res.end("<html><body>Welcome to nginx!</body></html>");
  });
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => other.close(() => r()));
});

describe("diagnose", () => {
  it("all good: counts the vendors and GL codes the company sees", async () => {
    const snapshot = h.sandbox.control.snapshot();
    const glCodes = snapshot.enterpriseCodes.filter((c) => c["GroupName"] === "Accounting Codes");
    const d = await h.connector().diagnose();
    expect(d).toEqual({
      ok: true,
      code: "OK",
      message: `Connected to AvidXchange company ${COMPANY}: ${snapshot.vendors.length} vendors and ${glCodes.length} GL codes visible.`,
      details: { step: "done", vendors: snapshot.vendors.length, glCodes: glCodes.length },
    });
    expect(glCodes.length).toBeGreaterThan(0);
  });

  it.each([
    [
      "unreachable",
      () => ({ gatewayUrl: closedUrl, tokenUrl: `${closedUrl}/token` }),
      "UNREACHABLE",
      "token",
    ],
    [
      "not a gateway (HTML token answer)",
      () => ({ gatewayUrl: otherUrl, tokenUrl: `${otherUrl}/token` }),
      "NOT_AVID_GATEWAY",
      "token",
    ],
    [
      "not a gateway (404 token URL)",
      () => ({ gatewayUrl: otherUrl, tokenUrl: `${otherUrl}/oauth2/token` }),
      "NOT_AVID_GATEWAY",
      "token",
    ],
    [
      "token fine, gateway elsewhere",
      () => ({ gatewayUrl: otherUrl }),
      "NOT_AVID_GATEWAY",
      "vendors",
    ],
    ["invalid client", () => ({ clientId: "nobody" }), "INVALID_CLIENT", "token"],
    ["wrong secret", () => ({ clientSecret: "not-it" }), "WRONG_SECRET", "token"],
    ["company not granted", () => ({ companyId: "10002" }), "COMPANY_NOT_GRANTED", "vendors"],
    [
      "company header misnamed",
      () => ({ companyHeader: "X-Company" }),
      "COMPANY_HEADER_MISSING",
      "vendors",
    ],
    [
      "token refused by the gateway",
      () => ({ clientId: "sbx", clientSecret: "sbx-secret" }),
      "TOKEN_REJECTED",
      "vendors",
    ],
  ])("%s → %s", async (_name, overrides, code, step) => {
    const d = await h.connector(overrides()).diagnose();
    expect(d).toMatchObject({ ok: false, code, details: { step } });
    expect(d.message).not.toMatch(/sbx-secret|med-avid-secret|not-it/);
    expect(d.message).not.toMatch(/\n\s+at /);
  });

  it("a 503 on the way is unavailable, and its body is not in the diagnosis", async () => {
    h.sandbox.control.addFault({ kind: "echo-credentials", path: "/v1/vendors", count: 5 });
    try {
      const d = await h.connector().diagnose();
      expect(d).toMatchObject({
        ok: false,
        code: "UNAVAILABLE",
        details: { step: "vendors", status: 503 },
      });
      expect(JSON.stringify(d)).not.toMatch(/Bearer|med-avid/);
    } finally {
      h.sandbox.control.clearFaults();
    }
  });
});
