import { eq } from "drizzle-orm";

import { connections } from "../db/schema/index.js";
import { SYNC_KINDS } from "../glossary.js";
import {
  createConnection,
  setConnectionCredentials,
  updateConnection,
} from "../sync/commands/connections.js";
import { createJobQueue } from "../sync/commands/job-queue.js";
import { setSchedule } from "../sync/commands/schedules.js";
import { triggerSync } from "../sync/commands/sync-runs.js";
import { EXAMPLE_QUERIES } from "./example-queries.js";
import { seedDemoMappings } from "./mappings.js";
import { feedPaymentAnomalies } from "./payment-anomalies.js";
import { startDemoSandboxes } from "./sandboxes.js";

import type { Db } from "../db/client.js";
import type { SyncKind } from "../glossary.js";
import type { Logger } from "../logger.js";
import type { Vault } from "../secrets/vault.js";
import type { ConnectionRecord } from "../sync/commands/connections.js";
import type { DemoEndpoints, StartDemoSandboxesOptions } from "./sandboxes.js";

export { EXAMPLE_QUERIES } from "./example-queries.js";
export { DEMO_PAYMENT_ANOMALIES } from "./payment-anomalies.js";

/** The demo connection's name (reused on every start). */
export const DEMO_CONNECTION_NAME = "meridian-demo";
const ACTOR = "demo";

/** Minutes between runs of each sync kind in the demo: quick, so changes show up while you watch. */
const DEMO_SCHEDULE: Record<SyncKind, number> = {
  reference_data: 60,
  suppliers: 5,
  purchase_orders: 5,
  invoices: 2,
  approvals: 1,
  payments: 1,
};

/** Kinds of the first sync, in the order they depend on each other. */
const FIRST_SYNC: readonly SyncKind[] = [
  "reference_data",
  "suppliers",
  "purchase_orders",
  "invoices",
  "approvals",
  "payments",
];

export interface DemoDeps {
  readonly db: Db;
  readonly vault: Vault;
  readonly logger: Logger;
}

export interface Demo {
  readonly connection: ConnectionRecord;
  /** True on the first start (fresh database), false when the connection was reused. */
  readonly created: boolean;
  /** Sync runs queued at start. */
  readonly runIds: readonly string[];
  /** Lines for the start banner: what the demo is and the example queries. */
  readonly banner: readonly string[];
  close(): Promise<void>;
}

/**
 * The demo (SANDBOX mode): both sandboxes seeded as the reference customer, a demo connection
 * pointing at them (created once, then reused and re-pointed at the new ports on each start),
 * credentials stored through the vault, GL mappings and schedules, and a first sync queued so the
 * worker starts moving data at once.
 */
export async function startDemo(
  deps: DemoDeps,
  options: StartDemoSandboxesOptions & {
    readonly firstSync?: boolean;
    /** How often to try injecting the mismatched payments until they are all in. */
    readonly anomalyEveryMs?: number;
  } = {},
): Promise<Demo> {
  const sandboxes = await startDemoSandboxes(options);
  try {
    const { connection, created } = await ensureDemoConnection(deps, sandboxes.endpoints);
    const runIds: string[] = [];
    if (options.firstSync ?? true) {
      const jobs = createJobQueue();
      for (const kind of FIRST_SYNC) {
        const { run } = await triggerSync(deps.db, jobs, {
          connectionId: connection.id,
          kind,
          dryRun: false,
          fullResync: false,
          // The first invoice sync runs before anyone looked at readiness; unmapped lines still
          // become exceptions, which is what the demo wants to show.
          force: true,
          actor: ACTOR,
        });
        runIds.push(run.id);
      }
    }
    const anomalies = feedPaymentAnomalies(sandboxes.avidControl, {
      ...(options.anomalyEveryMs ? { everyMs: options.anomalyEveryMs } : {}),
      onError: (err) => deps.logger.warn({ err }, "demo: injecting a mismatched payment failed"),
    });
    deps.logger.info(
      { connectionId: connection.id, created, runs: runIds.length },
      "demo connection ready",
    );
    return {
      connection,
      created,
      runIds,
      banner: demoBanner(connection, sandboxes.endpoints),
      close: async () => {
        anomalies.stop();
        await sandboxes.close();
      },
    };
  } catch (e) {
    await sandboxes.close();
    throw e;
  }
}

