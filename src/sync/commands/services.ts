import { diagnoseConnection } from "../diagnose-connection.js";
import { createJobQueue } from "./job-queue.js";

import type { Db } from "../../db/client.js";
import type { Logger } from "../../logger.js";
import type { Vault } from "../../secrets/vault.js";
import type { DiagnoseConnection } from "./connections.js";
import type { JobQueue } from "./job-queue.js";
import type { Sql } from "postgres";

/**
 * What the operator commands need besides the database, built once by the composition root and
 * handed to the GraphQL context (`ctx.commands`) or a CLI command.
 */
export interface CommandServices {
  /** Enqueues jobs in the caller's transaction (`createJobQueue()`). */
  readonly jobs: JobQueue;
  /** Encrypts credentials (`setCredentials` is write-only). */
  readonly vault: Vault;
  /** The connection test (`src/sync/diagnose-connection.ts`). */
  readonly diagnose: DiagnoseConnection;
}

/** The production services: graphile-worker's queue, the vault, the real connection test. */
export function createCommandServices(deps: {
  readonly db: Db;
  readonly sql: Sql;
  readonly vault: Vault;
  readonly logger: Logger;
}): CommandServices {
  return {
    jobs: createJobQueue(),
    vault: deps.vault,
    diagnose: (connectionId, signal) => diagnoseConnection(deps, connectionId, signal),
  };
}
