import { and, eq, inArray, sql } from "drizzle-orm";

import { exceptions, syncRuns } from "../db/schema/index.js";
import { coerceError } from "../errors.js";
import { recordAuditEvent } from "../events/audit.js";
import { exceptionRetryPayload } from "../sync/commands/job-payloads.js";
import { retryKindOf } from "../sync/commands/exceptions.js";
import { retryException } from "../sync/exception-retry.js";
import { createFlowContext } from "../sync/flows/run-context.js";
import { defineTask } from "./define-task.js";
import { connectorsForJob } from "./deps.js";

import type { ExceptionRow } from "../sync/exception-retry.js";
import type { ReplayResult } from "../sync/replay.js";
import type { JobDeps } from "./deps.js";

/**
 * `exception:retry` — moves an exception's record again (queued by resolveException RETRY, which
 * set it `retrying`). The attempt is a `sync_runs` row of the record's kind, so its counts, new
 * exceptions and audits are traceable like any run. Success (or a no-op: already applied) resolves
 * the exception; a record that still fails leaves it open with one more attempt counted.
 */
export const createExceptionRetryTask = (deps: JobDeps) =>
  defineTask(
    "exception:retry",
    exceptionRetryPayload,
    deps.logger,
    async ({ exceptionId }, helpers) => {
      const [exception] = await deps.db
        .select()
        .from(exceptions)
        .where(eq(exceptions.id, exceptionId));
      if (!exception || exception.state !== "retrying") {
        return;
      }
      const kind = await retryKindOf(deps.db, exception);
      if (!kind) {
        await settle(deps, exception, null, {
          outcome: "failed",
          detail: `no flow moves a ${exception.subjectType}`,
        });
        return;
      }
      const [run] = await deps.db
        .insert(syncRuns)
        .values({
          connectionId: exception.connectionId,
          kind,
          state: "running",
          actor: exception.actor ?? "worker",
          replayTransactionId: exception.transactionId,
          startedAt: new Date(),
        })
        .returning();
      const connectors = await connectorsForJob(deps, run!.connectionId);
      try {
        const ctx = createFlowContext({
          db: deps.db,
          logger: deps.logger,
          connectors,
          run: run!,
          signal: helpers.abortSignal ?? new AbortController().signal,
        });
        const result = await retryException(ctx, exception);
        await ctx.progress(result.detail);
        await settle(deps, exception, run!.id, result);
      } catch (thrown) {
        const err = coerceError(thrown);
        const last = helpers.job.attempts >= helpers.job.max_attempts;
        deps.logger.warn(
          { err, exceptionId, attempt: helpers.job.attempts, last },
          "exception retry attempt failed",
        );
        // Each attempt has its own run; a transient failure closes it, the next attempt opens another.
        await deps.db
          .update(syncRuns)
          .set({ state: "failed", error: err.message, finishedAt: new Date() })
          .where(eq(syncRuns.id, run!.id));
        if (last) {
          await settle(deps, exception, run!.id, { outcome: "failed", detail: err.message });
        }
        throw err;
      } finally {
        await connectors.close();
      }
    },
  );

async function settle(
  deps: JobDeps,
  exception: ExceptionRow,
  runId: string | null,
  result: ReplayResult,
): Promise<void> {
  const ok = result.outcome === "noop" || result.outcome === "applied";
  if (runId) {
    await deps.db
      .update(syncRuns)
      .set({
        state: ok ? "succeeded" : "failed",
        error: ok ? null : result.detail,
        plan: { exceptionId: exception.id, ...result },
        finishedAt: new Date(),
      })
      .where(eq(syncRuns.id, runId));
  }
  // A flow that failed again may already have re-opened it (same subject and reason), counting
  // the attempt; only one still `retrying` is settled here.
  await deps.db
    .update(exceptions)
    .set(
      ok
        ? { state: "resolved", resolvedAt: sql`now()` }
        : { state: "open", attempts: sql`${exceptions.attempts} + 1` },
    )
    .where(and(eq(exceptions.id, exception.id), inArray(exceptions.state, ["retrying"])));
  await recordAuditEvent(deps.db, {
    type: ok ? "exception.resolved" : "exception.retry_failed",
    actor: "worker",
    connectionId: exception.connectionId,
    transactionId: exception.transactionId,
    subjectType: "exception",
    subjectId: exception.id,
    data: { outcome: result.outcome, detail: result.detail, runId },
  });
}
