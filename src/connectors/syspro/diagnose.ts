/**
 * Connection test → one sentence saying what is wrong (DESIGN flow 7). Logs on to e.net with the
 * configured credentials (through the shared session lease, so a running sync is not disturbed),
 * reads `GetLogonProfile`, then reads one OData row. The first failure found is the diagnosis.
 */
import { isHttpStatusError, isHttpTransportError } from "../http.js";
import { parseLogonProfile } from "./business-objects/logon-profile.js";
import type { EnetSession } from "./enet-session.js";
import {
  isSysproAuthError,
  isSysproMalformedResponseError,
  isSysproNotFoundError,
  isSysproPermissionError,
  isSysproTransientError,
} from "./errors.js";
import type { ODataClient } from "./odata-client.js";
import type { LogonProfile } from "./types.js";

export type SysproDiagnosisCode =
  | "ok"
  | "host_unreachable"
  | "tls"
  | "not_enet_endpoint"
  | "bad_operator_password"
  | "bad_company"
  | "no_enet_access"
  | "odata_unreachable"
  | "odata_tls"
  | "odata_password_wrong"
  | "odata_company_not_found"
  | "odata_no_access"
  | "unexpected";

export interface SysproDiagnosis {
  ok: boolean;
  code: SysproDiagnosisCode;
  /** One sentence for a person. */
  message: string;
  details: {
    surface?: "enet" | "odata";
    /** SYSPRO's own text, when it gave one (secrets scrubbed). */
    sysproText?: string;
    httpStatus?: number;
    /** e.g. ECONNREFUSED, CERT_HAS_EXPIRED. */
    lowLevelCode?: string;
    errorCode?: string;
    sysproVersion?: string;
    enetVersion?: string;
    companyName?: string;
    companyId?: string;
  };
}

export interface DiagnoseDeps {
  session: EnetSession;
  odata: ODataClient;
  signal?: AbortSignal;
}

