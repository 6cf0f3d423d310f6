/**
 * How the scenario gets a sync run done: queue it exactly as the API does (`triggerSync`), let a
 * graphile-worker run it, and wait for the run to finish. A failed attempt is retried by
 * graphile-worker with exponential backoff (seconds to minutes); the driver brings such a retry
 * forward with the documented `rescheduleJobs`, so a fault costs milliseconds, not minutes. A run
 * whose attempts are all spent is queued again, as an operator would.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { eq } from "drizzle-orm";
import { Logger, makeWorkerUtils, runOnce } from "graphile-worker";
import pg from "pg";

import { createTaskList } from "../../src/jobs/index.js";
import { syncRuns } from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { triggerSync } from "../../src/sync/commands/sync-runs.js";

import type { SyncKind } from "../../src/glossary.js";
import type { E2eWorld } from "./world.js";
import type { WorkerUtils } from "graphile-worker";

export type SyncRunRow = typeof syncRuns.$inferSelect;

export interface SyncDriver {
  /**
   * Runs one sync of `kind` to the end and returns its run. Queues it again (up to `tries` times)
   * while it fails, unless the failure says the kind is not wired yet.
   */
  sync(kind: SyncKind, options?: { force?: boolean }): Promise<SyncRunRow>;
  /** Runs of this driver that finished, in order. */
  readonly runs: readonly SyncRunRow[];
  close(): Promise<void>;
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);
const RUN_TIMEOUT_MS = 60_000;

export const isNotWired = (run: SyncRunRow): boolean =>
  run.state === "failed" && /not available yet/.test(run.error ?? "");

/**
 * A driver over a job-running strategy: `pump` gives the worker a chance to run due jobs (the
 * in-process driver runs them; a driver whose worker lives in a child process just waits).
 */
export async function createDriver(
  world: E2eWorld,
  pump: () => Promise<void>,
  options: { tries?: number; onClose?: () => Promise<void> } = {},
): Promise<SyncDriver & { readonly pool: pg.Pool; readonly utils: WorkerUtils }> {
  const pool = new pg.Pool({ connectionString: world.t.url, max: 2 });
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const utils = await makeWorkerUtils({ pgPool: pool, logger: quietLogger });
  const jobs = createJobQueue();
  const runs: SyncRunRow[] = [];

  const expediteRetries = async (): Promise<void> => {
    const { rows } = await pool.query<{ id: string }>(
      `select id::text from graphile_worker.jobs
        where task_identifier = 'sync:run' and locked_at is null and run_at > now()
          and attempts > 0 and attempts < max_attempts`,
    );
    if (rows.length > 0) {
      await utils.rescheduleJobs(
        rows.map((r) => r.id),
        { runAt: new Date() },
      );
    }
  };

  const waitFor = async (runId: string): Promise<SyncRunRow> => {
    const until = Date.now() + RUN_TIMEOUT_MS;
    while (Date.now() < until) {
      const [run] = await world.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
      if (run && TERMINAL.has(run.state)) {
        return run;
      }
      await expediteRetries();
      await pump();
      await sleep(25);
    }
    throw new Error(`sync run ${runId} did not finish within ${RUN_TIMEOUT_MS} ms`);
  };

  return {
    pool,
    utils,
    runs,
    async sync(kind, syncOptions = {}) {
      let last: SyncRunRow | undefined;
      for (let i = 0; i < (options.tries ?? 4); i++) {
        const { run } = await triggerSync(world.t.db, jobs, {
          connectionId: world.connectionId,
          kind,
          dryRun: false,
          fullResync: false,
          force: syncOptions.force ?? false,
          actor: "e2e",
        });
        last = await waitFor(run.id);
        runs.push(last);
        if (last.state === "succeeded" || isNotWired(last)) {
          return last;
        }
      }
      return last!;
    },
    async close() {
      await options.onClose?.();
      await utils.release();
      await pool.end();
    },
  };
}

const quietLogger = new Logger(() => () => {});

/** Runs due jobs in this process with `runOnce`, one worker, the way the job tests do. */
export async function createInProcessDriver(world: E2eWorld): Promise<SyncDriver> {
  const pool = new pg.Pool({ connectionString: world.t.url, max: 2 });
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const taskList = createTaskList(world.deps);
  return createDriver(
    world,
    () => runOnce({ pgPool: pool, taskList, noHandleSignals: true, logger: quietLogger }),
    { onClose: () => pool.end() },
  );
}
