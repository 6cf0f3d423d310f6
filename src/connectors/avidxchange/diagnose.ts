import { requestToken } from "./auth.js";
import { collect, listPages } from "./batches.js";
import { isAvidError } from "./errors.js";
import { enterpriseCodeSchema, vendorSchema, wireParser } from "./schemas.js";
import { createAvidTransport } from "./transport.js";

import type { HttpClient } from "../http.js";
import type { AvidCredentials } from "./auth.js";
import type { AvidClock } from "./clock.js";
import type { AvidError } from "./errors.js";
import type { RateLimiter } from "./limiter.js";
import type { AvidLogger } from "./logger.js";
import type { AvidPage, PagingSettings } from "./paging.js";
import type { AvidSettings } from "./settings.js";

/**
 * The connection test (DESIGN flow 7): a fresh token (never the cached one: only a new request
 * proves the secret), then one page of vendors and of GL codes for the company. Each failure is a
 * precise diagnosis a person can act on, never a stack trace; the message carries no secret.
 */
export type AvidDiagnosisCode =
  | "OK"
  /** Nothing answered at the token URL or the gateway (DNS, refused, timeout). */
  | "UNREACHABLE"
  /** Something answered, but not as an AvidXchange (WSO2) gateway would. */
  | "NOT_AVID_GATEWAY"
  /** The token URL does not know the client id. */
  | "INVALID_CLIENT"
  /** The client id is known, the secret is wrong. */
  | "WRONG_SECRET"
  /** The token URL refused the grant otherwise. */
  | "TOKEN_REQUEST_REJECTED"
  /** A fresh token was refused by the gateway (revoked, or production/sandbox key mismatch). */
  | "TOKEN_REJECTED"
  /** The company id is not granted to this client. */
  | "COMPANY_NOT_GRANTED"
  /** The gateway saw no company id: the company header name is probably wrong. */
  | "COMPANY_HEADER_MISSING"
  /** The subscription does not allow these resources. */
  | "FORBIDDEN"
  | "RATE_LIMITED"
  /** AvidXchange answered with a server error or 503. */
  | "UNAVAILABLE";

export interface AvidDiagnosis {
  readonly ok: boolean;
  readonly code: AvidDiagnosisCode;
  readonly message: string;
  readonly details: {
    readonly step: "token" | "vendors" | "glCodes" | "done";
    readonly status?: number | undefined;
    readonly avidCode?: string | undefined;
    /** Vendors visible to the company (when the test got that far). */
    readonly vendors?: number | undefined;
    readonly glCodes?: number | undefined;
  };
}

export interface DiagnoseDeps {
  readonly http: HttpClient;
  readonly credentials: AvidCredentials;
  readonly gatewayUrl: string;
  readonly companyHeader: string;
  readonly settings: AvidSettings;
  readonly paging: PagingSettings;
  readonly limiter: RateLimiter;
  readonly limiterKey: string;
  readonly clock: AvidClock;
  readonly logger: AvidLogger;
}

type Step = AvidDiagnosis["details"]["step"];

