import { eq, sql } from "drizzle-orm";
import { Agent } from "undici";

import { createPgAvidTokenStore } from "../connector-state/avid-token-cache.js";
import { createPgEnetSessionStore } from "../connector-state/enet-session-lease.js";
import { createPgRateLimiter } from "../connector-state/rate-limiter.js";
import { createAvidConnector, systemClock } from "../connectors/avidxchange/index.js";
import { createSysproConnector } from "../connectors/syspro/index.js";
import { connections, credentials } from "../db/schema/index.js";
import { NotFoundError } from "../errors.js";
import { getCredentials } from "../secrets/credential-store.js";

import type { AvidClock, AvidConnector } from "../connectors/avidxchange/index.js";
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
  /**
   * Each wait before an AvidXchange request (retry backoff, Retry-After, rate-limit pacing). The
   * SYSPRO connector takes no clock, so its retry backoff is not reported here.
   */
  readonly onBackoff?: (system: string, ms: number) => void;
}

export interface ConnectionConnectors {
  readonly connection: ConnectionRow;
  readonly syspro: SysproConnector;
  readonly avid: AvidConnector;
  /**
   * Done with them: logs off e.net and closes an agent made here or, for connectors from a
   * `ConnectorCache`, hands them back to the cache (which logs off when the process stops).
   */
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
    ...(deps.onBackoff ? { clock: reportingClock(deps.onBackoff) } : {}),
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

function reportingClock(onBackoff: (system: string, ms: number) => void): AvidClock {
  return {
    now: systemClock.now,
    sleep: (ms, signal) => {
      try {
        onBackoff("avidxchange", ms);
      } catch {
        // A broken metrics sink must never fail a request.
      }
      return systemClock.sleep(ms, signal);
    },
  };
}

/**
 * One process's connectors, kept per connection across jobs: a SYSPRO operator has one e.net
 * session (shared by every process through the lease), so logging it off after every job would
 * only make the next job log on again. Rebuilt when the connection row or its credentials change.
 */
export interface ConnectorCache {
  /**
   * The connection's connectors; `close()` on the result hands them back. Throws `NotFoundError`
   * for an unknown connection.
   */
  acquire(connectionId: string): Promise<ConnectionConnectors>;
  /** Logs off every session and closes what was made here. Call once nothing is acquired. */
  close(): Promise<void>;
}

interface CacheEntry {
  readonly version: string;
  readonly connectors: Promise<ConnectionConnectors>;
  users: number;
  /** Replaced (settings changed) or the cache closed: closed when the last user hands it back. */
  retired: boolean;
}

export function createConnectorCache(deps: ConnectorsDeps): ConnectorCache {
  const entries = new Map<string, CacheEntry>();
  const closing = new Set<Promise<void>>();
  let closed = false;

  const shut = (entry: CacheEntry): void => {
    const done = entry.connectors
      .then((c) => c.close())
      .catch((err: unknown) => deps.logger.warn({ err }, "closing cached connectors failed"))
      .finally(() => closing.delete(done));
    closing.add(done);
  };
  const retire = (connectionId: string, entry: CacheEntry): void => {
    if (entries.get(connectionId) === entry) {
      entries.delete(connectionId);
    }
    entry.retired = true;
    if (entry.users === 0) {
      shut(entry);
    }
  };

  return {
    async acquire(connectionId) {
      if (closed) {
        throw new Error("the connector cache is closed");
      }
      const version = await connectionVersion(deps.db, connectionId);
      let entry = entries.get(connectionId);
      if (entry && entry.version !== version) {
        retire(connectionId, entry);
        entry = undefined;
      }
      if (!entry) {
        const created: CacheEntry = {
          version,
          connectors: connectorsFor(deps, connectionId),
          users: 0,
          retired: false,
        };
        entry = created;
        entries.set(connectionId, created);
        created.connectors.catch(() => {
          if (entries.get(connectionId) === created) {
            entries.delete(connectionId);
          }
        });
      }
      const current = entry;
      current.users += 1;
      let connectors: ConnectionConnectors;
      try {
        connectors = await current.connectors;
      } catch (err) {
        current.users -= 1;
        throw err;
      }
      let released = false;
      return {
        connection: connectors.connection,
        syspro: connectors.syspro,
        avid: connectors.avid,
        async close() {
          if (released) {
            return;
          }
          released = true;
          current.users -= 1;
          if (current.retired && current.users === 0) {
            shut(current);
          }
        },
      };
    },
    async close() {
      closed = true;
      for (const [connectionId, entry] of [...entries]) {
        retire(connectionId, entry);
      }
      await Promise.all([...closing]);
    },
  };
}

/** What the cached connectors were built from: the row's and its credentials' last change. */
async function connectionVersion(db: Db, connectionId: string): Promise<string> {
  const [row] = await db
    .select({
      updatedAt: sql<string>`${connections.updatedAt}::text`,
      credentialsAt: sql<string | null>`(
        select max(${credentials.updatedAt})::text from ${credentials}
        where ${credentials.connectionId} = ${connectionId})`,
    })
    .from(connections)
    .where(eq(connections.id, connectionId));
  if (!row) {
    throw new NotFoundError("Connection");
  }
  return `${row.updatedAt}|${row.credentialsAt ?? ""}`;
}
