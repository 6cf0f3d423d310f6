import { and, eq, inArray, sql } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import {
  exceptions,
  invoices,
  purchaseOrders,
  suppliers,
  transactions,
} from "../../db/schema/index.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import { recordAuditEvent } from "../../events/audit.js";
import { isUuid } from "../../read-models/ids.js";
import { JOB } from "./job-payloads.js";
import { queueNameFor } from "./job-queue.js";
import { syncKindOfTransaction } from "./sync-runs.js";

import type { Executor, Tx } from "../../db/client.js";
import type { SyncKind } from "../../glossary.js";
import type { EnqueuedJob, JobQueue } from "./job-queue.js";

export type ExceptionRecord = typeof exceptions.$inferSelect;

/**
 * What a person decides about an exception:
 * - RETRY: move the record again, through the same guards (an `exception:retry` job);
 * - SKIP: leave the record out for good: the exception, its transaction and the record are
 *   marked skipped, so no sync picks it up again;
 * - ABORT: give up this attempt: the exception is closed and its transaction failed; the record
 *   stays as it is, and a later change to it in its source system starts a new transaction.
 */
export const EXCEPTION_ACTIONS = ["RETRY", "SKIP", "ABORT"] as const;
export type ExceptionAction = (typeof EXCEPTION_ACTIONS)[number];

export interface ResolveExceptionInput {
  readonly exceptionId: string;
  readonly action: ExceptionAction;
  /** Why; kept on the exception and in the audit trail. */
  readonly note: string | null;
  readonly actor: string;
}

export interface ResolvedException {
  readonly exception: ExceptionRecord;
  /** The retry job (RETRY only). */
  readonly job: EnqueuedJob | null;
}

/** Only an open exception can be resolved; one being retried waits for the retry's outcome. */
export async function resolveException(
  executor: Executor,
  jobs: JobQueue,
  input: ResolveExceptionInput,
): Promise<ResolvedException> {
  return withTransaction(executor, async (tx) => {
    const [current] = isUuid(input.exceptionId)
      ? await tx.select().from(exceptions).where(eq(exceptions.id, input.exceptionId)).for("update")
      : [];
    if (!current) {
      throw new NotFoundError("Exception");
    }
    if (current.state !== "open") {
      throw new ConflictError(
        current.state === "retrying"
          ? "This exception is already being retried; wait for the retry's outcome."
          : `This exception is already ${current.state}; only open exceptions can be resolved.`,
      );
    }

    const closing = input.action !== "RETRY";
    const [exception] = await tx
      .update(exceptions)
      .set({
        state:
          input.action === "RETRY" ? "retrying" : input.action === "SKIP" ? "skipped" : "aborted",
        resolutionNote: input.note,
        actor: input.actor,
        resolvedAt: closing ? sql`now()` : null,
      })
      .where(eq(exceptions.id, current.id))
      .returning();
    if (!exception) {
      throw new Error("exception update returned no row");
    }

    let job: EnqueuedJob | null = null;
    if (input.action === "RETRY") {
      const kind = await retryKindOf(tx, current);
      job = await jobs.add(
        tx,
        JOB.exceptionRetry,
        { exceptionId: current.id },
        {
          ...(kind ? { queueName: queueNameFor(current.connectionId, kind) } : {}),
          jobKey: `exception:retry:${current.id}`,
        },
      );
    } else if (input.action === "SKIP") {
      await skipSubject(tx, current);
    } else if (current.transactionId) {
      await tx
        .update(transactions)
        .set({
          state: "failed",
          error: `Aborted by ${input.actor}${input.note ? `: ${input.note}` : ""}`,
        })
        .where(
          and(
            eq(transactions.id, current.transactionId),
            inArray(transactions.state, ["pending", "exception"]),
          ),
        );
    }

    await recordAuditEvent(tx, {
      type:
        input.action === "RETRY"
          ? "exception.retry_requested"
          : input.action === "SKIP"
            ? "exception.skipped"
            : "exception.aborted",
      actor: input.actor,
      connectionId: current.connectionId,
      transactionId: current.transactionId,
      subjectType: "exception",
      subjectId: current.id,
      data: {
        reasonCode: current.reasonCode,
        subjectType: current.subjectType,
        subjectId: current.subjectId,
        subjectRef: current.subjectRef,
        note: input.note,
        ...(job ? { jobId: job.id } : {}),
      },
    });
    return { exception, job };
  });
}

const SUBJECT_KINDS: Readonly<Record<string, SyncKind>> = {
  supplier: "suppliers",
  vendor: "suppliers",
  purchase_order: "purchase_orders",
  invoice: "invoices",
  payment: "payments",
  posting: "payments",
};

/**
 * The sync kind (and so the queue and the run) a retry of this exception belongs to: its
 * transaction's kind, else its subject's.
 */
export async function retryKindOf(
  db: Executor,
  exception: Pick<ExceptionRecord, "transactionId" | "subjectType">,
): Promise<SyncKind | null> {
  if (exception.transactionId) {
    const [transaction] = await db
      .select({ kind: transactions.kind })
      .from(transactions)
      .where(eq(transactions.id, exception.transactionId));
    const kind = transaction ? syncKindOfTransaction(transaction.kind) : null;
    if (kind) {
      return kind;
    }
  }
  return SUBJECT_KINDS[exception.subjectType] ?? null;
}

async function skipSubject(tx: Tx, exception: ExceptionRecord): Promise<void> {
  if (exception.transactionId) {
    await tx
      .update(transactions)
      .set({ state: "skipped" })
      .where(
        and(
          eq(transactions.id, exception.transactionId),
          inArray(transactions.state, ["pending", "exception"]),
        ),
      );
  }
  if (!isUuid(exception.subjectId)) {
    return;
  }
  const table =
    exception.subjectType === "invoice"
      ? invoices
      : exception.subjectType === "supplier"
        ? suppliers
        : exception.subjectType === "purchase_order"
          ? purchaseOrders
          : undefined;
  if (table) {
    await tx
      .update(table)
      .set({ syncState: "skipped" })
      .where(
        and(eq(table.id, exception.subjectId), eq(table.connectionId, exception.connectionId)),
      );
  }
}
