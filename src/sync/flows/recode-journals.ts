import { and, asc, eq, inArray } from "drizzle-orm";

import {
  isSysproAmbiguousWriteError,
  isSysproBusinessRejectionError,
  isSysproError,
  isSysproInvalidDocumentError,
} from "../../connectors/syspro/index.js";
import { withTransaction } from "../../db/client.js";
import { invoices, postings } from "../../db/schema/index.js";
import { syncException } from "../exceptions.js";
import { journalTotals } from "../journal.js";
import { formatCents } from "../money.js";
import { subjectOf } from "./approval-states.js";
import {
  claimPosting,
  findGlJournalByReference,
  glJournalReference,
  markPostingAttempt,
  markPostingFailed,
  markPostingPosted,
  markPostingUnknown,
} from "./posting-ledger.js";
import { showRecode } from "./recode-decisions.js";
import { gentjlInput } from "./syspro-journal.js";

import type { RecodeDecision, RecodedLine } from "../approvals/detect-recode.js";
import type { AvidInvoiceLine, JournalPlan } from "../domain.js";
import type { InvoiceRow } from "./approval-states.js";
import type { PostingRow } from "./posting-ledger.js";
import type { FlowContext } from "./run-context.js";

/** The `transactions.kind` of a reclassification journal's posting. */
export const RECLASS_POST = "reclass.post";

/** What a reclass posting's `request` holds: the journal, and the coding it leaves the invoice in. */
export interface ReclassRequest {
  readonly recodeKey: string;
  readonly plan: JournalPlan;
  readonly newBaseline: readonly AvidInvoiceLine[];
  readonly recodedLines: readonly RecodedLine[];
}

/** Journals an earlier run left claimed or unknown, whether or not their invoice changed since. */
export async function settleOpenClaims(ctx: FlowContext): Promise<void> {
  const open = await ctx.db
    .select({ posting: postings, invoice: invoices })
    .from(postings)
    .innerJoin(invoices, eq(invoices.id, postings.invoiceId))
    .where(
      and(
        eq(postings.connectionId, ctx.connection.id),
        eq(postings.kind, "reclass"),
        inArray(postings.state, ["claimed", "unknown"]),
      ),
    )
    .orderBy(asc(postings.createdAt), asc(postings.id));
  for (const { posting, invoice } of open) {
    await settleReclass(ctx, invoice, posting);
  }
}

/** Claims the journal (committed), then posts it; a claim found again is settled instead. */
export async function reclassify(
  ctx: FlowContext,
  row: InvoiceRow,
  decision: Extract<RecodeDecision, { action: "journal" }>,
): Promise<void> {
  const request: ReclassRequest = {
    recodeKey: decision.recodeKey,
    plan: decision.plan,
    newBaseline: decision.newBaseline,
    recodedLines: decision.recodedLines,
  };
  const transactionId = ctx.newTransactionId();
  const { fresh, posting } = await claimPosting(ctx.db, {
    connectionId: ctx.connection.id,
    key: { kind: "reclass", invoiceId: row.id, recodeRef: decision.ledgerKey.reference },
    transactionId,
    method: "GENTJL",
    amount: formatCents(journalTotals(decision.plan.lines).debit),
    currency: row.currency,
    request,
  });
  if (fresh) {
    await ctx.recordTransaction(ctx.db, {
      id: transactionId,
      kind: RECLASS_POST,
      subjectType: "invoice",
      subjectId: row.id,
      input: request,
      state: "pending",
    });
    await postReclass(ctx, row, posting, request);
  }
  // A claim found again was made earlier in this run (the run's start settles older ones): asking
  // SYSPRO seconds after an ambiguous post could miss a journal still being written, so the next
  // run asks.
}

