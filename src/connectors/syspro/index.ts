/**
 * The SYSPRO connector: the only public surface of `connectors/syspro`. Created per connection from
 * the customer's own base URLs, credentials and an undici `Dispatcher`; knows nothing of GraphQL or
 * the database. State shared across processes (the e.net session) arrives as a `SessionStore`.
 *
 * ```ts
 * const syspro = createSysproConnector({ enet, odata, credentials, dispatcher, sessionStore, logger });
 * for await (const page of syspro.odata.apInvoices({ since: "2026-10-01" })) { … }
 * await syspro.enet.postApManualPay(doc, { validateOnly: dryRun });
 * await syspro.close(); // Logoff
 * ```
 */
import type { Dispatcher } from "undici";

import { silentLogger, type Logger } from "../../logger.js";
import { createHttpClient, type HttpClientOptions, type HttpMetric } from "../http.js";
import { diagnose, type SysproDiagnosis } from "./diagnose.js";
import { createEnetClient, type EnetClient } from "./enet-client.js";
import { createEnetSession, type EnetSession } from "./enet-session.js";
import { createEnetTransport } from "./enet-transport.js";
import { createODataClient, type ODataClient } from "./odata-client.js";
import { createSysproReaders, type SysproReaders } from "./odata-readers.js";
import type { SessionStore } from "./session-store.js";

export interface SysproCredentials {
  operator: string;
  /** May be empty (SYSPRO operators without a password). */
  operatorPassword: string;
  companyId: string;
  companyPassword: string;
  odataUser: string;
  odataPassword: string;
}

export interface SysproConnectorOptions {
  /** e.net REST root, e.g. `https://erp.example.com:31002/SYSPROWCFService/Rest`. */
  enet: { baseUrl: string };
  /** OData service root including the company, e.g. `https://erp.example.com/SYSPRO8Odata/SYSPROOData/EDU1`. */
  odata: { baseUrl: string };
  credentials: SysproCredentials;
  dispatcher: Dispatcher;
  sessionStore: SessionStore;
  logger?: Logger;
  clock?: { now(): number };
  options?: SysproTuning;
}

export interface SysproTuning {
  /** Lease key of the shared session. Default: one per e.net URL and operator. */
  sessionKey?: string;
  /** Replace a session idle this long. Default 10 min. */
  idleRefreshMs?: number;
  /** Lease lifetime (renewed during long calls). Default 60 s. */
  leaseTtlMs?: number;
  /** Wait for another worker's call before giving up (`SYSPRO_SESSION_BUSY`). Default 120 s. */
  leaseWaitMs?: number;
  /** `ERROR…` texts meaning "session gone". Default matches session/UserId/logon/expired wordings. */
  sessionLostText?: RegExp;
  /** Encoded query length above which a Post switches to `PostLD`. Default 8192. */
  maxGetQueryBytes?: number;
  /** OData rows per request (≤ 5000). Default 5000. */
  odataPageSize?: number;
  timeouts?: HttpClientOptions["timeouts"];
  retry?: HttpClientOptions["retry"];
  /** Per-attempt HTTP figures (system "syspro-enet" / "syspro-odata"). */
  onMetrics?: (metric: HttpMetric) => void;
  /** Whole-attempt timeout for the connection test. Default 15 s, one attempt. */
  diagnoseTimeoutMs?: number;
}

export interface SysproConnector {
  /** Business objects over the shared e.net session. */
  readonly enet: EnetClient;
  /** Typed OData readers (streams of pages and key lookups). */
  readonly odata: SysproReaders;
  /** Raw OData paging, for tables without a typed reader. */
  readonly odataRaw: ODataClient;
  /** The connection test: one sentence on what is wrong, or "all good" with version and company. */
  diagnose(signal?: AbortSignal): Promise<SysproDiagnosis>;
  /** Logs off the shared session (other processes log on afresh when they next need it). */
  close(signal?: AbortSignal): Promise<void>;
}

export const DEFAULT_SESSION_LOST_TEXT =
  /session|user ?id|guid|not logged|logged (on|off|out)|log ?on|expired|timed? ?out|invalid user/i;

