import { createPingTask } from "./ping.js";

import type { JobDeps } from "./deps.js";
import type { TaskList } from "graphile-worker";

/**
 * The only task list (no directory scanning). One entry per task, named by its identifier; each
 * task lives in its own file and validates its payload with a schema from payloads.ts.
 */
export function createTaskList(deps: JobDeps): TaskList {
  return {
    ping: createPingTask(deps),
  };
}
