import { and, eq, sql } from "drizzle-orm";

import { exceptions, syncRuns, transactions } from "../../db/schema/index.js";
import { recordAuditEvent } from "../../events/audit.js";
import { publishEvent } from "../../events/publish.js";
import { createTransactionIdFactory } from "../transaction-id.js";

import type { Db, Executor } from "../../db/client.js";
import type { Logger } from "../../logger.js";
import type { ConnectionConnectors, ConnectionRow } from "../connectors-for.js";
import type { SyncException } from "../exceptions.js";
import type { TransactionId } from "../domain.js";

export type SyncRunRow = typeof syncRuns.$inferSelect;

/** The counters every run reports (columns of `sync_runs`). */
export interface RunCounts {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  exceptions: number;
}

export interface ExceptionSubject {
  readonly type: string;
  readonly id: string;
  /** What a person recognises: supplier code, `supplier/invoice`, payment id. */
  readonly ref?: string;
}

/**
 * Everything one flow needs for one run: the connection and its connectors, the run's counters,
 * and the three ways a flow reports (progress events, audit events, exceptions). Flows write their
 * effects, audits and exceptions in the transaction they pass in, so all commit together.
 */
export interface FlowContext {
  readonly db: Db;
  readonly logger: Logger;
  readonly connection: ConnectionRow;
  readonly connectors: ConnectionConnectors;
  readonly run: SyncRunRow;
  readonly counts: RunCounts;
  readonly actor: string;
  readonly signal?: AbortSignal;
  newTransactionId(): TransactionId;
  /** Persists the counters on the run and publishes a `syncProgress` event. */
  progress(message?: string): Promise<void>;
  /** Records (or refreshes, if already open) an exception; counts it. */
  raiseException(
    tx: Executor,
    exception: SyncException,
    subject: ExceptionSubject,
    rawPayload: unknown,
    transactionId?: TransactionId,
  ): Promise<void>;
  /**
   * Resolves the subject's open exceptions once it has moved: the cause was fixed and a later run
   * succeeded, so nobody should still be asked to act. Returns how many were resolved.
   */
  resolveExceptions(tx: Executor, subject: Pick<ExceptionSubject, "type" | "id">): Promise<number>;
  audit(
    tx: Executor,
    event: {
      type: string;
      transactionId?: TransactionId | null;
      subjectType?: string;
      subjectId?: string;
      data?: Record<string, unknown>;
    },
  ): Promise<void>;
  /** Stores one movement with its input (the replay handle). */
  recordTransaction(
    tx: Executor,
    t: {
      id: TransactionId;
      kind: string;
      subjectType: string;
      subjectId: string;
      input: unknown;
      state: "pending" | "succeeded" | "failed" | "exception" | "skipped";
      result?: unknown;
      error?: string;
    },
  ): Promise<void>;
}

export interface CreateFlowContextInput {
  readonly db: Db;
  readonly logger: Logger;
  readonly connectors: ConnectionConnectors;
  readonly run: SyncRunRow;
  readonly signal?: AbortSignal;
  readonly newTransactionId?: () => TransactionId;
  /**
   * Where progress is persisted and published; default `db`. A dry run passes the database while
   * `db` is its rolled-back transaction: a NOTIFY in a transaction that never commits is never sent.
   */
  readonly progressDb?: Db;
}

export const RESOLVED_BY_LATER_SYNC = "resolved by a later successful sync";

