/**
 * The e.net REST endpoint (contract §1.3, §5 checklist): every call is a GET with URL-encoded values in
 * the query string, except POST Transaction/PostLD; paths match case-insensitively; logon, session and
 * document errors are `ERROR: …` text at HTTP 200. Returns the unwrapped text; the server applies the
 * wrapping variant and faults.
 */
import { XMLParser } from "fast-xml-parser";

import type { SupplierAction } from "../ledger/supplier.js";
import type { SysproState } from "../state.js";
import type { Variants } from "../types.js";
import { document, el, ROOT_ATTRIBUTES } from "../xml-out.js";
import { businessObject, isLicensed } from "./objects/index.js";
import type { ObjectCall } from "./objects/index.js";
import { isEnetError } from "./objects/common.js";
import type { Sessions } from "./sessions.js";

export const SYSPRO_VERSION = "8.0.161";

const OPERATIONS: Record<
  string,
  { name: string; method: "GET" | "POST"; call?: ObjectCall; setup?: SupplierAction }
> = {
  logon: { name: "Logon", method: "GET" },
  logoff: { name: "Logoff", method: "GET" },
  getlogonprofile: { name: "GetLogonProfile", method: "GET" },
  getversion: { name: "GetVersion", method: "GET" },
  "query/query": { name: "Query/Query", method: "GET", call: "query" },
  "query/browse": { name: "Query/Browse", method: "GET", call: "browse" },
  "query/fetch": { name: "Query/Fetch", method: "GET", call: "fetch" },
  "transaction/post": { name: "Transaction/Post", method: "GET", call: "transaction" },
  "transaction/postld": { name: "Transaction/PostLD", method: "POST", call: "transaction" },
  "setup/add": { name: "Setup/Add", method: "GET", call: "setup", setup: "add" },
  "setup/update": { name: "Setup/Update", method: "GET", call: "setup", setup: "update" },
  "setup/delete": { name: "Setup/Delete", method: "GET", call: "setup", setup: "delete" },
};

export interface EnetRequest {
  /** Canonical operation name, or the raw path when unknown. */
  operation: string;
  known: boolean;
  methodAllowed: boolean;
  businessObject?: string;
  /** Parameters by lower-cased name. */
  params: Map<string, string>;
  /** Parameters as sent (original names), for the request log. */
  rawParams: Record<string, string>;
}

export interface EnetResponse {
  status: number;
  text: string;
  /** True when `text` is an XmlOut document (XML faults may spoil it). */
  xml: boolean;
  operator?: string;
}

const ldParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  removeNSPrefix: true,
  processEntities: true,
});

/** Reads the operation and parameters of a call (PostLD: from its XML body). */
export function parseEnetRequest(
  method: string,
  subPath: string,
  query: URLSearchParams,
  body: string,
): EnetRequest {
  const key = subPath.replace(/^\/+|\/+$/g, "").toLowerCase();
  const op = OPERATIONS[key];
  const params = new Map<string, string>();
  const rawParams: Record<string, string> = {};
  for (const [k, v] of query) {
    if (!params.has(k.toLowerCase())) {
      params.set(k.toLowerCase(), v);
      rawParams[k] = v;
    }
  }
  if (op?.name === "Transaction/PostLD" && body.trim() !== "") {
    try {
      const parsed = ldParser.parse(body) as Record<string, Record<string, unknown>>;
      const root = parsed.TransactionPostLD ?? {};
      for (const name of ["UserId", "BusinessObject", "XmlParameters", "XmlIn"]) {
        const v = root[name];
        if (typeof v === "string") {
          params.set(name.toLowerCase(), v);
          rawParams[name] = v;
        }
      }
    } catch {
      // An unreadable body is answered below as a missing UserId.
    }
  }
  const bo = params.get("businessobject");
  return {
    operation: op?.name ?? subPath,
    known: op !== undefined,
    methodAllowed: op === undefined || op.method === method.toUpperCase(),
    ...(bo === undefined ? {} : { businessObject: bo.trim().toUpperCase() }),
    params,
    rawParams,
  };
}

