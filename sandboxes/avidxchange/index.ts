/**
 * The AvidXchange sandbox: a real HTTP server speaking §9 of the AvidXchange contract (and the parts of
 * §7 it relies on), written from the contract alone. A test double for a system we cannot reach, used
 * by tests, the demo and the benchmarks; never imported by `src/` except the entry point.
 *
 *   const avid = createAvidSandbox({ seed: 7 });
 *   await avid.listen();                      // port 0
 *   avid.tokenUrl;                            // http://127.0.0.1:PORT/token
 *   avid.gatewayUrl;                          // http://127.0.0.1:PORT (resources under /v1)
 *   avid.control.advance(3 * 86_400_000);     // three simulated days of approvals and payments
 *   await avid.close();
 */
import type { AddressInfo } from "node:net";

import { createReferenceCustomer } from "../reference-customer/index.js";
import type { AvidSandboxControl } from "./control.js";
import { createControl } from "./control.js";
import { createControlRoutes } from "./control-routes.js";
import type { AvidSandboxOptions, AvidSeedData, SandboxClient } from "./options.js";
import { resolveOptions } from "./options.js";
import { createSandboxServer } from "./server.js";
import { createWorld } from "./world.js";

export type { AnomalyKind, AnomalyRequest } from "./anomalies.js";
export type { AvidSandboxControl, InvoiceRef, Scope, StateSnapshot } from "./control.js";
export type { InvoicePlan, PaymentPlan } from "./dataset.js";
export type { FaultSpec } from "./faults.js";
export type {
  AvidSandboxOptions,
  AvidSeedData,
  KeyType,
  LifecycleProbabilities,
  PagingVariant,
  RateLimitOptions,
  SandboxClient,
  SandboxCompany,
  Variants,
} from "./options.js";
export {
  DEFAULT_CLIENTS,
  DEFAULT_COMPANIES,
  DEFAULT_COMPANY_ID,
  OTHER_COMPANY_ID,
  SECOND_COMPANY_ID,
} from "./options.js";
export type { RequestLogEntry } from "./request-log.js";
export { isSandboxControlError, SandboxControlError } from "./errors.js";

export interface AvidSandbox {
  /** `http://host:port`; resources live under `${gatewayUrl}/v1`. Valid after `listen()`. */
  readonly gatewayUrl: string;
  /** `${gatewayUrl}/token` (also served at `/oauth2/token`). */
  readonly tokenUrl: string;
  readonly port: number;
  /** Name of the company header (default X-Avid-Company-Id). */
  readonly companyHeader: string;
  /** The configured clients (ids, secrets, key types, granted companies). */
  readonly clients: readonly SandboxClient[];
  listen(port?: number): Promise<{ gatewayUrl: string; tokenUrl: string; port: number }>;
  close(): Promise<void>;
  control: AvidSandboxControl;
}

export function createAvidSandbox(options: AvidSandboxOptions = {}): AvidSandbox {
  const resolved = resolveOptions(options);
  let seedData: AvidSeedData | undefined = options.referenceCustomer;
  const world = createWorld(resolved, () => {
    // The reference customer has its own seed (default 42), shared with the SYSPRO sandbox.
    seedData ??= createReferenceCustomer(options.reference);
    return seedData;
  });

  // In accelerated mode lifecycle events also run between requests, so the demo sees them happen.
  let ticker: NodeJS.Timeout | null = null;
  const onAccelerate = (factor: number): void => {
    if (ticker) {
      clearInterval(ticker);
      ticker = null;
    }
    if (factor > 0) {
      ticker = setInterval(() => world.sync(), 200);
      ticker.unref();
    }
  };
  onAccelerate(world.clock.factor);

  const control = createControl(world, onAccelerate);
  const { server, dispose } = createSandboxServer(
    world,
    resolved.controlRoutes ? createControlRoutes(control) : null,
  );
  let port = 0;

  const url = (): string => {
    if (port === 0) {
      throw new Error("The AvidXchange sandbox is not listening yet: call listen() first");
    }
    return `http://${resolved.host}:${port}`;
  };

  return {
    get gatewayUrl() {
      return url();
    },
    get tokenUrl() {
      return `${url()}/token`;
    },
    get port() {
      return port;
    },
    companyHeader: resolved.companyHeader,
    clients: resolved.clients,
    control,
    listen(requested = 0) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(requested, resolved.host, () => {
          server.off("error", reject);
          port = (server.address() as AddressInfo).port;
          resolve({ gatewayUrl: url(), tokenUrl: `${url()}/token`, port });
        });
      });
    },
    close() {
      onAccelerate(0);
      dispose();
      return new Promise((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets and hang-fault requests would hold close() open forever.
        server.closeAllConnections();
      });
    },
  };
}