export function createFlowContext(input: CreateFlowContextInput): FlowContext {
  const { db, run, connectors } = input;
  const connection = connectors.connection;
  const counts: RunCounts = { read: 0, created: 0, updated: 0, unchanged: 0, exceptions: 0 };
  const actor = "worker";
  const progressDb = input.progressDb ?? db;
  return {
    db,
    logger: input.logger.child({ runId: run.id, kind: run.kind }),
    connection,
    connectors,
    run,
    counts,
    actor,
    ...(input.signal ? { signal: input.signal } : {}),
    newTransactionId: input.newTransactionId ?? createTransactionIdFactory(),
    async progress(message) {
      await progressDb
        .update(syncRuns)
        .set({
          countRead: counts.read,
          countCreated: counts.created,
          countUpdated: counts.updated,
          countUnchanged: counts.unchanged,
          countExceptions: counts.exceptions,
        })
        .where(eq(syncRuns.id, run.id));
      await publishEvent(progressDb, "syncProgress", {
        runId: run.id,
        connectionId: connection.id,
        kind: run.kind,
        state: "running",
        counts: { ...counts },
        message: message ?? null,
        at: new Date().toISOString(),
      });
    },
    async raiseException(tx, exception, subject, rawPayload, transactionId) {
      const details = exception.details;
      await tx
        .insert(exceptions)
        .values({
          connectionId: connection.id,
          transactionId: transactionId ?? null,
          syncRunId: run.id,
          reasonCode: exception.reason,
          message: exception.message,
          subjectType: subject.type,
          subjectId: subject.id,
          subjectRef: subject.ref ?? null,
          rawPayload: { record: rawPayload ?? null, details },
          suggestedAction: exception.suggestedAction,
          attempts: 1,
        })
        .onConflictDoUpdate({
          target: [
            exceptions.connectionId,
            exceptions.subjectType,
            exceptions.subjectId,
            exceptions.reasonCode,
          ],
          targetWhere: sql`state in ('open', 'retrying')`,
          set: {
            message: exception.message,
            rawPayload: { record: rawPayload ?? null, details },
            syncRunId: run.id,
            state: "open",
            attempts: sql`${exceptions.attempts} + 1`,
            updatedAt: sql`now()`,
          },
        });
      counts.exceptions += 1;
      await recordAuditEvent(tx, {
        type: "exception.raised",
        actor,
        connectionId: connection.id,
        transactionId: transactionId ?? null,
        subjectType: subject.type,
        subjectId: subject.id,
        data: { reason: exception.reason, message: exception.message, runId: run.id },
      });
    },
    async resolveExceptions(tx, subject) {
      const resolved = await tx
        .update(exceptions)
        .set({
          state: "resolved",
          resolutionNote: RESOLVED_BY_LATER_SYNC,
          actor,
          resolvedAt: sql`now()`,
        })
        .where(
          and(
            eq(exceptions.connectionId, connection.id),
            eq(exceptions.subjectType, subject.type),
            eq(exceptions.subjectId, subject.id),
            // A `retrying` one belongs to its retry job, which settles (and audits) it itself.
            eq(exceptions.state, "open"),
          ),
        )
        .returning({
          id: exceptions.id,
          transactionId: exceptions.transactionId,
          reasonCode: exceptions.reasonCode,
          subjectRef: exceptions.subjectRef,
        });
      for (const row of resolved) {
        await recordAuditEvent(tx, {
          type: "exception.resolved",
          actor,
          connectionId: connection.id,
          transactionId: row.transactionId,
          subjectType: "exception",
          subjectId: row.id,
          data: {
            reasonCode: row.reasonCode,
            subjectType: subject.type,
            subjectId: subject.id,
            subjectRef: row.subjectRef,
            note: RESOLVED_BY_LATER_SYNC,
            runId: run.id,
          },
        });
      }
      return resolved.length;
    },
    async audit(tx, event) {
      // The log's side of the trail: a transaction's events can be followed by its ID in the logs.
      if (event.transactionId) {
        input.logger.debug(
          { transactionId: event.transactionId, event: event.type, subjectId: event.subjectId },
          "audit event",
        );
      }
      await recordAuditEvent(tx, {
        type: event.type,
        actor,
        connectionId: connection.id,
        transactionId: event.transactionId ?? null,
        subjectType: event.subjectType ?? null,
        subjectId: event.subjectId ?? null,
        data: { runId: run.id, ...event.data },
      });
    },
    async recordTransaction(tx, t) {
      await tx
        .insert(transactions)
        .values({
          id: t.id,
          connectionId: connection.id,
          kind: t.kind,
          subjectType: t.subjectType,
          subjectId: t.subjectId,
          input: t.input ?? null,
          state: t.state,
          result: t.result ?? null,
          error: t.error ?? null,
        })
        .onConflictDoUpdate({
          target: transactions.id,
          set: { state: t.state, result: t.result ?? null, error: t.error ?? null },
        });
    },
  };
}
