import { z } from "zod";

/**
 * Payloads of the jobs the operator commands enqueue. Declared once here (runtime zod schemas and
 * the `GraphileWorker.Tasks` types) for both sides: the commands that add the jobs and the tasks in
 * `src/jobs/` that run them (which should parse with these schemas, not redeclare them).
 */

/** `sync:run` — run the `sync_runs` row `runId` (kind, dry run, full resync and force are on it). */
export const syncRunPayload = z.object({ runId: z.uuid() });

/**
 * `transaction:replay` — re-run transaction `transactionId` from its stored input through the same
 * guards, reporting on the `sync_runs` row `runId`; with `dryRun`, compute and store the plan only.
 */
export const transactionReplayPayload = z.object({
  transactionId: z.string().min(1),
  dryRun: z.boolean(),
  runId: z.uuid(),
});

/** `exception:retry` — move the exception's subject again, through the same guards. */
export const exceptionRetryPayload = z.object({ exceptionId: z.uuid() });

export const JOB = {
  syncRun: "sync:run",
  transactionReplay: "transaction:replay",
  exceptionRetry: "exception:retry",
} as const;

declare global {
  namespace GraphileWorker {
    interface Tasks {
      "sync:run": z.input<typeof syncRunPayload>;
      "transaction:replay": z.input<typeof transactionReplayPayload>;
      "exception:retry": z.input<typeof exceptionRetryPayload>;
    }
  }
}
