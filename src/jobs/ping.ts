import { setTimeout as sleep } from "node:timers/promises";

import { defineTask } from "./define-task.js";
import { pingPayload } from "./payloads.js";

import type { JobDeps } from "./deps.js";

/**
 * Proves a worker is alive and taking jobs: logs `pong` with its process id. The operator's
 * `ping` and the multi-worker tests enqueue it.
 */
export const createPingTask = ({ logger }: Pick<JobDeps, "logger">) =>
  defineTask("ping", pingPayload, logger, async ({ delayMs, tag }, helpers) => {
    if (delayMs > 0) {
      await sleep(delayMs, undefined, { signal: helpers.abortSignal });
    }
    logger.info({ task: "ping", jobId: helpers.job.id, tag }, "pong");
  });