/** Creates the demo connection (with mappings and schedules) or re-points the existing one. */
export async function ensureDemoConnection(
  deps: Pick<DemoDeps, "db" | "vault">,
  e: DemoEndpoints,
): Promise<{ connection: ConnectionRecord; created: boolean }> {
  const endpoints = {
    sysproEnetBaseUrl: e.sysproEnetBaseUrl,
    sysproOdataBaseUrl: e.sysproOdataBaseUrl,
    sysproCompanyId: e.sysproCompanyId,
    sysproOperator: e.sysproOperator,
    sysproOdataUser: e.sysproOdataUser,
    avidBaseUrl: e.avidBaseUrl,
    avidTokenUrl: e.avidTokenUrl,
    avidClientId: e.avidClientId,
    avidCompanyId: e.avidCompanyId,
    avidCompanyHeader: e.avidCompanyHeader,
    // Also on reuse: a demo database from before may name a bank the sandbox does not have.
    bankCode: e.sysproBankCode,
  };
  const [existing] = await deps.db
    .select()
    .from(connections)
    .where(eq(connections.name, DEMO_CONNECTION_NAME));
  let connection: ConnectionRecord;
  let created = false;
  if (existing) {
    // The sandboxes listen on new ports each start.
    connection = await updateConnection(deps.db, { id: existing.id, ...endpoints }, ACTOR);
  } else {
    connection = await createConnection(
      deps.db,
      {
        name: DEMO_CONNECTION_NAME,
        ...endpoints,
        apControlGl: "2000-100",
        bankClearingGl: "1010-100",
      },
      ACTOR,
    );
    created = true;
    await seedDemoMappings(deps.db, connection.id);
    for (const kind of SYNC_KINDS) {
      await setSchedule(deps.db, {
        connectionId: connection.id,
        kind,
        everyMinutes: DEMO_SCHEDULE[kind],
        actor: ACTOR,
      });
    }
  }
  await setConnectionCredentials(
    deps.db,
    deps.vault,
    {
      connectionId: connection.id,
      values: {
        syspro_operator_password: e.sysproOperatorPassword,
        syspro_company_password: e.sysproCompanyPassword,
        syspro_odata_password: e.sysproOdataPassword,
        avid_client_secret: e.avidClientSecret,
      },
      clear: [],
    },
    ACTOR,
  );
  return { connection, created };
}

function demoBanner(connection: ConnectionRecord, e: DemoEndpoints): string[] {
  const indent = (q: string) => q.split("\n").map((l) => `    ${l}`);
  return [
    `  Demo:      connection "${connection.name}" → SYSPRO sandbox ${e.sysproEnetBaseUrl}`,
    `             and AvidXchange sandbox ${e.avidBaseUrl} (company ${e.avidCompanyId})`,
    "             The first sync is running; within a few minutes invoices are approved, paid and",
    "             posted to SYSPRO, and a few mismatched payments are held as exceptions.",
    `  Try:       npm run cli -- sync ${connection.name} invoices    npm run cli -- exceptions list`,
    "  Example queries (paste into GraphiQL):",
    "  # vendors",
    ...indent(EXAMPLE_QUERIES.vendors),
    "  # invoices with approval state",
    ...indent(EXAMPLE_QUERIES.invoicesWithApproval),
    "  # payments posted to SYSPRO",
    ...indent(EXAMPLE_QUERIES.postedPayments),
    "  # open exceptions",
    ...indent(EXAMPLE_QUERIES.openExceptions),
  ];
}
