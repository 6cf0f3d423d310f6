import { TransactionRollbackError, eq } from "drizzle-orm";

import { syncRuns } from "../db/schema/index.js";
import { createFlowContext } from "./flows/run-context.js";

import type { AvidConnector, AvidItemResult } from "../connectors/avidxchange/index.js";
import type { EnetClient, SysproConnector, WriteOptions } from "../connectors/syspro/index.js";
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import type { ConnectionConnectors } from "./connectors-for.js";
import type { FlowContext, RunCounts, SyncRunRow } from "./flows/run-context.js";
import type { TransactionId } from "./domain.js";
import type { ReplayRequest } from "./replay.js";

/**
 * Dry runs: the real flow, against the real remote reads, inside one database transaction that is
 * always rolled back. AvidXchange writes are not sent (recorded, answered with a plausible
 * success); SYSPRO posts go with `ValidateOnly`, so SYSPRO checks them and changes nothing. What
 * the flow would have done is returned as the run's plan.
 */

/** A person-readable line of an exception the run would raise. */
export interface PlannedException {
  readonly reason: string;
  readonly subject: string;
  readonly message: string;
}

/** Stored as `sync_runs.plan` (the shape replays use, plus the counts and exceptions). */
export interface DryRunPlan {
  readonly dryRun: true;
  readonly requests: ReplayRequest[];
  readonly glLines: unknown[];
  readonly counts: RunCounts;
  readonly exceptions: PlannedException[];
}

/** What a dry run collects while the flow runs. */
export interface DryRunRecorder {
  readonly requests: ReplayRequest[];
  readonly glLines: unknown[];
}

// Remote ids a dry run invents for records it did not send; far above any real sequence.
const SYNTHETIC_ID_BASE = 900_000_000;

/** AvidXchange reads pass through; every write is recorded and answered as if accepted. */
export function dryRunAvid(avid: AvidConnector, recorder: DryRunRecorder): AvidConnector {
  let nextId = SYNTHETIC_ID_BASE;
  const accept = <I, T>(
    operation: string,
    inputs: readonly I[],
    item: (input: I) => T,
  ): AvidItemResult<I, T>[] =>
    inputs.map((input, index) => {
      recorder.requests.push({ system: "avidxchange", operation, body: input });
      return { ok: true, index, input, item: item(input), messages: ["dry run: not sent"] };
    });
  return {
    ...avid,
    vendors: {
      ...avid.vendors,
      upsert: async (vendors) =>
        accept("vendors.upsert", vendors, (v) => ({ ...v, VendorId: ++nextId })),
    },
    purchaseOrders: {
      ...avid.purchaseOrders,
      upsert: async (orders) => accept("purchaseOrders.upsert", orders, (o) => ({ ...o })),
    },
    invoices: {
      ...avid.invoices,
      post: async (invoices) =>
        accept("invoices.post", invoices, (i) => ({
          InvoiceId: ++nextId,
          ExternalInvoiceId: i.ExternalInvoiceId,
          Status: { Description: "Received" },
        })),
    },
    payments: {
      ...avid.payments,
      void: async (ids) =>
        accept("payments.void", ids, () => ({ Status: { Description: "Void" } })),
    },
  };
}

