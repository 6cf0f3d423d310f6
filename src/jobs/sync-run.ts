import { eq } from "drizzle-orm";

import { syncRuns } from "../db/schema/index.js";
import { coerceError } from "../errors.js";
import { recordAuditEvent } from "../events/audit.js";
import { publishEvent } from "../events/publish.js";
import { syncRunPayload } from "../sync/commands/job-payloads.js";
import { runDryRun, storeDryRunPlan } from "../sync/dry-run.js";
import { syncApprovalsBack } from "../sync/flows/approvals-back.js";
import { syncGlCodes } from "../sync/flows/gl-codes.js";
import {
  isConnectionNotReadyError,
  syncInvoicesToApproval,
} from "../sync/flows/invoices-to-approval.js";
import { syncPaymentsToLedger } from "../sync/flows/payments-to-ledger.js";
import { syncPurchaseOrders } from "../sync/flows/purchase-orders.js";
import { createFlowContext } from "../sync/flows/run-context.js";
import { syncSuppliersToVendors } from "../sync/flows/suppliers-to-vendors.js";
import { defineTask } from "./define-task.js";
import { connectorsForJob } from "./deps.js";

import type { SyncKind } from "../glossary.js";
import type { FlowContext, SyncRunRow } from "../sync/flows/run-context.js";
import type { JobDeps } from "./deps.js";

/** The flow behind each sync kind. Kinds not listed here are not wired yet (issue 8). */
const FLOWS: Partial<Record<SyncKind, (ctx: FlowContext) => Promise<void>>> = {
  suppliers: syncSuppliersToVendors,
  invoices: syncInvoicesToApproval,
  purchase_orders: syncPurchaseOrders,
  approvals: syncApprovalsBack,
  payments: syncPaymentsToLedger,
  reference_data: async (ctx) => {
    await syncGlCodes(ctx);
  },
};

/**
 * `sync:run` — runs one `sync_runs` row: marks it running, dispatches by kind, and records the
 * counts and final state. A throw lets graphile-worker retry with backoff (every effect is
 * idempotent); only the last attempt marks the run failed. A finished run is never re-run.
 */
export const createSyncRunTask = (deps: JobDeps) =>
  defineTask("sync:run", syncRunPayload, deps.logger, async ({ runId }, helpers) => {
    const [run] = await deps.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    if (!run) {
      deps.logger.warn({ runId }, "sync run not found; dropping the job");
      return;
    }
    if (run.state !== "queued" && run.state !== "running") {
      return;
    }
    const flow = FLOWS[run.kind];
    if (!flow) {
      await finish(deps, run, "failed", `Sync kind "${run.kind}" is not available yet.`);
      return;
    }
    await deps.db
      .update(syncRuns)
      .set({ state: "running", startedAt: run.startedAt ?? new Date(), error: null })
      .where(eq(syncRuns.id, run.id));
    const connectors = await connectorsForJob(deps, run.connectionId);
    try {
      const input = {
        db: deps.db,
        logger: deps.logger,
        connectors,
        run: { ...run, state: "running" as const },
        signal: helpers.abortSignal ?? new AbortController().signal,
      };
      if (run.dryRun) {
        await storeDryRunPlan(deps.db, run.id, await runDryRun(input, flow));
      } else {
        const ctx = createFlowContext(input);
        await ctx.progress("started");
        await flow(ctx);
        deps.metrics?.recordsMoved(run.kind, ctx.counts.created + ctx.counts.updated);
        await ctx.progress("finished");
      }
      await finish(deps, run, "succeeded", null);
    } catch (thrown) {
      const err = coerceError(thrown);
      if (isConnectionNotReadyError(thrown)) {
        // Retrying cannot make mappings ready: fail now, with the reason, and no retry.
        await finish(deps, run, "failed", err.message);
        return;
      }
      const last = helpers.job.attempts >= helpers.job.max_attempts;
      deps.logger.warn(
        { err, runId, attempt: helpers.job.attempts, last },
        "sync run attempt failed",
      );
      if (last) {
        await finish(deps, run, "failed", err.message);
      }
      throw err;
    } finally {
      await connectors.close();
    }
  });

async function finish(
  deps: JobDeps,
  run: Pick<SyncRunRow, "id" | "connectionId" | "kind" | "dryRun">,
  state: "succeeded" | "failed",
  error: string | null,
): Promise<void> {
  const { id: runId, connectionId, kind } = run;
  const [row] = await deps.db
    .update(syncRuns)
    .set({ state, error, finishedAt: new Date() })
    .where(eq(syncRuns.id, runId))
    .returning();
  // A dry run changes nothing but its run row, so it leaves no trail in the audit log either.
  if (!run.dryRun) {
    await recordAuditEvent(deps.db, {
      type: `sync.${state}`,
      actor: "worker",
      connectionId,
      subjectType: "sync_run",
      subjectId: runId,
      data: { kind, ...(error ? { error } : {}) },
    });
  }
  await publishEvent(deps.db, "syncProgress", {
    runId,
    connectionId,
    kind,
    state,
    counts: {
      read: row?.countRead ?? 0,
      created: row?.countCreated ?? 0,
      updated: row?.countUpdated ?? 0,
      unchanged: row?.countUnchanged ?? 0,
      exceptions: row?.countExceptions ?? 0,
    },
    message: error,
    at: new Date().toISOString(),
  });
}
