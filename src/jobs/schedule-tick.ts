import { and, asc, eq, inArray, isNull, lte, notExists, notInArray, sql } from "drizzle-orm";

import { withTransaction } from "../db/client.js";
import { connections, schedules, syncRuns } from "../db/schema/index.js";
import { coerceError } from "../errors.js";
import { createJobQueue } from "../sync/commands/job-queue.js";
import { scheduleOfRow } from "../sync/commands/schedules.js";
import { triggerSync } from "../sync/commands/sync-runs.js";
import { nextRunAt } from "../sync/schedules.js";
import { defineTask } from "./define-task.js";
import { scheduleTickPayload } from "./payloads.js";

import type { Db, Tx } from "../db/client.js";
import type { SyncKind } from "../glossary.js";
import type { JobQueue } from "../sync/commands/job-queue.js";
import type { JobDeps } from "./deps.js";
import type { Logger } from "pino";

/** Schedules claimed per transaction: keeps row locks and the transaction short. */
const BATCH_SIZE = 100;

export interface ScheduleTickDeps {
  readonly db: Db;
  readonly jobs: JobQueue;
  readonly logger: Logger;
}

export interface ScheduledRun {
  readonly scheduleId: string;
  readonly connectionId: string;
  readonly kind: SyncKind;
  readonly runId: string;
}

/**
 * Queues a sync run (actor `schedule`) for every schedule due at `now`, and moves each one's next
 * run on. Safe to call from any number of workers at once: a due schedule is claimed with
 * `FOR UPDATE SKIP LOCKED` and its run queued and its next run advanced in the same transaction, so
 * a second tick either skips the row while it is claimed or finds it no longer due.
 *
 * Skipped, and left due so that it runs as soon as it can:
 * - a schedule whose stream already has a live run queued or running. A run slower than its
 *   interval would otherwise pile runs up behind it; the next one starts within a tick of it
 *   finishing and reads from its watermark, so nothing is lost. Dry runs and replays move no
 *   watermark, so they do not count.
 * - the schedules of a paused or disabled connection (a missed run is due once when it resumes).
 */
export async function tickSchedules(deps: ScheduleTickDeps, now: Date): Promise<ScheduledRun[]> {
  const queued: ScheduledRun[] = [];
  const failed: string[] = [];
  for (;;) {
    const claimed = await withTransaction(deps.db, (tx) =>
      tickBatch(tx, deps, now, queued, failed),
    );
    if (claimed < BATCH_SIZE) {
      if (queued.length > 0) {
        deps.logger.info({ runs: queued.length }, "scheduled syncs queued");
      }
      return queued;
    }
  }
}

async function tickBatch(
  tx: Tx,
  deps: ScheduleTickDeps,
  now: Date,
  queued: ScheduledRun[],
  failed: string[],
): Promise<number> {
  const due = await tx
    .select({ schedule: schedules })
    .from(schedules)
    .innerJoin(connections, eq(connections.id, schedules.connectionId))
    .where(
      and(
        eq(schedules.paused, false),
        lte(schedules.nextRunAt, now),
        eq(connections.status, "active"),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(syncRuns)
            .where(
              and(
                eq(syncRuns.connectionId, schedules.connectionId),
                eq(syncRuns.kind, schedules.kind),
                inArray(syncRuns.state, ["queued", "running"]),
                eq(syncRuns.dryRun, false),
                isNull(syncRuns.replayTransactionId),
              ),
            ),
        ),
        // A schedule that failed earlier in this tick would otherwise be claimed again at once.
        failed.length > 0 ? notInArray(schedules.id, failed) : undefined,
      ),
    )
    .orderBy(asc(schedules.nextRunAt))
    .limit(BATCH_SIZE)
    .for("update", { of: schedules, skipLocked: true });

  for (const { schedule } of due) {
    try {
      // A savepoint each: one broken schedule must not hold back the others.
      const run = await withTransaction(tx, async (sp) => {
        // Cron wakes the tick on the minute but the job starts a little after it (later on a busy
        // worker). Counted from `now`, a 1-minute schedule is a few ms short of due on the next
        // tick and runs every other minute; counted from the minute, it runs on every tick.
        const tickMinute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
        const next = nextRunAt(scheduleOfRow(schedule), { lastRunAt: tickMinute, now });
        const { run } = await triggerSync(sp, deps.jobs, {
          connectionId: schedule.connectionId,
          kind: schedule.kind,
          dryRun: false,
          fullResync: false,
          force: false,
          actor: "schedule",
        });
        await sp
          .update(schedules)
          .set({ lastRunAt: now, nextRunAt: next })
          .where(eq(schedules.id, schedule.id));
        return run;
      });
      queued.push({
        scheduleId: schedule.id,
        connectionId: schedule.connectionId,
        kind: schedule.kind,
        runId: run.id,
      });
    } catch (thrown) {
      failed.push(schedule.id);
      deps.logger.error(
        {
          err: coerceError(thrown),
          scheduleId: schedule.id,
          connectionId: schedule.connectionId,
          kind: schedule.kind,
        },
        "could not queue a scheduled sync; the schedule stays due",
      );
    }
  }
  return due.length;
}

/**
 * `schedule:tick` — graphile-worker's cron queues it every minute (src/worker/crontab.ts); it
 * queues the sync runs that are due. Every worker may run it; `tickSchedules` makes that safe.
 */
export const createScheduleTickTask = (
  deps: Pick<JobDeps, "db" | "logger">,
  clock: () => Date = () => new Date(),
) => {
  const jobs = createJobQueue();
  return defineTask("schedule:tick", scheduleTickPayload, deps.logger, async () => {
    await tickSchedules({ db: deps.db, jobs, logger: deps.logger }, clock());
  });
};
