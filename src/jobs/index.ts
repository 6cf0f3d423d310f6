import { createPingTask } from "./ping.js";
import { createSyncRunTask } from "./sync-run.js";

import type { JobDeps } from "./deps.js";
import type { TaskList } from "graphile-worker";

/**
 * The only task list (no directory scanning). One entry per task, named by its identifier; each
 * task lives in its own file and validates its payload with a schema (payloads.ts, or the
 * commands' job-payloads.ts for the jobs the operator commands enqueue).
 */
export function createTaskList(deps: JobDeps): TaskList {
  return {
    ping: createPingTask(deps),
    "sync:run": createSyncRunTask(deps),
  };
}