export async function diagnose(deps: DiagnoseDeps): Promise<SysproDiagnosis> {
  let profile: LogonProfile;
  try {
    const text = await deps.session.verify(
      (run) =>
        run({
          method: "GetLogonProfile",
          idempotent: true,
          ...(deps.signal ? { signal: deps.signal } : {}),
        }),
      deps.signal,
    );
    profile = parseLogonProfile(text);
  } catch (e) {
    return enetDiagnosis(e);
  }
  try {
    const pages = deps.odata.pages("ApSupplier", {
      select: ["Supplier"],
      orderBy: ["Supplier"],
      limit: 1,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    await pages.next();
    await pages.return(undefined);
  } catch (e) {
    return odataDiagnosis(e);
  }
  const version = profile.SysproVersion ?? "(version not reported)";
  const company = profile.CompanyName ?? profile.CompanyId ?? "(name not reported)";
  return {
    ok: true,
    code: "ok",
    message: `All good: SYSPRO ${version}, company "${company}"; e.net logon and OData read succeeded.`,
    details: {
      ...(profile.SysproVersion ? { sysproVersion: profile.SysproVersion } : {}),
      ...(profile.EnetVersion ? { enetVersion: profile.EnetVersion } : {}),
      ...(profile.CompanyName ? { companyName: profile.CompanyName } : {}),
      ...(profile.CompanyId ? { companyId: profile.CompanyId } : {}),
    },
  };
}

function fail(
  code: SysproDiagnosisCode,
  message: string,
  details: SysproDiagnosis["details"],
): SysproDiagnosis {
  return { ok: false, code, message, details };
}

/** The HTTP-level facts under a SYSPRO error, if any. */
function httpFacts(e: unknown): { httpStatus?: number; lowLevelCode?: string; kind?: string } {
  const cause = (e as { cause?: unknown }).cause;
  if (isHttpStatusError(cause)) {
    return { httpStatus: cause.status };
  }
  if (isHttpTransportError(cause)) {
    return {
      kind: cause.kind,
      ...(cause.lowLevelCode ? { lowLevelCode: cause.lowLevelCode } : {}),
    };
  }
  return {};
}

function base(e: unknown, surface: "enet" | "odata"): SysproDiagnosis["details"] {
  const { httpStatus, lowLevelCode } = httpFacts(e);
  const code = (e as { code?: unknown }).code;
  const sysproText = (e as { sysproText?: unknown }).sysproText;
  return {
    surface,
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(lowLevelCode !== undefined ? { lowLevelCode } : {}),
    ...(typeof code === "string" ? { errorCode: code } : {}),
    ...(typeof sysproText === "string" ? { sysproText } : {}),
  };
}

function enetDiagnosis(e: unknown): SysproDiagnosis {
  const d = base(e, "enet");
  const facts = httpFacts(e);
  if (isSysproAuthError(e)) {
    return e.reason === "company"
      ? fail("bad_company", "SYSPRO refused the company id or company password.", d)
      : fail("bad_operator_password", "SYSPRO refused the operator or operator password.", d);
  }
  if (isSysproPermissionError(e)) {
    return fail(
      "no_enet_access",
      "The operator logs on but is not allowed to use e.net business objects.",
      d,
    );
  }
  if (isSysproNotFoundError(e) || isSysproMalformedResponseError(e)) {
    return fail(
      "not_enet_endpoint",
      "The e.net URL answers, but not as a SYSPRO e.net REST endpoint (…/SYSPROWCFService/Rest).",
      d,
    );
  }
  if (isSysproTransientError(e) && e.code === "SYSPRO_TLS") {
    return fail(
      "tls",
      "The secure connection to the SYSPRO e.net server failed (certificate or TLS settings).",
      d,
    );
  }
  if (isSysproTransientError(e) && facts.kind !== undefined) {
    return fail(
      "host_unreachable",
      `The SYSPRO e.net server cannot be reached (${describeKind(facts.kind)}).`,
      d,
    );
  }
  if (isSysproTransientError(e) && facts.httpStatus !== undefined) {
    return fail(
      "host_unreachable",
      `The SYSPRO e.net server is not answering properly (HTTP ${facts.httpStatus}).`,
      d,
    );
  }
  return fail("unexpected", "The SYSPRO e.net check failed unexpectedly.", d);
}

function odataDiagnosis(e: unknown): SysproDiagnosis {
  const d = base(e, "odata");
  const facts = httpFacts(e);
  if (isSysproAuthError(e)) {
    return fail("odata_password_wrong", "SYSPRO OData refused the OData user or password.", d);
  }
  if (isSysproNotFoundError(e)) {
    return fail(
      "odata_company_not_found",
      "SYSPRO OData does not know this company (check the company in the OData URL).",
      d,
    );
  }
  if (isSysproPermissionError(e)) {
    return fail("odata_no_access", "The OData user is not allowed to read SYSPRO OData.", d);
  }
  if (isSysproTransientError(e) && e.code === "SYSPRO_TLS") {
    return fail(
      "odata_tls",
      "The secure connection to the SYSPRO OData server failed (certificate or TLS settings).",
      d,
    );
  }
  if (isSysproTransientError(e)) {
    const why =
      facts.kind !== undefined ? describeKind(facts.kind) : `HTTP ${facts.httpStatus ?? "error"}`;
    return fail(
      "odata_unreachable",
      `e.net works, but the SYSPRO OData server cannot be reached (${why}).`,
      d,
    );
  }
  return fail("unexpected", "e.net works, but the SYSPRO OData check failed unexpectedly.", d);
}

function describeKind(kind: string): string {
  switch (kind) {
    case "dns":
      return "host name not found";
    case "refused":
      return "connection refused";
    case "timeout":
      return "no answer in time";
    case "reset":
      return "connection dropped";
    default:
      return kind;
  }
}
