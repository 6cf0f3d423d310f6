import { SpanKind, SpanStatusCode } from "@opentelemetry/api";

import { withLogContext } from "../logger.js";
import { tracer, tracingEnabled } from "./tracing.js";

import type { Metrics } from "./registry.js";
import type { Task, TaskList } from "graphile-worker";

/**
 * Every task of `tasks`, counted in `jobs_total{task,outcome}` (a throw is a failure: the job will
 * be retried or has failed for good), run inside a log context naming the job, to which the task
 * adds its connection (`addLogContext`), and, when tracing is enabled, inside a span the job's HTTP
 * calls nest under. Counted here rather than from the runner's events so that every way of running
 * jobs (the worker, `runOnce` in tests) is measured alike.
 */
export function instrumentTasks(tasks: TaskList, metrics: Metrics | undefined): TaskList {
  const traced = tracingEnabled();
  const out: TaskList = {};
  for (const [name, task] of Object.entries(tasks)) {
    if (task) {
      const measured = measureTask(name, task as Task, metrics);
      out[name] = traced ? traceTask(name, measured) : measured;
    }
  }
  return out;
}

function measureTask(name: string, task: Task, metrics: Metrics | undefined): Task {
  return (payload, helpers) =>
    withLogContext({ task: name, jobId: helpers.job.id }, async () => {
      try {
        const result = await task(payload, helpers);
        metrics?.observeJob(name, "success");
        return result;
      } catch (err) {
        metrics?.observeJob(name, "failure");
        throw err;
      }
    });
}

function traceTask(name: string, task: Task): Task {
  return (payload, helpers) =>
    tracer().startActiveSpan(
      `job ${name}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          "job.task": name,
          "job.id": helpers.job.id,
          "job.attempt": helpers.job.attempts,
        },
      },
      async (span) => {
        try {
          return await task(payload, helpers);
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).name });
          throw err;
        } finally {
          span.end();
        }
      },
    );
}
