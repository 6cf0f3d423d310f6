/**
 * Both sandboxes on port 0, a test database, a connection pointing at them with its credentials
 * stored encrypted, and a way to run queued jobs once through graphile-worker against that
 * database. Connector retries and timeouts are short so fault tests stay fast.
 */
import { randomBytes } from "node:crypto";

import { Logger, runOnce } from "graphile-worker";
import pg from "pg";
import { Agent } from "undici";

import { createAvidSandbox } from "../../sandboxes/avidxchange/index.js";
import { createSysproSandbox } from "../../sandboxes/syspro/index.js";
import { createTaskList } from "../../src/jobs/index.js";
import { connections } from "../../src/db/schema/index.js";
import { silentLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/metrics/registry.js";
import { setCredentials } from "../../src/secrets/credential-store.js";
import { createVault } from "../../src/secrets/vault.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { triggerSync } from "../../src/sync/commands/sync-runs.js";
import { createTestDatabase } from "../setup/db.js";

const quietLogger = new Logger(() => () => {});

import type { AvidSandbox } from "../../sandboxes/avidxchange/index.js";
import type { SysproSandbox } from "../../sandboxes/syspro/index.js";
import type { Config } from "../../src/config.js";
import type { JobDeps } from "../../src/jobs/deps.js";
import type { SyncKind } from "../../src/glossary.js";
import type { TestDatabase } from "../setup/db.js";

export interface SyncHarness {
  readonly t: TestDatabase;
  readonly syspro: SysproSandbox;
  readonly avid: AvidSandbox;
  readonly connectionId: string;
  readonly deps: JobDeps;
  /** Queues a sync run of `kind` and works the queue until it is empty; returns the run id. */
  sync(kind: SyncKind): Promise<string>;
  /** Works every job that is due until none is left. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function startSyncHarness(): Promise<SyncHarness> {
  const t = await createTestDatabase();
  const syspro = createSysproSandbox({ freezeClock: true });
  const avid = createAvidSandbox({ rateLimit: false });
  await syspro.listen(0);
  await avid.listen(0);
  const vault = createVault({ keys: [{ id: "k1", key: randomBytes(32) }], currentKeyId: "k1" });
  const client = avid.clients[0]!;
  const [connection] = await t.db
    .insert(connections)
    .values({
      name: "sandbox",
      sysproEnetBaseUrl: syspro.url,
      sysproOdataBaseUrl: syspro.odataUrl,
      sysproCompanyId: syspro.credentials.companyId,
      sysproOperator: syspro.credentials.operator,
      sysproOdataUser: syspro.credentials.odataUser,
      avidBaseUrl: avid.gatewayUrl,
      avidTokenUrl: avid.tokenUrl,
      avidClientId: client.clientId,
      avidCompanyId: "10001",
    })
    .returning();
  const connectionId = connection!.id;
  await setCredentials(t.db, vault, connectionId, {
    syspro_operator_password: syspro.credentials.operatorPassword,
    syspro_company_password: syspro.credentials.companyPassword,
    syspro_odata_password: syspro.credentials.odataPassword,
    avid_client_secret: client.clientSecret,
  });
  const dispatcher = new Agent({ connect: { timeout: 2_000 } });
  const deps: JobDeps = {
    config: {} as Config,
    db: t.db,
    sql: t.sql,
    vault,
    logger: silentLogger(),
    metrics: createMetrics({ processMetrics: false }),
    connectors: {
      dispatcher,
      sysproTuning: {
        retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
        timeouts: { headersMs: 2_000, bodyMs: 2_000, totalMs: 3_000 },
        leaseWaitMs: 5_000,
      },
      avidSettings: {
        retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1_000 },
        timeouts: { headersMs: 2_000, bodyMs: 2_000, totalMs: 3_000 },
      },
    },
  };
  const pool = new pg.Pool({ connectionString: t.url, max: 2 });
  // graphile-worker warns about (and patches) a pool without both of these listeners.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const taskList = createTaskList(deps);
  const jobs = createJobQueue();

  const drain = async () => {
    for (let i = 0; i < 50; i++) {
      const { rows } = await pool.query<{ n: string }>(
        "select count(*)::text as n from graphile_worker.jobs where locked_at is null and run_at <= now() and attempts < max_attempts",
      );
      if (rows[0]?.n === "0") {
        return;
      }
      await runOnce({ pgPool: pool, taskList, noHandleSignals: true, logger: quietLogger });
    }
    throw new Error("the job queue did not drain");
  };

  return {
    t,
    syspro,
    avid,
    connectionId,
    deps,
    drain,
    async sync(kind) {
      const { run } = await triggerSync(t.db, jobs, {
        connectionId,
        kind,
        dryRun: false,
        fullResync: false,
        force: false,
        actor: "test",
      });
      await drain();
      return run.id;
    },
    async close() {
      await pool.end();
      await dispatcher.close();
      await Promise.all([syspro.close(), avid.close()]);
      await t.close();
    },
  };
}