export async function diagnose(deps: DiagnoseDeps, signal?: AbortSignal): Promise<AvidDiagnosis> {
  const { credentials, settings } = deps;
  let step: Step = "token";
  try {
    const token = await requestToken(deps.http, credentials, settings, deps.clock, signal);
    const transport = createAvidTransport({
      http: deps.http,
      gatewayUrl: deps.gatewayUrl,
      companyHeader: deps.companyHeader,
      companyId: credentials.companyId,
      tokens: { get: async () => token.accessToken, invalidate: async () => {} },
      limiter: deps.limiter,
      limiterKey: deps.limiterKey,
      settings,
      clock: deps.clock,
      logger: deps.logger,
    });
    const count = async <T>(pages: AsyncGenerator<AvidPage<T>, void, undefined>) => {
      const first = await pages.next();
      if (first.done) {
        return 0;
      }
      if (first.value.totalItems !== undefined) {
        await pages.return();
        return first.value.totalItems;
      }
      return first.value.items.length + (await collect(pages)).length;
    };
    step = "vendors";
    const vendors = await count(
      listPages({
        transport,
        path: settings.paths.vendors,
        query: {},
        operation: "diagnose.vendors",
        paging: deps.paging,
        parseItem: (request) => wireParser(vendorSchema, "vendor", request),
        signal,
      }),
    );
    step = "glCodes";
    const glCodes = await count(
      listPages({
        transport,
        path: settings.paths.enterpriseCodes,
        query: { groupName: settings.glGroupName },
        operation: "diagnose.glCodes",
        paging: deps.paging,
        parseItem: (request) => wireParser(enterpriseCodeSchema, "enterprise code", request),
        signal,
      }),
    );
    return {
      ok: true,
      code: "OK",
      message: `Connected to AvidXchange company ${credentials.companyId}: ${vendors} vendors and ${glCodes} GL codes visible.`,
      details: { step: "done", vendors, glCodes },
    };
  } catch (thrown) {
    if (!isAvidError(thrown)) {
      throw thrown;
    }
    const diagnosis = explain(thrown, step, credentials.companyId);
    deps.logger.info(
      { diagnosis: diagnosis.code, step, status: thrown.status },
      "avidxchange diagnosis",
    );
    return diagnosis;
  }
}

function explain(e: AvidError, step: Step, companyId: string): AvidDiagnosis {
  const details = { step, status: e.status, avidCode: e.avidCode };
  const where = step === "token" ? "the token URL" : "the AvidXchange gateway";
  const fail = (code: AvidDiagnosisCode, message: string): AvidDiagnosis => ({
    ok: false,
    code,
    message,
    details,
  });
  switch (e.code) {
    case "AVID_UNREACHABLE":
    case "AVID_NETWORK":
      return fail("UNREACHABLE", `Could not reach ${where}: check the URL and the network.`);
    case "AVID_TIMEOUT":
      return fail("UNREACHABLE", `${where} did not answer in time.`);
    case "AVID_MALFORMED_RESPONSE":
    case "AVID_NOT_FOUND":
      return fail(
        "NOT_AVID_GATEWAY",
        `${where} answered, but not as an AvidXchange gateway does: check the URL.`,
      );
    case "AVID_INVALID_CLIENT":
      return fail("INVALID_CLIENT", "AvidXchange does not know this client id.");
    case "AVID_INVALID_SECRET":
      return fail(
        "WRONG_SECRET",
        "AvidXchange knows this client id, but the client secret is wrong.",
      );
    case "AVID_TOKEN_REQUEST_REJECTED":
      return e.status === 404 || e.status === 405
        ? fail("NOT_AVID_GATEWAY", "The token URL is not an OAuth token endpoint: check the URL.")
        : fail("TOKEN_REQUEST_REJECTED", `The token URL refused the request: ${e.message}`);
    case "AVID_TOKEN_REJECTED":
      return fail(
        "TOKEN_REJECTED",
        "AvidXchange issued a token but the gateway refuses it: the client may be revoked, or its keys are for the other environment (production/sandbox).",
      );
    case "AVID_COMPANY_NOT_GRANTED":
      return fail(
        "COMPANY_NOT_GRANTED",
        `Company ${companyId} is not granted to this client: ask AvidXchange to grant it, or check the company id.`,
      );
    case "AVID_COMPANY_MISSING":
      return fail(
        "COMPANY_HEADER_MISSING",
        "The gateway did not receive the company id: check the company header name.",
      );
    case "AVID_FORBIDDEN":
      return fail("FORBIDDEN", `AvidXchange forbids this client these resources: ${e.message}`);
    case "AVID_RATE_LIMITED":
      return fail("RATE_LIMITED", "AvidXchange is rate limiting this client: try again shortly.");
    default:
      return e.kind === "transient"
        ? fail("UNAVAILABLE", `${where} failed with a server error: try again later.`)
        : fail("NOT_AVID_GATEWAY", `${where} answered unexpectedly: ${e.message}`);
  }
}
