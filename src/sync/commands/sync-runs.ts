import { and, eq, isNull, sql } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { connections, syncRuns, transactions } from "../../db/schema/index.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import { recordAuditEvent } from "../../events/audit.js";
import { isUuid } from "../../read-models/ids.js";
import { JOB } from "./job-payloads.js";
import { queueNameFor } from "./job-queue.js";

import type { Executor } from "../../db/client.js";
import type { SyncKind } from "../../glossary.js";
import type { EnqueuedJob, JobQueue } from "./job-queue.js";

export type SyncRunRecord = typeof syncRuns.$inferSelect;

export interface TriggerSyncInput {
  readonly connectionId: string;
  readonly kind: SyncKind;
  /** Compute what would happen (stored as the run's plan) and change nothing. */
  readonly dryRun: boolean;
  /** Ignore watermarks and re-read everything (effects stay idempotent). */
  readonly fullResync: boolean;
  /** Run even if the connection's mapping is not ready (unmapped lines still become exceptions). */
  readonly force: boolean;
  /** An API key name, `schedule` or `cli`. */
  readonly actor: string;
}

export interface TriggeredSync {
  readonly run: SyncRunRecord;
  /** True when an identical run was already queued and is returned instead of a new one. */
  readonly deduplicated: boolean;
  /** The job added (absent when deduplicated). */
  readonly job: EnqueuedJob | null;
}

/**
 * Queues a sync run: a `sync_runs` row (state `queued`) and a `sync:run` job naming it, committed
 * together. Returns at once; the worker reports progress on the run and the event bus.
 *
 * At most one run per connection, kind and options waits in the queue: triggering again while one
 * waits returns the waiting run (an advisory lock makes the check race-free). The job key says the
 * same thing to graphile-worker. Manual triggers and the scheduler both come through here.
 */
export async function triggerSync(
  executor: Executor,
  jobs: JobQueue,
  input: TriggerSyncInput,
): Promise<TriggeredSync> {
  return withTransaction(executor, async (tx) => {
    const connection = await requireConnection(tx, input.connectionId);
    const flavour = [input.dryRun ? "dry" : "live", input.fullResync ? "full" : "delta"]
      .concat(input.force ? ["force"] : [])
      .join("+");
    const key = `sync:${connection.id}:${input.kind}:${flavour}`;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);

    const [waiting] = await tx
      .select()
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.connectionId, connection.id),
          eq(syncRuns.kind, input.kind),
          eq(syncRuns.state, "queued"),
          eq(syncRuns.dryRun, input.dryRun),
          eq(syncRuns.fullResync, input.fullResync),
          eq(syncRuns.force, input.force),
          isNull(syncRuns.replayTransactionId),
        ),
      )
      .limit(1);
    if (waiting) {
      return { run: waiting, deduplicated: true, job: null };
    }

    const [run] = await tx
      .insert(syncRuns)
      .values({
        connectionId: connection.id,
        kind: input.kind,
        state: "queued",
        dryRun: input.dryRun,
        fullResync: input.fullResync,
        force: input.force,
        actor: input.actor,
      })
      .returning();
    if (!run) {
      throw new Error("sync_runs insert returned no row");
    }
    const job = await jobs.add(
      tx,
      JOB.syncRun,
      { runId: run.id },
      { queueName: queueNameFor(connection.id, input.kind), jobKey: key },
    );
    await recordAuditEvent(tx, {
      type: "sync.triggered",
      actor: input.actor,
      connectionId: connection.id,
      subjectType: "sync_run",
      subjectId: run.id,
      data: {
        kind: input.kind,
        dryRun: input.dryRun,
        fullResync: input.fullResync,
        force: input.force,
        jobId: job.id,
      },
    });
    return { run, deduplicated: false, job };
  });
}

export interface ReplayInput {
  readonly transactionId: string;
  /** Return what the replay would do (requests, GL lines) as the run's plan; change nothing. */
  readonly dryRun: boolean;
  readonly actor: string;
}

/**
 * Queues a replay of one transaction: a `sync_runs` row of the transaction's kind that names it,
 * and a `transaction:replay` job, in the connection's queue for that direction (so a replay never
 * races a sync over the same records). The engine reports a no-op for an applied transaction.
 */
export async function replayTransaction(
  executor: Executor,
  jobs: JobQueue,
  input: ReplayInput,
): Promise<TriggeredSync> {
  return withTransaction(executor, async (tx) => {
    const [transaction] = await tx
      .select()
      .from(transactions)
      .where(eq(transactions.id, input.transactionId));
    if (!transaction) {
      throw new NotFoundError("Transaction");
    }
    const kind = syncKindOfTransaction(transaction.kind);
    if (!kind) {
      throw new ConflictError(`Transactions of kind "${transaction.kind}" cannot be replayed.`);
    }
    const key = `replay:${transaction.id}:${input.dryRun ? "dry" : "live"}`;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    const [waiting] = await tx
      .select()
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.replayTransactionId, transaction.id),
          eq(syncRuns.state, "queued"),
          eq(syncRuns.dryRun, input.dryRun),
        ),
      )
      .limit(1);
    if (waiting) {
      return { run: waiting, deduplicated: true, job: null };
    }
    const [run] = await tx
      .insert(syncRuns)
      .values({
        connectionId: transaction.connectionId,
        kind,
        state: "queued",
        dryRun: input.dryRun,
        replayTransactionId: transaction.id,
        actor: input.actor,
      })
      .returning();
    if (!run) {
      throw new Error("sync_runs insert returned no row");
    }
    const job = await jobs.add(
      tx,
      JOB.transactionReplay,
      { transactionId: transaction.id, dryRun: input.dryRun, runId: run.id },
      { queueName: queueNameFor(transaction.connectionId, kind), jobKey: key },
    );
    await recordAuditEvent(tx, {
      type: "transaction.replay_requested",
      actor: input.actor,
      connectionId: transaction.connectionId,
      transactionId: transaction.id,
      subjectType: "sync_run",
      subjectId: run.id,
      data: { dryRun: input.dryRun, transactionKind: transaction.kind, jobId: job.id },
    });
    return { run, deduplicated: false, job };
  });
}

/**
 * The sync kind (and so the queue) a transaction belongs to, from its kind's first segment
 * (`vendor.upsert` → suppliers, `invoice.send` → invoices, `payment.post` → payments…); null for a
 * kind no sync owns.
 */
export function syncKindOfTransaction(kind: string): SyncKind | null {
  const head = kind.split(".")[0]?.toLowerCase() ?? "";
  switch (head) {
    case "vendor":
    case "supplier":
      return "suppliers";
    case "purchase_order":
    case "po":
      return "purchase_orders";
    case "invoice":
      return "invoices";
    case "approval":
    case "recode":
    case "reclass":
      return "approvals";
    case "payment":
    case "posting":
    case "reversal":
      return "payments";
    default:
      return null;
  }
}

async function requireConnection(tx: Executor, connectionId: string) {
  const [connection] = isUuid(connectionId)
    ? await tx
        .select({ id: connections.id, status: connections.status, name: connections.name })
        .from(connections)
        .where(eq(connections.id, connectionId))
    : [];
  if (!connection) {
    throw new NotFoundError("Connection");
  }
  if (connection.status === "disabled") {
    throw new ConflictError(
      `Connection "${connection.name}" is disabled; enable it before starting a sync.`,
    );
  }
  return connection;
}
