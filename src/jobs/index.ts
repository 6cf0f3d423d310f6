import { instrumentTasks } from "../metrics/instrument-tasks.js";
import { createExceptionRetryTask } from "./exception-retry.js";
import { createPingTask } from "./ping.js";
import { createScheduleTickTask } from "./schedule-tick.js";
import { createSyncRunTask } from "./sync-run.js";
import { createTransactionReplayTask } from "./transaction-replay.js";

import type { JobDeps } from "./deps.js";
import type { TaskList } from "graphile-worker";

/**
 * The only task list (no directory scanning). One entry per task, named by its identifier; each
 * task lives in its own file and validates its payload with a schema (payloads.ts, or the
 * commands' job-payloads.ts for the jobs the operator commands enqueue).
 */
export function createTaskList(deps: JobDeps): TaskList {
  // Job outcomes counted, log lines tagged with the job, for every task alike.
  return instrumentTasks(tasks(deps), deps.metrics);
}

function tasks(deps: JobDeps): TaskList {
  return {
    ping: createPingTask(deps),
    "schedule:tick": createScheduleTickTask(deps),
    "sync:run": createSyncRunTask(deps),
    "transaction:replay": createTransactionReplayTask(deps),
    "exception:retry": createExceptionRetryTask(deps),
  };
}
