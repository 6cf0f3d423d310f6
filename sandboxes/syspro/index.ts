/**
 * The SYSPRO sandbox: a real HTTP server speaking SYSPRO 8's e.net REST endpoint (Business Objects as
 * XML over GET query strings) and its OData service, with state in memory seeded from the reference
 * customer. Written from `contracts/syspro.md` only; it shares no code with the connector.
 *
 * @example
 * const sandbox = createSysproSandbox({ size: "small", freezeClock: true });
 * await sandbox.listen(); // port 0
 * // sandbox.url      → http://127.0.0.1:PORT/SYSPROWCFService/Rest
 * // sandbox.odataUrl → http://127.0.0.1:PORT/SYSPRO8Odata/SYSPROOData/MED1
 * sandbox.control.addFault({ kind: "status", status: 503, operation: "Transaction/Post" });
 * await sandbox.close();
 */
import type { AddressInfo } from "node:net";

import { createReferenceCustomer, SMALL_FIXTURE } from "../reference-customer/index.js";
import { createClock } from "./clock.js";
import { createControl } from "./control.js";
import type { SysproControl } from "./control.js";
import { createSessions } from "./enet/sessions.js";
import { createFaults } from "./faults.js";
import { credentialsOf, DEFAULT_COMPANY_PASSWORD, DEFAULT_OPERATORS } from "./operators.js";
import type { SysproSandboxCredentials } from "./operators.js";
import { createRequestLog } from "./request-log.js";
import { createSandboxServer, ENET_BASE_PATH, ODATA_BASE_PATH } from "./server.js";
import { createState } from "./state.js";
import type { SysproState } from "./state.js";
import type { CompanyConfig, SysproSandboxOptions, Variants } from "./types.js";

export type * from "./types.js";
export type {
  AddInvoiceInput,
  AddPurchaseOrderInput,
  StateSnapshot,
  SysproControl,
} from "./control.js";
export { isSandboxControlError, SandboxControlError } from "./control.js";
export { DEFAULT_COMPANY_PASSWORD, DEFAULT_OPERATORS } from "./operators.js";
export type { SysproSandboxCredentials } from "./operators.js";

export const DEFAULT_VARIANTS: Variants = {
  wrapping: "plain",
  rootCase: "lower",
  counters: "zero",
  declaration: "windows-1252",
  odataNextLink: false,
  odataDates: "datetimeoffset",
};

export const DEFAULT_SESSION_ERROR =
  "ERROR: Invalid UserId - the session has expired or was logged off";

export interface SysproSandbox {
  /** e.net REST base, e.g. http://127.0.0.1:4101/SYSPROWCFService/Rest (throws before listen). */
  readonly url: string;
  /** OData company root, e.g. http://127.0.0.1:4101/SYSPRO8Odata/SYSPROOData/MED1 (throws before listen). */
  readonly odataUrl: string;
  /** Credentials of the connector's seeded operator (MLCONNECT) and company. */
  readonly credentials: SysproSandboxCredentials;
  readonly control: SysproControl;
  /** The in-memory state, for in-process assertions. */
  readonly state: SysproState;
  /** Starts listening (port 0 = any free port); resolves with the URLs. */
  listen(port?: number): Promise<{ url: string; odataUrl: string }>;
  /** Stops the server, dropping hung connections and pending delays. */
  close(): Promise<void>;
}

/** Creates a SYSPRO sandbox. Nothing listens until `listen()`. */
export function createSysproSandbox(options: SysproSandboxOptions = {}): SysproSandbox {
  const customer = createReferenceCustomer({
    ...(options.size === "reference" ? {} : SMALL_FIXTURE),
    ...options.customer,
  });
  const { startDate, days } = customer.options;
  const defaultStart = new Date(
    Date.parse(`${startDate}T09:00:00Z`) + days * 86_400_000,
  ).toISOString();
  const initialClock = options.now ?? defaultStart;
  const clock = createClock(initialClock, options.freezeClock ?? false);
  const company: CompanyConfig = {
    id: customer.company.id,
    password: options.companyPassword ?? DEFAULT_COMPANY_PASSWORD,
    name: customer.company.name,
  };
  const operators = options.operators ?? DEFAULT_OPERATORS;
  const initialVariants: Variants = { ...DEFAULT_VARIANTS, ...options.variants };
  let variants = { ...initialVariants };
  const state = createState(customer, company, clock);
  const sessions = createSessions({
    clock,
    operators: () => operators,
    companies: () => [company],
    idleMinutes: options.sessionIdleMinutes ?? 20,
  });
  const faults = createFaults();
  const log = createRequestLog();
  const control = createControl({
    state,
    sessions,
    faults,
    log,
    getVariants: () => variants,
    setVariants: (v) => {
      variants = v;
    },
    initialVariants,
    initialClock,
  });
  let origin: string | undefined;
  const requireOrigin = (): string => {
    if (origin === undefined) {
      throw new Error("The SYSPRO sandbox is not listening yet");
    }
    return origin;
  };
  const http = createSandboxServer({
    enet: {
      state,
      sessions,
      variants: () => variants,
      sessionErrorText: () => options.sessionErrorText ?? DEFAULT_SESSION_ERROR,
    },
    odata: {
      state,
      operators: () => operators,
      companies: () => [company],
      variants: () => variants,
      maxPageSize: options.odataMaxPageSize ?? 5000,
      base: () => `${requireOrigin()}${ODATA_BASE_PATH}`,
    },
    control,
    faults,
    log,
    clock,
    variants: () => variants,
  });
  const connector =
    operators.find((o) => o.odataPassword !== undefined && o.enetAccess) ?? operators[0]!;

  return {
    get url() {
      return `${requireOrigin()}${ENET_BASE_PATH}`;
    },
    get odataUrl() {
      return `${requireOrigin()}${ODATA_BASE_PATH}/${company.id}`;
    },
    credentials: credentialsOf(connector, company),
    control,
    state,
    listen(port = 0) {
      const host = options.host ?? "127.0.0.1";
      return new Promise((resolve, reject) => {
        http.server.once("error", reject);
        http.server.listen(port, host, () => {
          http.server.off("error", reject);
          const address = http.server.address() as AddressInfo;
          origin = `http://${host}:${address.port}`;
          resolve({
            url: `${origin}${ENET_BASE_PATH}`,
            odataUrl: `${origin}${ODATA_BASE_PATH}/${company.id}`,
          });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!http.server.listening) {
          resolve();
          return;
        }
        http.server.close((err) => (err === undefined ? resolve() : reject(err)));
        http.shutdown();
      });
    },
  };
}
