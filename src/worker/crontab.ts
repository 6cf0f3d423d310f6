import { parseCronItems } from "graphile-worker";

import type { ParsedCronItem, TaskList } from "graphile-worker";

/** The task that turns the `schedules` table into queued sync runs (src/jobs/schedule-tick.ts). */
export const SCHEDULE_TICK_TASK = "schedule:tick";

/**
 * graphile-worker's cron queues one `schedule:tick` a minute for the whole cluster: every worker
 * runs the same crontab, and its `known_crontabs` bookkeeping lets only one of them queue each
 * minute's job. The schedules themselves live in the database, so changing one needs no restart.
 *
 * A worker whose task list lacks the tick (a test, a narrow role) gets no cron: it would queue jobs
 * it cannot run.
 */
export function cronItemsFor(taskList: TaskList): ParsedCronItem[] {
  if (!Object.hasOwn(taskList, SCHEDULE_TICK_TASK)) {
    return [];
  }
  return parseCronItems([
    {
      task: SCHEDULE_TICK_TASK,
      match: "* * * * *",
      identifier: SCHEDULE_TICK_TASK,
      options: {
        // Missed minutes are not replayed: one tick finds everything that fell due meanwhile.
        backfillPeriod: 0,
        // A failed tick is made good by the next one; retrying it as well would only pile up.
        maxAttempts: 1,
        // One row, replaced each minute, instead of a permanently failed job per failed minute.
        jobKey: SCHEDULE_TICK_TASK,
      },
    },
  ]);
}