export function createSysproConnector(config: SysproConnectorOptions): SysproConnector {
  const o = config.options ?? {};
  const logger = config.logger ?? silentLogger();
  const now = config.clock ? () => config.clock!.now() : Date.now;
  const { credentials } = config;
  const enetCredentials = {
    operator: credentials.operator,
    operatorPassword: credentials.operatorPassword,
    companyId: credentials.companyId,
    companyPassword: credentials.companyPassword,
  };

  const httpFor = (system: string, extra: Partial<HttpClientOptions> = {}) =>
    createHttpClient({
      dispatcher: config.dispatcher,
      system,
      logger,
      logSafeParams: ["BusinessObject", "$top", "$skip", "$orderby", "$select"],
      now,
      ...(o.timeouts ? { timeouts: o.timeouts } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
      ...(o.onMetrics ? { onMetrics: o.onMetrics } : {}),
      ...extra,
    });

  const sessionFor = (http: ReturnType<typeof createHttpClient>): EnetSession =>
    createEnetSession({
      transport: createEnetTransport({
        http,
        baseUrl: config.enet.baseUrl,
        credentials: enetCredentials,
        ...(o.maxGetQueryBytes ? { maxGetQueryBytes: o.maxGetQueryBytes } : {}),
      }),
      store: config.sessionStore,
      key: o.sessionKey ?? defaultSessionKey(config.enet.baseUrl, credentials.operator),
      companyId: credentials.companyId,
      now,
      idleRefreshMs: o.idleRefreshMs ?? 10 * 60_000,
      leaseTtlMs: o.leaseTtlMs ?? 60_000,
      leaseWaitMs: o.leaseWaitMs ?? 120_000,
      sessionLostText: o.sessionLostText ?? DEFAULT_SESSION_LOST_TEXT,
      logger,
    });

  const odataFor = (http: ReturnType<typeof createHttpClient>) =>
    createODataClient({
      http,
      baseUrl: config.odata.baseUrl,
      user: credentials.odataUser,
      password: credentials.odataPassword,
      ...(o.odataPageSize ? { pageSize: o.odataPageSize } : {}),
    });

  const session = sessionFor(httpFor("syspro-enet"));
  const odataRaw = odataFor(httpFor("syspro-odata"));

  // The connection test fails fast: one attempt, a short deadline, same lease as everyone else.
  const quick = {
    retry: { maxAttempts: 1 },
    timeouts: {
      headersMs: o.diagnoseTimeoutMs ?? 15_000,
      bodyMs: o.diagnoseTimeoutMs ?? 15_000,
      totalMs: o.diagnoseTimeoutMs ?? 15_000,
    },
  };

  return {
    enet: createEnetClient(session),
    odata: createSysproReaders(odataRaw),
    odataRaw,
    diagnose: (signal) =>
      diagnose({
        session: sessionFor(httpFor("syspro-enet", quick)),
        odata: odataFor(httpFor("syspro-odata", quick)),
        ...(signal ? { signal } : {}),
      }),
    close: (signal) => session.close(signal),
  };
}

/** One SYSPRO session per e.net server and operator (a second Logon would kill the first). */
export function defaultSessionKey(enetBaseUrl: string, operator: string): string {
  const url = new URL(enetBaseUrl);
  const path = url.pathname.replace(/\/+$/, "").toLowerCase();
  return `syspro:enet:${url.host.toLowerCase()}${path}:${operator.trim().toUpperCase()}`;
}

export type { SysproDiagnosis, SysproDiagnosisCode } from "./diagnose.js";
export type { EnetClient, CallOptions } from "./enet-client.js";
export type { ODataClient, ODataQuery, ODataRow } from "./odata-client.js";
export { ODATA_ROW_CAP } from "./odata-client.js";
export type { SysproReaders, InvoiceKey, JournalEntryKey, StreamOptions } from "./odata-readers.js";
export { collectAll } from "./odata-readers.js";
export * as odataFilter from "./odata-filter.js";
export type { ODataFilter } from "./odata-filter.js";
export * from "./errors.js";
export * from "./session-store.js";
export type * from "./types.js";
export type { WriteOptions } from "./business-objects/outcome.js";
export type { PostApInvoiceInput, PostApInvoiceOptions } from "./business-objects/apstin.js";
export type { PostGlJournalInput } from "./business-objects/gentjl.js";
export type { PostApManualPayInput } from "./business-objects/apstpm.js";
export type {
  SetupApSupplierAddInput,
  SetupApSupplierUpdateInput,
} from "./business-objects/apsssp.js";
export type { ComfndQuery } from "./business-objects/comfnd.js";
export type { ApSupplierQueryOptions } from "./business-objects/queries.js";
export { sysproCapabilities } from "./capabilities.js";
