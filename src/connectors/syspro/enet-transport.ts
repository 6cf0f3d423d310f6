/**
 * Raw e.net REST calls (contract §1.2–1.3): every call is a GET with URL-encoded query parameters,
 * except long transaction documents, which go to `POST Transaction/PostLD`. This layer knows
 * nothing of sessions: it turns HTTP outcomes into SYSPRO error classes and hands `ERROR…` texts
 * up to the session layer, which alone decides what they mean.
 */
import {
  type HttpClient,
  type HttpError,
  isHttpStatusError,
  isHttpTransportError,
} from "../http.js";
import {
  SysproAmbiguousWriteError,
  SysproAuthError,
  SysproMalformedResponseError,
  SysproNotFoundError,
  SysproPermissionError,
  SysproTransientError,
  type SysproError,
} from "./errors.js";
import { decodeBody, escapeXml, unwrapBody } from "./xml.js";

export type EnetMethod =
  "Query/Query" | "Transaction/Post" | "Setup/Add" | "Setup/Update" | "GetLogonProfile";

export interface EnetCall {
  method: EnetMethod;
  /** e.g. "APSTIN"; absent for GetLogonProfile. */
  businessObject?: string;
  xmlParameters?: string;
  xmlIn?: string;
  /** Queries are; Post and Setup are not (never retried blindly). */
  idempotent: boolean;
  signal?: AbortSignal;
}

/** An e.net answer: XML (or other text), or SYSPRO's `ERROR…` text at HTTP 200. */
export type EnetReply = { ok: true; text: string } | { ok: false; errorText: string };

export interface EnetCredentials {
  operator: string;
  operatorPassword: string;
  companyId: string;
  companyPassword: string;
}

export interface EnetTransport {
  /** Logs on and returns the UserId; throws auth/permission/malformed errors. */
  logon(signal?: AbortSignal): Promise<string>;
  /** Best effort; returns false when SYSPRO answered anything but `0`. */
  logoff(userId: string, signal?: AbortSignal): Promise<boolean>;
  call(userId: string, call: EnetCall): Promise<EnetReply>;
}

export interface EnetTransportOptions {
  http: HttpClient;
  baseUrl: string;
  credentials: EnetCredentials;
  /** Encoded query length above which a `Transaction/Post` switches to `PostLD`. Default 8 KiB. */
  maxGetQueryBytes?: number;
}

/** Texts SYSPRO returns when the operator may not use e.net or the business object. */
export const PERMISSION_TEXT =
  /licen[cs]|not authori[sz]ed|no access|access denied|does not have access|not enabled for e\.?net|e\.?net access/i;

/** Classifies a Logon `ERROR…` text (the exact wordings are unconfirmed: contract §6). */
export function classifyLogonError(text: string): SysproError {
  const opts = { sysproText: text };
  if (PERMISSION_TEXT.test(text)) {
    return new SysproPermissionError("enet", `operator has no e.net access: ${text}`, opts);
  }
  if (/company/i.test(text)) {
    return new SysproAuthError("company", `company refused: ${text}`, opts);
  }
  if (/password/i.test(text)) {
    return new SysproAuthError("operator_password", `operator password refused: ${text}`, opts);
  }
  return new SysproAuthError("operator", `operator refused: ${text}`, opts);
}

