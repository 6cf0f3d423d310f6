import { eq } from "drizzle-orm";

import { syncRuns, transactions } from "../db/schema/index.js";
import { coerceError } from "../errors.js";
import { recordAuditEvent } from "../events/audit.js";
import { publishEvent } from "../events/publish.js";
import { transactionReplayPayload } from "../sync/commands/job-payloads.js";
import { createFlowContext } from "../sync/flows/run-context.js";
import { replayTransaction } from "../sync/replay.js";
import { defineTask } from "./define-task.js";
import { connectorsForJob } from "./deps.js";

import type { SyncRunRow } from "../sync/flows/run-context.js";
import type { ReplayResult } from "../sync/replay.js";
import type { JobDeps } from "./deps.js";

/**
 * `transaction:replay` — replays one transaction on its `sync_runs` row (queued by the operator's
 * replayTransaction). The outcome — no-op and why, applied, or with `dryRun` the requests and GL
 * lines it would send — is stored as the run's `plan`, where the API reads it. A live replay is
 * audited as `transaction.replayed`; a dry run writes nothing but its run row.
 */
export const createTransactionReplayTask = (deps: JobDeps) =>
  defineTask(
    "transaction:replay",
    transactionReplayPayload,
    deps.logger,
    async ({ transactionId, dryRun, runId }, helpers) => {
      const [run] = await deps.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
      if (!run) {
        deps.logger.warn({ runId, transactionId }, "replay run not found; dropping the job");
        return;
      }
      if (run.state !== "queued" && run.state !== "running") {
        return;
      }
      const [transaction] = await deps.db
        .select()
        .from(transactions)
        .where(eq(transactions.id, transactionId));
      if (!transaction) {
        await finishReplay(deps, run, dryRun, transactionId, {
          outcome: "failed",
          detail: "the transaction no longer exists",
        });
        return;
      }
      await deps.db
        .update(syncRuns)
        .set({ state: "running", startedAt: run.startedAt ?? new Date(), error: null })
        .where(eq(syncRuns.id, run.id));
      const connectors = await connectorsForJob(deps, run.connectionId);
      try {
        const ctx = createFlowContext({
          db: deps.db,
          logger: deps.logger,
          connectors,
          run: { ...run, state: "running" },
          signal: helpers.abortSignal ?? new AbortController().signal,
        });
        const result = await replayTransaction(ctx, transaction, { dryRun });
        if (!dryRun) {
          await ctx.progress(result.detail);
        }
        await finishReplay(deps, run, dryRun, transactionId, result);
      } catch (thrown) {
        const err = coerceError(thrown);
        const last = helpers.job.attempts >= helpers.job.max_attempts;
        deps.logger.warn(
          { err, runId, transactionId, attempt: helpers.job.attempts, last },
          "replay attempt failed",
        );
        if (last) {
          await finishReplay(deps, run, dryRun, transactionId, {
            outcome: "failed",
            detail: err.message,
          });
        }
        throw err;
      } finally {
        await connectors.close();
      }
    },
  );

async function finishReplay(
  deps: JobDeps,
  run: SyncRunRow,
  dryRun: boolean,
  transactionId: string,
  result: ReplayResult,
): Promise<void> {
  const state = result.outcome === "failed" ? "failed" : "succeeded";
  const [row] = await deps.db
    .update(syncRuns)
    .set({
      state,
      error: result.outcome === "failed" ? result.detail : null,
      plan: { transactionId, dryRun, ...result },
      finishedAt: new Date(),
    })
    .where(eq(syncRuns.id, run.id))
    .returning();
  if (!dryRun) {
    await recordAuditEvent(deps.db, {
      type: "transaction.replayed",
      actor: run.actor,
      connectionId: run.connectionId,
      transactionId,
      subjectType: "sync_run",
      subjectId: run.id,
      data: { outcome: result.outcome, detail: result.detail, runId: run.id },
    });
  }
  await publishEvent(deps.db, "syncProgress", {
    runId: run.id,
    connectionId: run.connectionId,
    kind: run.kind,
    state,
    counts: {
      read: row?.countRead ?? 0,
      created: row?.countCreated ?? 0,
      updated: row?.countUpdated ?? 0,
      unchanged: row?.countUnchanged ?? 0,
      exceptions: row?.countExceptions ?? 0,
    },
    message: `${result.outcome}: ${result.detail}`,
    at: new Date().toISOString(),
  });
}