/** SYSPRO reads pass through; every e.net write is sent with `ValidateOnly` and recorded. */
export function dryRunSyspro(syspro: SysproConnector, recorder: DryRunRecorder): SysproConnector {
  const enet = syspro.enet;
  const record = (operation: string, body: unknown) =>
    recorder.requests.push({ system: "syspro", operation, body });
  const validateOnly = <O extends WriteOptions>(options: O | undefined): O =>
    ({ ...options, validateOnly: true }) as O;
  const wrapped: EnetClient = {
    ...enet,
    addSupplier: (input, options) => {
      record("APSSSP Setup/Add", input);
      return enet.addSupplier(input, validateOnly(options));
    },
    updateSupplier: (input, options) => {
      record("APSSSP Setup/Update", input);
      return enet.updateSupplier(input, validateOnly(options));
    },
    postApInvoice: (input, options) => {
      record("APSTIN Transaction/Post", input);
      return enet.postApInvoice(input, validateOnly(options));
    },
    postGlJournal: (input, options) => {
      record("GENTJL Transaction/Post", input);
      for (const line of input.JournalDetails) {
        recorder.glLines.push({ journal: input.JournalReference, ...line });
      }
      return enet.postGlJournal(input, validateOnly(options));
    },
    postApManualPay: (input, options) => {
      record("APSTPM Transaction/Post", input);
      for (const released of input.ReleasedInvoice) {
        recorder.glLines.push({
          payment: input.Cheque,
          supplier: input.Supplier,
          bank: input.Bank,
          ...released,
        });
      }
      return enet.postApManualPay(input, validateOnly(options));
    },
  };
  return { ...syspro, enet: wrapped };
}

export function dryRunConnectors(
  connectors: ConnectionConnectors,
  recorder: DryRunRecorder,
): ConnectionConnectors {
  return {
    ...connectors,
    syspro: dryRunSyspro(connectors.syspro, recorder),
    avid: dryRunAvid(connectors.avid, recorder),
  };
}

export interface DryRunInput {
  readonly db: Db;
  readonly logger: Logger;
  readonly connectors: ConnectionConnectors;
  readonly run: SyncRunRow;
  readonly signal?: AbortSignal;
  readonly newTransactionId?: () => TransactionId;
}

class DryRunRollback extends Error {
  override readonly name = "DryRunRollback";
}

/**
 * Runs `flow` as a dry run and returns its plan. Progress is persisted and published outside the
 * transaction (so subscribers see a dry run move); everything else the flow writes is undone.
 */
export async function runDryRun(
  input: DryRunInput,
  flow: (ctx: FlowContext) => Promise<void>,
): Promise<DryRunPlan> {
  const recorder: DryRunRecorder = { requests: [], glLines: [] };
  const planned: PlannedException[] = [];
  let counts: RunCounts | undefined;
  try {
    await input.db.transaction(async (tx) => {
      // A transaction is what flows need of `Db` (queries, nested transactions as savepoints).
      const base = createFlowContext({
        db: tx as unknown as Db,
        progressDb: input.db,
        logger: input.logger,
        connectors: dryRunConnectors(input.connectors, recorder),
        run: input.run,
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.newTransactionId ? { newTransactionId: input.newTransactionId } : {}),
      });
      counts = base.counts;
      const ctx: FlowContext = {
        ...base,
        async raiseException(executor, exception, subject, rawPayload, transactionId) {
          planned.push({
            reason: exception.reason,
            subject: subject.ref ?? `${subject.type} ${subject.id}`,
            message: exception.message,
          });
          await base.raiseException(executor, exception, subject, rawPayload, transactionId);
        },
      };
      await ctx.progress("started (dry run)");
      await flow(ctx);
      throw new DryRunRollback("dry run: rolled back");
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback) && !(err instanceof TransactionRollbackError)) {
      throw err;
    }
  }
  return {
    dryRun: true,
    requests: recorder.requests,
    glLines: recorder.glLines,
    counts: { ...counts! },
    exceptions: planned,
  };
}

/** Stores the plan and the counts the flow produced on the run row (the only row a dry run keeps). */
export async function storeDryRunPlan(db: Db, runId: string, plan: DryRunPlan): Promise<void> {
  await db
    .update(syncRuns)
    .set({
      plan,
      countRead: plan.counts.read,
      countCreated: plan.counts.created,
      countUpdated: plan.counts.updated,
      countUnchanged: plan.counts.unchanged,
      countExceptions: plan.counts.exceptions,
    })
    .where(eq(syncRuns.id, runId));
}