/** A claim an earlier attempt left open: posted already if SYSPRO has its reference, else post it. */
export async function settleReclass(ctx: FlowContext, row: InvoiceRow, posting: PostingRow) {
  const request = posting.request as ReclassRequest;
  let found: string | undefined;
  try {
    found = await findGlJournalByReference(
      ctx.connectors.syspro.enet,
      request.plan.reference,
      signalOf(ctx),
    );
  } catch (thrown) {
    if (isSysproError(thrown) && thrown.transient) {
      ctx.logger.warn({ err: thrown, postingId: posting.id }, "journal lookup failed; later");
      return;
    }
    // Without an answer from SYSPRO the journal is never posted again: a person decides.
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    await withTransaction(ctx.db, async (tx) => {
      await markPostingUnknown(tx, posting.id, message);
      await ctx.raiseException(
        tx,
        syncException(
          "POSTING_OUTCOME_UNKNOWN",
          `reclassification journal ${request.plan.reference} may be in SYSPRO, and SYSPRO could not be asked (${message}); check GL journals for this reference before posting by hand`,
          { reference: request.plan.reference, postingId: posting.id },
        ),
        subjectOf(row),
        request,
        posting.transactionId,
      );
    });
    return;
  }
  if (found !== undefined) {
    await settled(ctx, row, posting, request, { sysproReference: found, response: { found } });
    return;
  }
  await postReclass(ctx, row, posting, request);
}

export async function postReclass(
  ctx: FlowContext,
  row: InvoiceRow,
  posting: PostingRow,
  request: ReclassRequest,
): Promise<void> {
  await markPostingAttempt(ctx.db, posting.id);
  let result;
  try {
    result = await ctx.connectors.syspro.enet.postGlJournal(
      gentjlInput(request.plan),
      signalOf(ctx),
    );
  } catch (thrown) {
    if (isSysproAmbiguousWriteError(thrown)) {
      // The next run asks SYSPRO for the reference before posting again.
      await markPostingUnknown(ctx.db, posting.id, thrown.message);
      return;
    }
    if (isSysproBusinessRejectionError(thrown) || isSysproInvalidDocumentError(thrown)) {
      await withTransaction(ctx.db, async (tx) => {
        await markPostingFailed(tx, posting.id, thrown.message, {
          messages: isSysproBusinessRejectionError(thrown) ? thrown.messages : [],
        });
        await ctx.recordTransaction(tx, {
          id: posting.transactionId,
          kind: RECLASS_POST,
          subjectType: "invoice",
          subjectId: row.id,
          input: request,
          state: "exception",
          error: thrown.message,
        });
        await ctx.raiseException(
          tx,
          syncException("REMOTE_REJECTED", thrown.message, {
            reference: request.plan.reference,
            postingId: posting.id,
          }),
          subjectOf(row),
          request,
          posting.transactionId,
        );
      });
      return;
    }
    if (isSysproError(thrown) && thrown.transient) {
      // Nothing was sent; the claim stays and the next run settles it.
      ctx.logger.warn({ err: thrown, postingId: posting.id }, "journal not sent; later");
      return;
    }
    throw thrown;
  }
  await settled(ctx, row, posting, request, {
    sysproReference: glJournalReference(result) ?? request.plan.reference,
    response: result,
  });
}

async function settled(
  ctx: FlowContext,
  row: InvoiceRow,
  posting: PostingRow,
  request: ReclassRequest,
  outcome: { readonly sysproReference: string; readonly response: unknown },
): Promise<void> {
  await withTransaction(ctx.db, async (tx) => {
    await markPostingPosted(tx, posting.id, outcome);
    await ctx.recordTransaction(tx, {
      id: posting.transactionId,
      kind: RECLASS_POST,
      subjectType: "invoice",
      subjectId: row.id,
      input: request,
      state: "succeeded",
      result: { sysproReference: outcome.sysproReference },
    });
    await ctx.audit(tx, {
      type: "invoice.reclassified",
      transactionId: posting.transactionId,
      subjectType: "invoice",
      subjectId: row.id,
      data: {
        supplier: row.sysproSupplierCode,
        invoice: row.invoiceNumber,
        journalReference: request.plan.reference,
        sysproReference: outcome.sysproReference,
        amount: posting.amount,
        lines: request.recodedLines.map((l) => ({
          lineNumber: l.lineNumber,
          amount: l.amount,
          fromSysproGlCode: l.fromSysproGlCode,
          toGlCode: l.to.glCode,
        })),
        journal: request.plan.lines.map((l) => ({
          glCode: l.glCode,
          side: l.side,
          amount: l.amount,
        })),
      },
    });
    await showRecode(tx, row.id, request.recodedLines);
  });
  ctx.counts.created += 1;
}

const signalOf = (ctx: FlowContext) => (ctx.signal ? { signal: ctx.signal } : {});
