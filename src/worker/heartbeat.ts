import { hostname } from "node:os";

import type pg from "pg";
import type { Logger } from "pino";

export interface HeartbeatOptions {
  readonly pgPool: pg.Pool;
  /** The graphile-worker pool id: what it writes into `locked_by`. */
  readonly workerId: string;
  readonly intervalMs: number;
  /** A pool unseen for this long is dead: its row goes and its locks are released. */
  readonly staleAfterMs: number;
  readonly logger: Logger;
}

export interface Heartbeat {
  /** Releases dead pools' locks now; resolves to the ids released (empty if another sweep ran). */
  sweep(): Promise<string[]>;
  /** Stops beating and deletes this pool's row (a graceful stop leaves no locks behind). */
  stop(): Promise<void>;
}

// Any constant shared by every worker of this application; two sweeps at once would only repeat
// each other's work, so the second one skips.
const SWEEP_LOCK_KEY = "ml-connector:worker-heartbeats:sweep";

/**
 * Keeps this pool's `worker_heartbeats` row fresh and, at start and on each beat, releases the
 * locks of pools that stopped beating: a SIGKILLed or crashed worker otherwise stalls its jobs'
 * queues (a connection's whole direction) for graphile-worker's 4-hour lock expiry.
 */
export async function startHeartbeat(options: HeartbeatOptions): Promise<Heartbeat> {
  const { pgPool, workerId, logger } = options;
  const log = logger.child({ component: "worker-heartbeat", workerId });
  const beat = () =>
    pgPool.query(
      `insert into worker_heartbeats (worker_id, host, pid) values ($1, $2, $3)
       on conflict (worker_id) do update set last_seen_at = now()`,
      [workerId, hostname(), process.pid],
    );
  const sweep = () => sweepDeadWorkers(pgPool, options.staleAfterMs, workerId, log);

  await beat();
  await sweep();
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    // A slow database must not stack up beats.
    running ??= (async () => {
      try {
        await beat();
        await sweep();
      } catch (err) {
        log.error({ err }, "worker heartbeat failed");
      } finally {
        running = undefined;
      }
    })();
  }, options.intervalMs);
  timer.unref();

  let stopping: Promise<void> | undefined;
  return {
    sweep,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        await running;
        await pgPool.query("delete from worker_heartbeats where worker_id = $1", [workerId]);
      })()),
  };
}

/**
 * Releases every lock held by a dead pool: one whose heartbeat is older than `staleAfterMs`, or
 * one with no heartbeat at all (a worker from before heartbeats, or one that never got its first
 * beat in) whose locks are older than that. Safe to run from any number of workers at once.
 */
export async function sweepDeadWorkers(
  pgPool: pg.Pool,
  staleAfterMs: number,
  selfId: string,
  log: Logger,
): Promise<string[]> {
  const client = await pgPool.connect();
  try {
    await client.query("begin");
    const lock = await client.query<{ acquired: boolean }>(
      "select pg_try_advisory_xact_lock(hashtext($1)) as acquired",
      [SWEEP_LOCK_KEY],
    );
    if (!lock.rows[0]?.acquired) {
      await client.query("rollback");
      return [];
    }
    const dead = await client.query<{ worker_id: string }>(
      `with bound as (select now() - make_interval(secs => $1::double precision / 1000) as at),
       locks as (
         select locked_by, locked_at from graphile_worker._private_jobs where locked_by is not null
         union all
         select locked_by, locked_at from graphile_worker._private_job_queues where locked_by is not null
       )
       select worker_id from worker_heartbeats, bound where last_seen_at < bound.at
       union
       select locked_by from locks, bound
       where locked_at < bound.at
         and not exists (select 1 from worker_heartbeats h where h.worker_id = locks.locked_by)`,
      [staleAfterMs],
    );
    const ids = dead.rows.map((r) => r.worker_id).filter((id) => id !== selfId);
    if (ids.length > 0) {
      // The body of graphile-worker's `forceUnlockWorkers`, in our transaction so the rows and the
      // locks go together.
      await client.query("select graphile_worker.force_unlock_workers($1::text[])", [ids]);
      await client.query("delete from worker_heartbeats where worker_id = any($1::text[])", [ids]);
    }
    await client.query("commit");
    if (ids.length > 0) {
      log.warn({ workerIds: ids }, `released the job locks of dead workers: ${ids.join(", ")}`);
    }
    return ids;
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
