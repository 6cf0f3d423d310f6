import { eq } from "drizzle-orm";
import { Agent } from "undici";

import { createPgAvidTokenStore } from "../connector-state/avid-token-cache.js";
import { createPgEnetSessionStore } from "../connector-state/enet-session-lease.js";
import { createPgRateLimiter } from "../connector-state/rate-limiter.js";
import { createAvidConnector } from "../connectors/avidxchange/index.js";
import { createSysproConnector } from "../connectors/syspro/index.js";
import { connections } from "../db/schema/index.js";
import { NotFoundError } from "../errors.js";
import { getCredentials } from "../secrets/credential-store.js";

import type { AvidConnector } from "../connectors/avidxchange/index.js";
import type { AvidSettingsInput } from "../connectors/avidxchange/settings.js";
import type { HttpMetric } from "../connectors/http.js";
import type { SysproConnector, SysproTuning } from "../connectors/syspro/index.js";
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import type { Vault } from "../secrets/vault.js";
import type { Sql } from "postgres";
import type { Dispatcher } from "undici";

export type ConnectionRow = typeof connections.$inferSelect;

/** What building a connection's connectors needs; tests add tuning (short timeouts, fewer retries). */
export interface ConnectorsDeps {
  readonly db: Db;
  readonly sql: Sql;
  readonly vault: Vault;
  readonly logger: Logger;
  /** Shared HTTP agent; one is made (and closed with the connectors) when absent. */
  readonly dispatcher?: Dispatcher;
  readonly sysproTuning?: SysproTuning;
  readonly avidSettings?: AvidSettingsInput;
  /** The connectors' per-attempt HTTP metrics hook (src/metrics). */
  readonly onMetrics?: (metric: HttpMetric) => void;
}

export interface ConnectionConnectors {
  readonly connection: ConnectionRow;
  readonly syspro: SysproConnector;
  readonly avid: AvidConnector;
  /** Logs off e.net and closes an agent made here. */
  close(): Promise<void>;
}

/**
 * The one factory that turns a connection row and its decrypted credentials into both connectors,
 * wired to the Postgres-backed shared state (e.net session lease, token cache, rate limiter), so
 * every worker process shares one SYSPRO licence and one AvidXchange token per connection.
 */
export async function connectorsFor(
  deps: ConnectorsDeps,
  connectionId: string,
): Promise<ConnectionConnectors> {
  const [connection] = await deps.db
    .select()
    .from(connections)
    .where(eq(connections.id, connectionId));
  if (!connection) {
    throw new NotFoundError("Connection");
  }
  const secrets = await getCredentials(deps.db, deps.vault, connectionId);
  const ownAgent = deps.dispatcher ? undefined : new Agent({ connect: { timeout: 10_000 } });
  const dispatcher = deps.dispatcher ?? ownAgent!;
  const logger = deps.logger.child({ connectionId });

  const syspro = createSysproConnector({
    enet: { baseUrl: connection.sysproEnetBaseUrl },
    odata: { baseUrl: connection.sysproOdataBaseUrl },
    credentials: {
      operator: connection.sysproOperator,
      operatorPassword: secrets.syspro_operator_password ?? "",
      companyId: connection.sysproCompanyId,
      companyPassword: secrets.syspro_company_password ?? "",
      odataUser: connection.sysproOdataUser,
      odataPassword: secrets.syspro_odata_password ?? "",
    },
    dispatcher,
    sessionStore: createPgEnetSessionStore({ sql: deps.sql, vault: deps.vault, connectionId }),
    logger,
    ...(deps.sysproTuning || deps.onMetrics
      ? {
          options: {
            ...deps.sysproTuning,
            ...(deps.onMetrics ? { onMetrics: deps.onMetrics } : {}),
          },
        }
      : {}),
  });
  const avid = createAvidConnector({
    gatewayUrl: connection.avidBaseUrl,
    tokenUrl: connection.avidTokenUrl,
    clientId: connection.avidClientId,
    clientSecret: secrets.avid_client_secret ?? "",
    companyId: connection.avidCompanyId,
    companyHeader: connection.avidCompanyHeader,
    dispatcher,
    tokenStore: createPgAvidTokenStore({ db: deps.db, vault: deps.vault, connectionId }),
    rateLimiter: createPgRateLimiter({ db: deps.db }),
    logger,
    options: deps.avidSettings,
    onMetrics: deps.onMetrics,
  });
  return {
    connection,
    syspro,
    avid,
    async close() {
      try {
        await syspro.close();
      } catch (err) {
        logger.warn({ err }, "SYSPRO logoff failed");
      }
      await ownAgent?.close();
    },
  };
}
