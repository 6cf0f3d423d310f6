import { describe, expect, it } from "vitest";

import {
  classifyHttpFailure,
  parseErrorBody,
} from "../../../src/connectors/avidxchange/classify.js";
import { DEFAULT_AVID_SETTINGS } from "../../../src/connectors/avidxchange/settings.js";

import type { HttpFailure } from "../../../src/connectors/avidxchange/classify.js";

const classify = (f: Partial<HttpFailure> & { status: number }) =>
  classifyHttpFailure(
    { body: undefined, request: "GET /v1/vendors", phase: "resource", ...f },
    DEFAULT_AVID_SETTINGS,
  );

// Bodies exactly as contract §4 / §7.3 / §7.4 give them.
const WSO2_FLAT_900901 = JSON.stringify({
  code: "900901",
  message: "Invalid Credentials",
  description:
    "Access failure for API: /v1, version: v1 status: (900901) - Invalid Credentials. Make sure you have provided the correct security credentials",
});
const WSO2_FAULT_900901 = JSON.stringify({
  fault: { code: 900901, message: "Invalid Credentials", description: "Invalid Credentials." },
});
const THROTTLED = JSON.stringify({
  fault: {
    code: 900800,
    message: "Message throttled out",
    description: "You have exceeded your quota",
    nextAccessTime: "2026-Jan-05 08:25:00+0000 UTC",
  },
});
const exception = (reason: string, detail: string) =>
  JSON.stringify({ exception: { avidMessageId: "b3f1", reason, detail, source: "vendors" } });

describe("parseErrorBody", () => {
  it("reads the three shapes and OAuth's", () => {
    expect(parseErrorBody(WSO2_FLAT_900901)).toMatchObject({
      code: "900901",
      message: "Invalid Credentials",
    });
    expect(parseErrorBody(WSO2_FAULT_900901)).toMatchObject({ code: "900901" });
    expect(
      parseErrorBody(exception("ValidationFailed", "InvoiceNumber is required")),
    ).toMatchObject({
      reason: "ValidationFailed",
      detail: "InvoiceNumber is required",
    });
    expect(
      parseErrorBody(
        '{"error":"invalid_client","error_description":"Client credentials are invalid."}',
      ),
    ).toMatchObject({
      error: "invalid_client",
      errorDescription: "Client credentials are invalid.",
    });
    expect(parseErrorBody("<html>Bad gateway</html>")).toEqual({});
    expect(parseErrorBody(undefined)).toEqual({});
  });
});

describe("classifyHttpFailure", () => {
  it("401 900901 in either WSO2 shape is a dead token", () => {
    for (const body of [WSO2_FLAT_900901, WSO2_FAULT_900901]) {
      const e = classify({ status: 401, body });
      expect(e).toMatchObject({
        kind: "auth",
        code: "AVID_TOKEN_REJECTED",
        avidCode: "900901",
        retryable: false,
      });
    }
  });

  it("429 is rate-limited and carries the wait", () => {
    const e = classify({ status: 429, body: THROTTLED, retryAfterMs: 3000 });
    expect(e).toMatchObject({
      kind: "rate_limited",
      code: "AVID_RATE_LIMITED",
      retryAfterMs: 3000,
      retryable: true,
    });
  });

  it("5xx and 408 are transient; a 503 body is never read", () => {
    expect(classify({ status: 500, body: "{}" })).toMatchObject({
      kind: "transient",
      code: "AVID_SERVER_ERROR",
    });
    expect(classify({ status: 408 })).toMatchObject({ kind: "transient" });
    const echo =
      "grant_type=client_credentials&client_secret=s3cr3t Authorization: Basic Zm9vOmJhcg==";
    const e = classify({
      status: 503,
      body: JSON.stringify({ code: "700700", description: echo }),
    });
    expect(e).toMatchObject({ kind: "transient", code: "AVID_UNAVAILABLE", avidCode: undefined });
    expect(JSON.stringify({ ...e, message: e.message })).not.toMatch(/s3cr3t|Zm9v|700700/);
  });

  it("company not granted (403) and company missing (400) are auth problems", () => {
    expect(
      classify({
        status: 403,
        body: exception("CompanyNotAuthorized", "Company 10003 is not authorized"),
      }),
    ).toMatchObject({ kind: "auth", code: "AVID_COMPANY_NOT_GRANTED" });
    expect(
      classify({
        status: 400,
        body: exception("MissingCompanyId", "X-Avid-Company-Id header is required"),
      }),
    ).toMatchObject({ kind: "auth", code: "AVID_COMPANY_MISSING" });
  });

  it("other 400/404/409 are validation with AvidXchange's text", () => {
    const e = classify({
      status: 400,
      body: exception("ValidationFailed", "Invoices must not be empty"),
    });
    expect(e).toMatchObject({
      kind: "validation",
      code: "AVID_VALIDATION",
      detail: "Invoices must not be empty",
    });
    expect(e.message).toContain("Invoices must not be empty");
    expect(classify({ status: 404, body: "{}" })).toMatchObject({ code: "AVID_NOT_FOUND" });
    expect(
      classify({
        status: 403,
        body: JSON.stringify({ code: "900906", message: "No matching resource found" }),
      }),
    ).toMatchObject({ code: "AVID_NOT_FOUND" });
    expect(
      classify({
        status: 409,
        body: exception("Conflict", "Payment cannot be voided in status Cleared"),
      }),
    ).toMatchObject({ code: "AVID_CONFLICT" });
  });

  it("403 subscription errors are forbidden", () => {
    expect(
      classify({
        status: 403,
        body: JSON.stringify({ code: "900908", message: "Resource forbidden" }),
      }),
    ).toMatchObject({ kind: "auth", code: "AVID_FORBIDDEN" });
  });

  it("token endpoint: unknown client vs wrong secret vs other refusals", () => {
    const token = (status: number, body: string) =>
      classify({ status, body, phase: "token", request: "POST token" });
    expect(
      token(
        401,
        '{"error_description":"A valid OAuth client could not be found for client_id: nope","error":"invalid_client"}',
      ),
    ).toMatchObject({ code: "AVID_INVALID_CLIENT" });
    expect(
      token(
        401,
        '{"error_description":"Client credentials are invalid.","error":"invalid_client"}',
      ),
    ).toMatchObject({
      code: "AVID_INVALID_SECRET",
    });
    expect(
      token(401, '{"error_description":"Client Authentication failed.","error":"invalid_client"}'),
    ).toMatchObject({
      code: "AVID_INVALID_SECRET",
    });
    expect(
      token(
        400,
        '{"error":"unsupported_grant_type","error_description":"Unsupported grant_type value"}',
      ),
    ).toMatchObject({
      code: "AVID_TOKEN_REQUEST_REJECTED",
      avidCode: "unsupported_grant_type",
    });
  });
});
