/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import {
  basic,
  call,
  CLIENT_ID,
  CLIENT_SECRET,
  COMPANY,
  HOUR,
  requestToken,
  startSandbox,
  token,
  vendor,
} from "./helpers.js";

const INVALID_CREDENTIALS = {
  code: "900901",
  message: "Invalid Credentials",
  description:
    "Access failure for API: /v1, version: v1 status: (900901) - Invalid Credentials. Make sure you have provided the correct security credentials",
};
const INVALID_TOKEN_CHALLENGE =
  'Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"';

describe("token endpoint", () => {
  it("issues a bearer token for Basic or form client credentials, at /token and /oauth2/token", async () => {
    const sandbox = await startSandbox();
    const viaBasic = await requestToken(sandbox);
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.json).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
      scope: "default",
      token_type: "Bearer",
      expires_in: 3600,
    });
    const viaForm = await requestToken(
      sandbox,
      `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
      {},
      "/oauth2/token",
    );
    expect(viaForm.status).toBe(200);
    expect(viaForm.json.access_token).not.toBe(viaBasic.json.access_token);
    expect(sandbox.control.tokensIssued(CLIENT_ID)).toBe(2);
  });

  it("answers expires_in from the sandbox setting or the client's own", async () => {
    const sandbox = await startSandbox({
      tokenTtlSeconds: 120,
      clients: [
        { clientId: "a", clientSecret: "sa", keyType: "production", companies: [COMPANY] },
        {
          clientId: "b",
          clientSecret: "sb",
          keyType: "production",
          companies: [COMPANY],
          tokenTtlSeconds: 30,
        },
      ],
    });
    expect(
      (await requestToken(sandbox, undefined, { authorization: basic("a", "sa") })).json.expires_in,
    ).toBe(120);
    expect(
      (await requestToken(sandbox, undefined, { authorization: basic("b", "sb") })).json.expires_in,
    ).toBe(30);
  });

  it("rejects an unknown client and a wrong secret with WSO2's invalid_client bodies", async () => {
    const sandbox = await startSandbox();
    const unknown = await requestToken(sandbox, undefined, { authorization: basic("nobody", "x") });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toBe('Basic realm="AvidXchange"');
    expect(unknown.json).toEqual({
      error_description: "A valid OAuth client could not be found for client_id: nobody",
      error: "invalid_client",
    });
    const wrong = await requestToken(sandbox, undefined, {
      authorization: basic(CLIENT_ID, "wrong"),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({
      error_description: "Client credentials are invalid.",
      error: "invalid_client",
    });
    const none = await requestToken(sandbox, "grant_type=client_credentials", {});
    expect(none.status).toBe(401);
    expect(none.json.error).toBe("invalid_client");
  });

  it("rejects a missing or unsupported grant with 400", async () => {
    const sandbox = await startSandbox();
    const missing = await requestToken(sandbox, "scope=default");
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({
      error_description: "Missing grant_type parameter value",
      error: "invalid_request",
    });
    const password = await requestToken(sandbox, "grant_type=password&username=u&password=p");
    expect(password.status).toBe(400);
    expect(password.json).toEqual({
      error_description: "Unsupported grant_type value",
      error: "unsupported_grant_type",
    });
  });
});

describe("gateway authentication", () => {
  it("answers 900902 without a bearer token and 900901 for an unknown one", async () => {
    const sandbox = await startSandbox();
    const missing = await call(sandbox, "GET", "/v1/vendors", { token: null });
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({
      code: "900902",
      message: "Missing Credentials",
      description:
        "Invalid Credentials. Make sure your API invocation call has a header: 'Authorization : Bearer ACCESS_TOKEN'",
    });
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="WSO2 API Manager"');
    const bogus = await call(sandbox, "GET", "/v1/vendors", { token: "not-a-token" });
    expect(bogus.status).toBe(401);
    expect(bogus.json).toEqual(INVALID_CREDENTIALS);
    expect(bogus.headers.get("www-authenticate")).toBe(INVALID_TOKEN_CHALLENGE);
  });

  it("expires tokens on the simulated clock", async () => {
    const sandbox = await startSandbox();
    const bearer = await token(sandbox);
    sandbox.control.advance(HOUR - 1000);
    expect((await call(sandbox, "GET", "/v1/vendors", { token: bearer })).status).toBe(200);
    sandbox.control.advance(1000);
    const expired = await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual(INVALID_CREDENTIALS);
  });

  it("revokes tokens on demand; a new token works", async () => {
    const sandbox = await startSandbox();
    const bearer = await token(sandbox);
    expect(sandbox.control.revokeTokens({ clientId: CLIENT_ID })).toBe(1);
    const revoked = await call(sandbox, "GET", "/v1/vendors", { token: bearer });
    expect(revoked.status).toBe(401);
    expect(revoked.json.code).toBe("900901");
    expect((await call(sandbox, "GET", "/v1/vendors")).status).toBe(200);
  });

  it("answers 900906 for an unknown resource, 404 by default and 403 as a variant, flat or wrapped", async () => {
    const sandbox = await startSandbox();
    const unknown = await call(sandbox, "GET", "/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      code: "900906",
      message: "No matching resource found for given API Request",
      description: "The requested resource is not available.",
    });
    expect((await call(sandbox, "PUT", "/v1/vendors")).json.code).toBe("900906");
    sandbox.control.setVariants({ noMatchStatus: 403, gatewayErrors: "fault" });
    const wrapped = await call(sandbox, "GET", "/v1/nothing-here");
    expect(wrapped.status).toBe(403);
    expect(wrapped.json.fault.code).toBe(900906);
  });

  it("keeps production and sandbox key sets apart, and refuses a key type without an endpoint", async () => {
    const sandbox = await startSandbox();
    const production = await token(sandbox);
    const sandboxKey = await token(sandbox, "med-avid-sandbox-client", "med-avid-sandbox-secret");
    await call(sandbox, "POST", "/v1/vendors", {
      token: production,
      body: { Vendors: [vendor("0000001")] },
    });
    const codes = (res: { json: { Items: { ExternalVendorCode: string }[] } }) =>
      res.json.Items.map((v) => v.ExternalVendorCode);
    expect(codes(await call(sandbox, "GET", "/v1/vendors", { token: production }))).toContain(
      "0000001",
    );
    expect(codes(await call(sandbox, "GET", "/v1/vendors", { token: sandboxKey }))).not.toContain(
      "0000001",
    );

    const noSandbox = await startSandbox({ endpoints: { sandbox: false } });
    const key = await token(noSandbox, "med-avid-sandbox-client", "med-avid-sandbox-secret");
    const refused = await call(noSandbox, "GET", "/v1/vendors", { token: key });
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual(INVALID_CREDENTIALS);
  });
});

describe("company scoping", () => {
  it("needs the company header and a company granted to the client", async () => {
    const sandbox = await startSandbox();
    const missing = await call(sandbox, "GET", "/v1/vendors", { company: null });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({
      exception: {
        avidMessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        reason: "MissingCompanyId",
        detail: "Header X-Avid-Company-Id is required",
        source: "gateway",
      },
    });
    const other = await call(sandbox, "GET", "/v1/vendors", { company: "10003" });
    expect(other.status).toBe(403);
    expect(other.json.exception).toMatchObject({
      reason: "CompanyNotAuthorized",
      detail: "Client med-avid-client is not authorized for company 10003",
    });
    expect((await call(sandbox, "GET", "/v1/vendors", { company: "10002" })).status).toBe(200);
  });

  it("reads the company from a configurable header and keeps companies' data apart", async () => {
    const sandbox = await startSandbox({ companyHeader: "X-Company" });
    const bearer = await token(sandbox);
    const post = await fetch(`${sandbox.gatewayUrl}/v1/vendors`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${bearer}`,
        "x-company": "10002",
        "content-type": "application/json",
      },
      body: JSON.stringify({ Vendors: [vendor("0000042")] }),
    });
    expect(post.status).toBe(200);
    expect(
      sandbox.control.snapshot({ companyId: "10002" }).vendors.map((v) => v.ExternalVendorCode),
    ).toContain("0000042");
    expect(
      sandbox.control.snapshot({ companyId: "10001" }).vendors.map((v) => v.ExternalVendorCode),
    ).not.toContain("0000042");
    const wrongHeader = await call(sandbox, "GET", "/v1/vendors", {
      token: bearer,
      headers: { "X-Avid-Company-Id": "10001" },
      company: null,
    });
    expect(wrongHeader.json.exception.detail).toBe("Header X-Company is required");
  });
});

describe("request log", () => {
  it("records who asked what, never a secret or a token", async () => {
    const sandbox = await startSandbox();
    const bearer = await token(sandbox);
    await call(sandbox, "GET", "/v1/vendors?externalVendorCodes=AVX0001&access_token=leak", {
      token: bearer,
    });
    await call(sandbox, "GET", "/v1/vendors", { token: bearer, company: null });
    const log = sandbox.control.requests();
    expect(log.map((e) => [e.method, e.path, e.company, e.client, e.status])).toEqual([
      ["POST", "/token", null, CLIENT_ID, 200],
      ["GET", "/v1/vendors", COMPANY, CLIENT_ID, 200],
      ["GET", "/v1/vendors", null, CLIENT_ID, 400],
    ]);
    expect(log[1]?.query).toEqual({ externalVendorCodes: "AVX0001", access_token: "[redacted]" });
    const text = JSON.stringify(log);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain(bearer);
    expect(text).not.toContain("leak");
  });
});