export function createEnetTransport(options: EnetTransportOptions): EnetTransport {
  const base = options.baseUrl.replace(/\/+$/, "");
  const maxGet = options.maxGetQueryBytes ?? 8 * 1024;
  const { http, credentials } = options;

  const urlFor = (path: string, params: Record<string, string>): URL => {
    const query = Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join("&");
    return new URL(`${base}/${path}${query ? `?${query}` : ""}`);
  };

  /** HTTP failures → SYSPRO classes. Writes that may have reached SYSPRO become ambiguous. */
  function mapHttpError(e: HttpError, call: { idempotent: boolean; what: string }): SysproError {
    if (isHttpStatusError(e)) {
      if (e.statusClass === "not_found") {
        return new SysproNotFoundError(
          "enet",
          `${call.what}: HTTP 404, not a SYSPRO e.net endpoint`,
          { cause: e },
        );
      }
      if (e.statusClass === "auth" || e.statusClass === "permission") {
        return new SysproPermissionError("enet", `${call.what}: HTTP ${e.status}`, { cause: e });
      }
      if (e.transient) {
        return !call.idempotent && e.statusClass !== "rate_limited"
          ? new SysproAmbiguousWriteError("server_error", call.what, `HTTP ${e.status}`, {
              cause: e,
            })
          : new SysproTransientError(`${call.what}: HTTP ${e.status}`, { cause: e });
      }
      return new SysproMalformedResponseError(
        "unexpected_status",
        `${call.what}: HTTP ${e.status}`,
        { cause: e },
      );
    }
    if (isHttpTransportError(e)) {
      if (e.kind === "tls") {
        return new SysproTransientError(
          `${call.what}: TLS failure (${e.lowLevelCode ?? "unknown"})`,
          {
            cause: e,
            code: "SYSPRO_TLS",
          },
        );
      }
      if (e.kind === "protocol" || e.kind === "too_large") {
        return new SysproMalformedResponseError("not_http", `${call.what}: ${e.kind}`, {
          cause: e,
        });
      }
      if (!call.idempotent && e.mayHaveBeenSent) {
        const reason = e.kind === "timeout" ? "timeout" : "connection_lost";
        return new SysproAmbiguousWriteError(reason, call.what, e.kind, { cause: e });
      }
      return new SysproTransientError(`${call.what}: ${e.kind}`, { cause: e });
    }
    return new SysproTransientError(`${call.what}: aborted`, { cause: e, code: "SYSPRO_ABORTED" });
  }

  async function send(
    req: {
      url: URL;
      operation: string;
      idempotent: boolean;
      what: string;
      signal?: AbortSignal;
    } & ({ method: "GET" } | { method: "POST"; body: string }),
  ): Promise<string> {
    try {
      const res = await http.request({
        method: req.method,
        url: req.url,
        operation: req.operation,
        idempotent: req.idempotent,
        ...(req.method === "POST"
          ? { body: req.body, headers: { "content-type": "application/xml; charset=utf-8" } }
          : {}),
        ...(req.signal ? { signal: req.signal } : {}),
      });
      return unwrapBody(decodeBody(res.body));
    } catch (e) {
      if (e instanceof SysproMalformedResponseError) {
        throw e;
      }
      throw mapHttpError(e as HttpError, req);
    }
  }

  async function logon(signal?: AbortSignal): Promise<string> {
    const url = urlFor("Logon", {
      Operator: credentials.operator,
      OperatorPassword: credentials.operatorPassword,
      CompanyId: credentials.companyId,
      CompanyPassword: credentials.companyPassword,
    });
    const body = await send({
      method: "GET",
      url,
      operation: "Logon",
      idempotent: true,
      what: "Logon",
      ...(signal ? { signal } : {}),
    });
    if (/^ERROR/i.test(body)) {
      throw classifyLogonError(
        scrub(body, [credentials.operatorPassword, credentials.companyPassword]),
      );
    }
    // Do not validate the format (contract §1.4); refuse only what cannot be a UserId.
    if (body === "" || body.length > 200 || /[\s<>&"]/.test(body)) {
      throw new SysproMalformedResponseError(
        "unexpected_shape",
        body === ""
          ? "Logon returned an empty body"
          : "Logon returned something that is not a UserId",
      );
    }
    return body;
  }

  async function logoff(userId: string, signal?: AbortSignal): Promise<boolean> {
    const body = await send({
      method: "GET",
      url: urlFor("Logoff", { UserId: userId }),
      operation: "Logoff",
      idempotent: true,
      what: "Logoff",
      ...(signal ? { signal } : {}),
    });
    return body === "0";
  }

  async function call(userId: string, c: EnetCall): Promise<EnetReply> {
    const params: Record<string, string> = { UserId: userId };
    if (c.businessObject !== undefined) {
      params.BusinessObject = c.businessObject;
    }
    if (c.xmlParameters !== undefined) {
      params.XmlParameters = c.xmlParameters;
    }
    if (c.xmlIn !== undefined) {
      params.XmlIn = c.xmlIn;
    }
    const url = urlFor(c.method, params);
    const what = c.businessObject ?? c.method;
    const common = { idempotent: c.idempotent, what, ...(c.signal ? { signal: c.signal } : {}) };
    const useLd = c.method === "Transaction/Post" && url.search.length > maxGet;
    const text = useLd
      ? await send({
          ...common,
          method: "POST",
          url: new URL(`${base}/Transaction/PostLD`),
          operation: `Transaction/PostLD:${what}`,
          body: postLdBody(userId, c),
        })
      : await send({
          ...common,
          method: "GET",
          url,
          operation: c.businessObject ? `${c.method}:${c.businessObject}` : c.method,
        });
    return /^ERROR/i.test(text)
      ? { ok: false, errorText: scrub(text, [userId]) }
      : { ok: true, text };
  }

  return { logon, logoff, call };
}

/** The PostLD envelope (contract §1.2). Our XML never contains `]]>` (`>` is always escaped). */
function postLdBody(userId: string, c: EnetCall): string {
  const cdata = (s: string | undefined) =>
    `<![CDATA[${(s ?? "").replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
  return (
    `<TransactionPostLD xmlns="http://SYSPROWcfService">` +
    `<UserId>${escapeXml(userId)}</UserId>` +
    `<BusinessObject>${escapeXml(c.businessObject ?? "")}</BusinessObject>` +
    `<XmlParameters>${cdata(c.xmlParameters)}</XmlParameters>` +
    `<XmlIn>${cdata(c.xmlIn)}</XmlIn>` +
    `</TransactionPostLD>`
  );
}

/** Removes secrets SYSPRO might echo in an error text, so the text is safe in messages and logs. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 3) {
      out = out.replaceAll(secret, "***");
    }
  }
  return out;
}