export interface EnetDeps {
  state: SysproState;
  sessions: Sessions;
  variants: () => Variants;
  sessionErrorText: () => string;
}

function plain(text: string, operator?: string): EnetResponse {
  return operator === undefined
    ? { status: 200, text, xml: false }
    : { status: 200, text, xml: false, operator };
}

/** Runs a parsed call. */
export function executeEnet(deps: EnetDeps, req: EnetRequest): EnetResponse {
  if (!req.known) {
    return { status: 404, text: "Endpoint not found.", xml: false };
  }
  if (!req.methodAllowed) {
    return { status: 405, text: "Method not allowed.", xml: false };
  }
  const p = (name: string): string => req.params.get(name.toLowerCase()) ?? "";
  const op = OPERATIONS[req.operation.toLowerCase()]!;
  switch (op.name) {
    case "GetVersion":
      return plain(SYSPRO_VERSION);
    case "Logon": {
      const r = deps.sessions.logon(
        p("Operator"),
        p("OperatorPassword"),
        p("CompanyId"),
        p("CompanyPassword"),
      );
      return r.ok ? plain(r.session.userId, r.session.operator.operator) : plain(r.error);
    }
    case "Logoff":
      return deps.sessions.logoff(p("UserId")) ? plain("0") : plain(deps.sessionErrorText());
  }
  const resolved = deps.sessions.resolve(p("UserId"));
  if (!resolved.ok) {
    return plain(deps.sessionErrorText());
  }
  const { session } = resolved;
  const operator = session.operator.operator;
  const variants = deps.variants();
  if (op.name === "GetLogonProfile") {
    const today = deps.state.clock.today();
    const profile = el(
      "LogonProfile",
      [
        el("CompanyId", session.company.id),
        el("CompanyName", session.company.name),
        el("OperatorCode", operator),
        el("OperatorName", session.operator.name),
        el("OperatorEmail", session.operator.email),
        el("AccountingDate", today),
        el("CompanyDate", today),
        el("DefaultApBranch", "10"),
        el("DefaultBank", "FB"),
        el("LocalCurrencyCode", deps.state.customer.company.currency),
        el("SysproVersion", SYSPRO_VERSION),
        el("EnetVersion", SYSPRO_VERSION),
      ],
      ROOT_ATTRIBUTES,
    );
    return { status: 200, text: document(profile, variants), xml: true, operator };
  }
  const bo = businessObject(p("BusinessObject"));
  if (bo === undefined) {
    return plain(`ERROR: Business object '${p("BusinessObject").trim()}' not found`, operator);
  }
  if (bo.call !== op.call) {
    return plain(`ERROR: Business object ${bo.name} cannot be called through ${op.name}`, operator);
  }
  if (!isLicensed(session.operator.licensed, bo)) {
    return plain(
      `ERROR: Operator '${operator}' is not licensed for functional area '${bo.area}' required by business object ${bo.name}`,
      operator,
    );
  }
  try {
    const text = bo.run(
      { state: deps.state, session, variants },
      {
        xmlIn: p("XmlIn"),
        xmlParameters: p("XmlParameters"),
        ...(op.setup === undefined ? {} : { setupAction: op.setup }),
      },
    );
    return { status: 200, text, xml: true, operator };
  } catch (e) {
    if (isEnetError(e)) {
      return plain(`ERROR: ${e.message}`, operator);
    }
    throw e;
  }
}

const SECRET_PARAMS = new Set(["operatorpassword", "companypassword", "userid"]);

/** Request-log view of the parameters: passwords, UserIds and password elements inside XML redacted. */
export function redactEnetParams(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (SECRET_PARAMS.has(k.toLowerCase())) {
      out[k] = "REDACTED";
    } else if (k.toLowerCase() === "xmlin" || k.toLowerCase() === "xmlparameters") {
      out[k] = v.replace(/<([A-Za-z]*Password[A-Za-z]*)>[^<]*<\/\1>/gi, "<$1>REDACTED</$1>");
    } else {
      out[k] = v;
    }
  }
  return out;
}
