/**
 * An api process for the cross-process tests: a test database, both sandboxes on port 0, a
 * connection pointing at them with credentials sealed by a vault key a worker process can be
 * given, the real schema behind `createYoga` with the real job queue, and the HTTP server
 * (SSE and graphql-ws) listening on port 0. No worker runs here.
 */
import { randomBytes } from "node:crypto";

import { createAvidSandbox } from "../../sandboxes/avidxchange/index.js";
import { createSysproSandbox } from "../../sandboxes/syspro/index.js";
import { authenticateApiKey, issueApiKey } from "../../src/auth/api-keys.js";
import { connections } from "../../src/db/schema/index.js";
import { createPgPubSub } from "../../src/events/pubsub.js";
import { schema } from "../../src/schema/index.js";
import { setCredentials } from "../../src/secrets/credential-store.js";
import { createVault } from "../../src/secrets/vault.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { createHttpServer } from "../../src/server/http.js";
import { createYoga } from "../../src/server/yoga.js";
import { createTestDatabase } from "../setup/db.js";
import { captureLogs } from "./harness.js";

import type { AvidSandbox } from "../../sandboxes/avidxchange/index.js";
import type { SysproSandbox } from "../../sandboxes/syspro/index.js";
import type { PgPubSub } from "../../src/events/pubsub.js";
import type { TestDatabase } from "../setup/db.js";
import type { SyncWorkerArgs } from "./fixtures/sync-worker.js";
import type { CapturedLogs } from "./harness.js";

export interface SandboxedApi {
  readonly database: TestDatabase;
  readonly syspro: SysproSandbox;
  readonly avid: AvidSandbox;
  readonly events: PgPubSub;
  readonly logs: CapturedLogs;
  /** The GraphQL URL, e.g. `http://127.0.0.1:PORT/graphql`. */
  readonly url: string;
  readonly connectionId: string;
  readonly keys: { readonly viewer: string; readonly operator: string };
  /** What a worker process needs to run this api's jobs. */
  readonly workerArgs: SyncWorkerArgs;
  close(): Promise<void>;
}

export async function startSandboxedApi(): Promise<SandboxedApi> {
  const database = await createTestDatabase();
  const syspro = createSysproSandbox({ freezeClock: true });
  const avid = createAvidSandbox({ rateLimit: false });
  await syspro.listen(0);
  await avid.listen(0);
  const key = { id: "cross-process", key: randomBytes(32) };
  const vault = createVault({ keys: [key], currentKeyId: key.id });
  const client = avid.clients[0]!;
  const [connection] = await database.db
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
  await setCredentials(database.db, vault, connectionId, {
    syspro_operator_password: syspro.credentials.operatorPassword,
    syspro_company_password: syspro.credentials.companyPassword,
    syspro_odata_password: syspro.credentials.odataPassword,
    avid_client_secret: client.clientSecret,
  });

  const logs = captureLogs();
  const events = createPgPubSub({ sql: database.sql, logger: logs.logger });
  await events.ready;
  const yoga = createYoga({
    schema,
    deps: {
      db: database.db,
      sql: database.sql,
      pubsub: events.pubsub,
      logger: logs.logger,
      commands: {
        jobs: createJobQueue(),
        vault,
        diagnose: () => Promise.reject(new Error("no connection test in this api")),
      },
    },
  });
  const server = createHttpServer({
    yoga,
    authenticate: (apiKey) => authenticateApiKey(database.db, apiKey),
    logger: logs.logger,
  });
  const url = await server.listen(0);
  const issue = async (role: "viewer" | "operator") =>
    (await issueApiKey(database.db, { name: `cross-${role}`, role })).key;
  const keys = { viewer: await issue("viewer"), operator: await issue("operator") };

  return {
    database,
    syspro,
    avid,
    events,
    logs,
    url,
    connectionId,
    keys,
    workerArgs: { dbUrl: database.url, keyHex: key.key.toString("hex"), keyId: key.id },
    async close() {
      await server.close();
      await events.close();
      await Promise.all([syspro.close(), avid.close()]);
      await database.close();
    },
  };
}
