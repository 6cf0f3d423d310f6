import { EventEmitter } from "node:events";

import { run } from "graphile-worker";
import pg from "pg";

import { cronItemsFor } from "./crontab.js";
import { toGraphileLogger } from "./graphile-logger.js";
import { startHeartbeat } from "./heartbeat.js";

import type { Runner, TaskList, WorkerEvents } from "graphile-worker";
import type { Logger } from "pino";

export type CreateWorkerOptions = (
  | { readonly connectionString: string; readonly pgPool?: never }
  | { readonly pgPool: pg.Pool; readonly connectionString?: never }
) & {
  readonly taskList: TaskList;
  readonly concurrency: number;
  readonly logger: Logger;
  /** Fallback poll for future-dated jobs and retries; new jobs arrive by LISTEN/NOTIFY. */
  readonly pollIntervalMs?: number;
  /** How often this worker refreshes its `worker_heartbeats` row and sweeps dead ones (15 s). */
  readonly heartbeatIntervalMs?: number;
  /** A worker unseen for this long is dead and its job locks are released (60 s). */
  readonly staleAfterMs?: number;
};

export interface WorkerHandle {
  readonly runner: Runner;
  readonly events: WorkerEvents;
  /** graphile-worker's id for this pool: the `locked_by` of the jobs and queues it holds. */
  readonly workerId: string;
  /** Releases the locks of dead workers now (also done at start and on every heartbeat). */
  sweep(): Promise<string[]>;
  /**
   * Graceful stop: takes no new jobs, lets running ones finish, releases its locks. Idempotent.
   * Jobs still running after `gracefulShutdownAbortTimeout` (5 s) get their abort signal.
   */
  stop(): Promise<void>;
}

/**
 * Starts a graphile-worker pool on the given task list. The schema must already be migrated
 * (`migrate()` does both ours and graphile-worker's). Signals are ours to handle: the composition
 * root calls `stop()`.
 */
export async function createWorker(options: CreateWorkerOptions): Promise<WorkerHandle> {
  const log = options.logger.child({ component: "worker" });
  // With a connection string we own the pool: graphile-worker ends its own pools without waiting,
  // and a connection still open when the database stops would crash the process.
  const ownPool = options.pgPool ? undefined : createPool(options.connectionString, options, log);
  const pgPool = options.pgPool ?? ownPool;
  if (!pgPool) {
    throw new TypeError("createWorker needs connectionString or pgPool");
  }
  // Passed in rather than read from the runner: the pool announces its id before `run` resolves.
  const events: WorkerEvents = new EventEmitter();
  let workerId: string | undefined;
  events.once("pool:create", ({ workerPool }) => {
    workerId = workerPool.id;
  });
  // Attached before `run`: the pool may start listening before the heartbeat below is up.
  events.on("pool:listen:success", () => log.info("worker listening for jobs"));
  const runner = await run({
    events,
    pgPool,
    taskList: options.taskList,
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs ?? 2000,
    noHandleSignals: true,
    // The schedules live in our `schedules` table; cron only wakes them once a minute.
    parsedCronItems: cronItemsFor(options.taskList),
    logger: toGraphileLogger(options.logger),
    // With the default (-1) a job's completion or failure is written without being awaited, so
    // `stop()` could end the pool under it and leave the job locked for hours. Batched (0 ms),
    // those writes are flushed before `stop()` resolves.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  });
  if (workerId === undefined) {
    throw new Error("graphile-worker started without announcing its pool id");
  }
  const heartbeat = await startHeartbeat({
    pgPool,
    workerId,
    intervalMs: options.heartbeatIntervalMs ?? 15_000,
    staleAfterMs: options.staleAfterMs ?? 60_000,
    logger: options.logger,
  }).catch(async (err: unknown) => {
    await runner.stop();
    await ownPool?.end();
    throw err;
  });
  runner.events.on("job:success", ({ job }) =>
    log.debug(
      { jobId: job.id, task: job.task_identifier, attempts: job.attempts },
      "job completed",
    ),
  );
  // A crashed pool would leave a process that looks alive but does nothing.
  runner.promise.catch((err: unknown) => {
    log.error({ err }, "worker stopped unexpectedly");
    // Nothing will run its jobs any more: stop vouching for them so other workers take them over.
    heartbeat.stop().catch(() => {});
  });

  let stopping: Promise<void> | undefined;
  return {
    runner,
    events: runner.events,
    workerId,
    sweep: () => heartbeat.sweep(),
    stop: () =>
      (stopping ??= (async () => {
        await runner.stop();
        // Only after the pool let go of its locks: a row gone early would let a sweep take them.
        await heartbeat
          .stop()
          .catch((err: unknown) => log.warn({ err }, "could not remove the worker heartbeat"));
        await ownPool?.end();
        log.info("worker stopped");
      })()),
  };
}

function createPool(connectionString: string, options: CreateWorkerOptions, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    // One connection per concurrent job, one for LISTEN, one for housekeeping.
    max: options.concurrency + 2,
    application_name: "ml-connector:worker",
  });
  // Idle clients can fail (database restart); log instead of crashing the process.
  pool.on("error", (err) => log.warn({ err }, "idle database connection failed"));
  pool.on("connect", (client) => {
    client.on("error", (err) => log.warn({ err }, "database connection failed"));
  });
  return pool;
}
