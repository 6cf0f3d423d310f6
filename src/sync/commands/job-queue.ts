import { sql } from "drizzle-orm";

import type { Executor } from "../../db/client.js";
import type { SyncKind } from "../../glossary.js";

/**
 * Enqueues graphile-worker jobs in the caller's database transaction.
 *
 * Why not WorkerUtils/quickAddJob: those use their own connection, so a job could be committed (and
 * picked up by a worker) before the `sync_runs` row it names is, or be committed while the row rolls
 * back. `graphile_worker.add_job` is graphile-worker's public SQL API; called on the caller's
 * transaction, the row and its job commit together or not at all, and the worker's NOTIFY is
 * delivered on commit.
 */
export interface JobSpec {
  /** Jobs in one queue run one at a time, in order (see `queueNameFor`). */
  readonly queueName?: string;
  /** At most one pending job per key; adding again replaces its payload (graphile-worker). */
  readonly jobKey?: string;
  readonly runAt?: Date;
  readonly maxAttempts?: number;
  readonly priority?: number;
}

export interface EnqueuedJob {
  /** graphile-worker's job id (a bigint, as a string). */
  readonly id: string;
  readonly taskIdentifier: string;
  readonly queueName: string | null;
  readonly jobKey: string | null;
}

export interface JobQueue {
  add<T extends keyof GraphileWorker.Tasks>(
    executor: Executor,
    identifier: T,
    payload: GraphileWorker.Tasks[T],
    spec?: JobSpec,
  ): Promise<EnqueuedJob>;
}

export interface JobQueueOptions {
  /** graphile-worker's schema (default `graphile_worker`). */
  readonly schema?: string;
}

export function createJobQueue(options: JobQueueOptions = {}): JobQueue {
  const schema = sql.identifier(options.schema ?? "graphile_worker");
  return {
    async add(executor, identifier, payload, spec = {}) {
      const rows = await executor.execute<{
        id: string;
        queue_name: string | null;
        key: string | null;
      }>(sql`
        select j.id::text as id, ${spec.queueName ?? null}::text as queue_name, j.key
        from ${schema}.add_job(
          identifier => ${identifier}::text,
          payload => ${JSON.stringify(payload)}::json,
          queue_name => ${spec.queueName ?? null}::text,
          run_at => ${spec.runAt ?? null}::timestamptz,
          max_attempts => ${spec.maxAttempts ?? null}::int,
          job_key => ${spec.jobKey ?? null}::text,
          priority => ${spec.priority ?? null}::int
        ) as j`);
      const row = rows[0];
      if (!row) {
        throw new Error(`graphile_worker.add_job returned no row for ${identifier}`);
      }
      return {
        id: row.id,
        taskIdentifier: identifier,
        queueName: row.queue_name,
        jobKey: row.key,
      };
    },
  };
}

/**
 * The direction a sync kind moves data: work for one connection and direction is serialised (one
 * graphile-worker queue), different connections and directions run in parallel. Reference data
 * (GenMaster, enterprise codes) shares the queue of invoices, whose mapping it changes.
 */
export const SYNC_DIRECTIONS = {
  suppliers: "to-avidxchange",
  purchase_orders: "to-avidxchange",
  invoices: "to-avidxchange",
  reference_data: "to-avidxchange",
  approvals: "to-syspro",
  payments: "to-syspro",
} as const satisfies Record<SyncKind, string>;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[SyncKind];

/** `conn:<connection id>:<direction>`: the queue every job of that connection and direction uses. */
export function queueNameFor(connectionId: string, kind: SyncKind): string {
  return `conn:${connectionId}:${SYNC_DIRECTIONS[kind]}`;
}
