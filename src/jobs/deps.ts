import { addLogContext } from "../logger.js";
import { connectorsFor } from "../sync/connectors-for.js";

import type { Config } from "../config.js";
import type { AvidSettingsInput } from "../connectors/avidxchange/settings.js";
import type { SysproTuning } from "../connectors/syspro/index.js";
import type { Db } from "../db/client.js";
import type { Metrics } from "../metrics/registry.js";
import type { Vault } from "../secrets/vault.js";
import type {
  ConnectionConnectors,
  ConnectorCache,
  ConnectorsDeps,
} from "../sync/connectors-for.js";
import type { Logger } from "pino";
import type { Sql } from "postgres";
import type { Dispatcher } from "undici";

/**
 * What tasks are given. The composition root builds it once per worker process; extend it (and
 * `main.ts`) when a task needs something new, rather than reaching for a global.
 */
export interface JobDeps {
  readonly config: Config;
  readonly db: Db;
  readonly sql: Sql;
  readonly vault: Vault;
  readonly logger: Logger;
  /** Connector wiring shared by every sync task (tests shorten timeouts and retries here). */
  readonly connectors?: {
    readonly dispatcher?: Dispatcher;
    readonly sysproTuning?: SysproTuning;
    readonly avidSettings?: AvidSettingsInput;
  };
  /** The process's Prometheus metrics: job outcomes, records moved, remote calls. */
  readonly metrics?: Metrics;
  /**
   * The process's connectors per connection, kept across jobs (the worker's; closed at shutdown).
   * Without it each job builds its own and logs off at the end.
   */
  readonly connectorCache?: ConnectorCache;
}

/** What building connectors needs, from a task's deps: their tuning and the metrics hooks. */
export function connectorsDeps(deps: JobDeps): ConnectorsDeps {
  const { metrics } = deps;
  return {
    db: deps.db,
    sql: deps.sql,
    vault: deps.vault,
    logger: deps.logger,
    ...deps.connectors,
    ...(metrics
      ? {
          onMetrics: (m) => metrics.observeHttp(m),
          onBackoff: (system, ms) => metrics.observeBackoff(system, ms),
        }
      : {}),
  };
}

/**
 * A job's connectors for `connectionId` (cached per process when the deps have a cache); `close()`
 * when done. From here on the job's log lines carry the connection.
 */
export async function connectorsForJob(
  deps: JobDeps,
  connectionId: string,
): Promise<ConnectionConnectors> {
  addLogContext({ connectionId });
  return deps.connectorCache
    ? deps.connectorCache.acquire(connectionId)
    : connectorsFor(connectorsDeps(deps), connectionId);
}
