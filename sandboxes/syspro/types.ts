/**
 * Public shapes of the SYSPRO sandbox: options, operators, variants, faults and the request log.
 * Everything here is written from the wire contract (`contracts/syspro.md`); "[I]" marks behaviour the
 * contract could not confirm and the sandbox had to choose.
 */
import type { ReferenceCustomerOptions } from "../reference-customer/index.js";

/** An e.net operator (SYSPRO Operator Maintenance + e.net licence apportionment + OData access). */
export interface OperatorConfig {
  /** Operator code, as sent in Logon's `Operator`. */
  operator: string;
  password: string;
  name: string;
  /** Also accepted as the OData Basic-auth user name (contract §3.2: code or e-mail, unconfirmed). */
  email: string;
  /** False = "No access to Business Objects" on the operator's e.net tab. */
  enetAccess: boolean;
  /**
   * Business objects (e.g. 'APSTIN') or functional areas ('AP', 'GL', 'PO', 'COM') the operator is
   * licensed for; '*' for everything.
   */
  licensed: readonly string[];
  /** The operator's OData password; undefined = not configured for OData. */
  odataPassword?: string;
}

/** A SYSPRO company the operators may log on to. */
export interface CompanyConfig {
  id: string;
  password: string;
  name: string;
}

/** Switches between the response shapes real installs were seen to produce (contract §1.2, §1.5, §3.2). */
export interface Variants {
  /** How every e.net text body (UserId, XmlOut, ERROR text) is wrapped. Default 'plain'. */
  wrapping: "plain" | "json" | "string-element";
  /** XmlOut root of Setup/Transaction objects: 'postapinvoice' or 'PostApInvoice'. Default 'lower'. */
  rootCase: "lower" | "original";
  /** StatusOfItems counters: '000001', '     1' or '1'. Default 'zero'. */
  counters: "zero" | "space" | "plain";
  /** XML declaration of XmlOut. Default 'windows-1252'. */
  declaration: "windows-1252" | "utf-8" | "none";
  /** Emit `@odata.nextLink` when a page is cut short. Default false (the contract could not confirm it). */
  odataNextLink: boolean;
  /** OData date values: '2026-10-01T00:00:00Z' (Edm.DateTimeOffset) or '2026-10-01' (Edm.Date). */
  odataDates: "datetimeoffset" | "date";
}

/** Which calls a fault applies to. Unset fields match anything. */
export interface FaultMatch {
  /** 'enet' calls, 'odata' calls, or both. */
  api?: "enet" | "odata";
  /** e.net operation ('Logon', 'Query/Query', 'Transaction/Post', …) or OData entity set; case-insensitive. */
  operation?: string;
  /** e.net business object, e.g. 'APSTIN'. */
  businessObject?: string;
}

/** What a fault does to the matched response. */
export type FaultKind =
  | { kind: "status"; status: number; body?: string }
  | { kind: "delay"; ms: number }
  | { kind: "hang" }
  | { kind: "reset" }
  | { kind: "malformed-xml" }
  | { kind: "truncated-xml" }
  | { kind: "doctype-xml" }
  | { kind: "error-body"; text?: string }
  | { kind: "broken-next-link"; mode?: "invalid-token" | "same-page" };

/** A fault rule: applied to the next `times` matching calls. */
export type FaultRule = FaultKind &
  FaultMatch & {
    /** How many matching calls it affects; default 1. Infinity for "until cleared". */
    times?: number;
    /**
     * 'before' (default): the call is not executed. 'after': the call runs (a post changes the ledger)
     * and only the response is spoiled — the ambiguous failure a connector must never blindly retry.
     */
    phase?: "before" | "after";
  };

/** One request as the sandbox saw it. Passwords and UserIds are replaced by 'REDACTED'. */
export interface RequestLogEntry {
  seq: number;
  /** Sandbox clock, ISO. */
  at: string;
  api: "enet" | "odata" | "control";
  method: string;
  /** Path without the query string. */
  path: string;
  /** e.net operation ('Transaction/Post') or OData entity set ('ApInvoice'). */
  operation: string;
  businessObject?: string;
  /** Query parameters (e.net: Operator, XmlIn, …; OData: $filter, …), secrets redacted. */
  params: Record<string, string>;
  /** Operator of the session / OData user, when known. */
  operator?: string;
  status: number;
  /** Faults applied to this call. */
  faults: string[];
  /** First line of an `ERROR…` body, when the call answered one. */
  error?: string;
}

/** Options of `createSysproSandbox`. */
export interface SysproSandboxOptions {
  /** 'small' (tests: 12 suppliers, 300 invoices, 40 POs) or 'reference' (demo: 200/8000/1500). Default 'small'. */
  size?: "small" | "reference";
  /** Overrides of the reference-customer generator (seed, invoices up to 1,000,000, …). */
  customer?: ReferenceCustomerOptions;
  /** Replaces the default operators (see DEFAULT_OPERATORS). */
  operators?: OperatorConfig[];
  /** Company password of the seeded company; default 'meridian'. */
  companyPassword?: string;
  /** Idle expiry of e.net sessions on the sandbox clock; default 20 minutes (contract §4.1). */
  sessionIdleMinutes?: number;
  /** Sandbox clock start, ISO; default the morning after the seeded month ('2026-10-31T09:00:00Z'). */
  now?: string;
  /** Freeze the clock (it moves only through control.setClock/advanceClock). Default false. */
  freezeClock?: boolean;
  /** Initial variants. */
  variants?: Partial<Variants>;
  /** Text of the stale/unknown UserId error (contract §1.5: unconfirmed). */
  sessionErrorText?: string;
  /** OData row cap per request; default 5000. */
  odataMaxPageSize?: number;
  /** Host to bind; default '127.0.0.1'. */
  host?: string;
}
