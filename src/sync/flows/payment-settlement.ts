import { and, eq, inArray, sql } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { payments, postings } from "../../db/schema/index.js";
import { syncException } from "../exceptions.js";
import { formatCents, sumCents, toCents } from "../money.js";
import { attemptPosting } from "./payment-postings-syspro.js";
import {
  claimPosting,
  markPostingAttempt,
  markPostingFailed,
  markPostingPosted,
  markPostingUnknown,
} from "./posting-ledger.js";

import type { Tx } from "../../db/client.js";
import type {
  PaymentPostingKind,
  PostingLedgerKey,
  PostingPlan,
  TransactionId,
} from "../domain.js";
import type { SyncException } from "../exceptions.js";
import type { PostingAttempt } from "./payment-postings-syspro.js";
import type { PostingClaim, PostingRow } from "./posting-ledger.js";
import type { ExceptionSubject, FlowContext } from "./run-context.js";

/**
 * The posting-ledger side of flow 5: claim a payment posting (or its reversal) with its intent,
 * settle it with what SYSPRO answered, and settle what an earlier attempt left claimed or
 * unanswered by asking SYSPRO before posting again.
 */

/** The transaction kinds (their head, `payment`, routes replays and retries to flow 5). */
export const TX_POST = "payment.post";
export const TX_REVERSE = "payment.reverse";

/**
 * What a posting row's `request` holds: the document and its ledger keys, enough to post it again
 * after a crash, to find it in SYSPRO by reference, and to plan its reversal.
 */
export interface StoredPosting {
  readonly reference: string;
  readonly plan: PostingPlan;
  readonly ledgerKeys: readonly PostingLedgerKey[];
  /** Raised once the reversal is posted (an APSTPM original stays settled in AP). */
  readonly followUp?: SyncException;
}

class ClaimTaken extends Error {
  override readonly name = "ClaimTaken";
}

/**
 * Claims every ledger row of one document, with the intent, in one committed transaction — all or
 * none. `undefined` when any key is already held: an earlier attempt owns the document.
 */
export async function claimAndRecord(
  ctx: FlowContext,
  claims: readonly PostingClaim[],
  recordIntent: (tx: Tx) => Promise<void>,
): Promise<PostingRow[] | undefined> {
  try {
    return await withTransaction(ctx.db, async (tx) => {
      const rows: PostingRow[] = [];
      for (const claim of claims) {
        const { fresh, posting } = await claimPosting(tx, claim);
        if (!fresh) {
          throw new ClaimTaken(`${claim.key.kind} of payment already claimed`);
        }
        await markPostingAttempt(tx, posting.id);
        rows.push(posting);
      }
      await recordIntent(tx);
      return rows;
    });
  } catch (err) {
    if (err instanceof ClaimTaken) {
      ctx.logger.warn({ err }, "posting already claimed; left to the claim's owner");
      return undefined;
    }
    throw err;
  }
}

/**
 * Puts the rows of a posting SYSPRO refused back to `claimed` with the new document, with the
 * intent, in one committed transaction; `undefined` when the rows do not match the claims' keys.
 */
export async function reclaimRefused(
  ctx: FlowContext,
  refused: readonly PostingRow[],
  claims: readonly PostingClaim[],
  recordIntent: (tx: Tx) => Promise<void>,
): Promise<PostingRow[] | undefined> {
  const byInvoice = new Map(refused.map((r) => [r.invoiceId, r]));
  if (byInvoice.size !== claims.length || claims.some((c) => !byInvoice.has(c.key.invoiceId))) {
    return undefined;
  }
  return withTransaction(ctx.db, async (tx) => {
    const rows: PostingRow[] = [];
    for (const claim of claims) {
      const [row] = await tx
        .update(postings)
        .set({
          state: "claimed",
          method: claim.method,
          amount: claim.amount,
          currency: claim.currency ?? null,
          request: claim.request ?? null,
          error: null,
          attempts: sql`${postings.attempts} + 1`,
        })
        .where(
          and(
            eq(postings.id, byInvoice.get(claim.key.invoiceId)!.id),
            eq(postings.state, "failed"),
          ),
        )
        .returning();
      if (!row) {
        throw new Error("a refused posting changed state while it was being claimed again");
      }
      rows.push(row);
    }
    await recordIntent(tx);
    return rows;
  });
}

/** Postings an earlier attempt claimed but never settled: ask SYSPRO, then post only if absent. */
export async function settleUnsettledPostings(ctx: FlowContext): Promise<void> {
  const open = await ctx.db
    .select()
    .from(postings)
    .where(
      and(
        eq(postings.connectionId, ctx.connection.id),
        inArray(postings.kind, ["payment", "reversal"]),
        inArray(postings.state, ["claimed", "unknown"]),
      ),
    );
  const documents = new Map<string, PostingRow[]>();
  for (const row of open) {
    const key = `${row.kind}/${row.transactionId}`;
    documents.set(key, [...(documents.get(key) ?? []), row]);
  }
  for (const rows of documents.values()) {
    await resumeDocument(ctx, rows);
  }
}

/** One document's rows (same kind and transaction), claimed or unanswered: check, then post. */
export async function resumeDocument(
  ctx: FlowContext,
  rows: readonly PostingRow[],
): Promise<PostingAttempt> {
  const first = rows[0]!;
  const stored = first.request as StoredPosting;
  await withTransaction(ctx.db, async (tx) => {
    for (const r of rows) {
      await markPostingAttempt(tx, r.id);
    }
  });
  const attempt = await attemptPosting(ctx.connectors.syspro, stored.plan, {
    checkFirst: true,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  await settle(ctx, first.kind as PaymentPostingKind, rows, stored, attempt);
  return attempt;
}

/** Records what SYSPRO answered for one document, with its audit trail, in one transaction. */
export async function settle(
  ctx: FlowContext,
  kind: PaymentPostingKind,
  rows: readonly PostingRow[],
  stored: StoredPosting,
  attempt: PostingAttempt,
): Promise<void> {
  const first = rows[0]!;
  const transactionId: TransactionId = first.transactionId;
  const avidPaymentId = first.avidPaymentId ?? "";
  const paymentId = first.paymentId;
  const subject: ExceptionSubject = {
    type: "payment",
    id: paymentId ?? avidPaymentId,
    ref: `payment ${avidPaymentId}`,
  };
  const txKind = kind === "payment" ? TX_POST : TX_REVERSE;
  const amount = formatCents(sumCents(rows.map((r) => toCents(r.amount))));
  const trail = {
    avidPaymentId,
    reference: stored.reference,
    method: stored.plan.kind,
    amount,
    currency: first.currency,
    invoices: stored.ledgerKeys.map((k) => k.invoice),
  };
  const record = (
    tx: Tx,
    state: "succeeded" | "exception" | "pending",
    more: { result?: unknown; error?: string },
  ) =>
    ctx.recordTransaction(tx, {
      id: transactionId,
      kind: txKind,
      subjectType: "payment",
      subjectId: subject.id,
      input: { avidPaymentId, posting: stored },
      state,
      ...more,
    });
  const setPaymentState = async (tx: Tx, state: "posted" | "reversed" | "exception") => {
    if (paymentId) {
      await tx.update(payments).set({ postingState: state }).where(eq(payments.id, paymentId));
    }
  };

  await withTransaction(ctx.db, async (tx) => {
    switch (attempt.outcome) {
      case "posted": {
        for (const r of rows) {
          await markPostingPosted(tx, r.id, {
            sysproReference: attempt.sysproReference,
            response: attempt.response,
          });
        }
        await setPaymentState(tx, kind === "payment" ? "posted" : "reversed");
        await record(tx, "succeeded", {
          result: { sysproReference: attempt.sysproReference, found: attempt.found },
        });
        await ctx.audit(tx, {
          type: kind === "payment" ? "payment.posted" : "payment.reversed",
          transactionId,
          subjectType: "payment",
          subjectId: subject.id,
          data: { ...trail, sysproReference: attempt.sysproReference, found: attempt.found },
        });
        if (kind === "payment") {
          ctx.counts.created += 1;
        } else {
          ctx.counts.updated += 1;
        }
        // Before the follow-up: it is raised by this success, not resolved by it.
        await ctx.resolveExceptions(tx, subject);
        if (stored.followUp) {
          await ctx.raiseException(tx, stored.followUp, subject, null, transactionId);
        }
        return;
      }
      case "rejected": {
        for (const r of rows) {
          await markPostingFailed(tx, r.id, attempt.error, attempt.response);
        }
        await setPaymentState(tx, "exception");
        await record(tx, "exception", { error: attempt.error });
        await ctx.raiseException(
          tx,
          syncException("REMOTE_REJECTED", `SYSPRO refused ${stored.reference}: ${attempt.error}`, {
            ...trail,
          }),
          subject,
          attempt.response,
          transactionId,
        );
        return;
      }
      case "unknown": {
        for (const r of rows) {
          await markPostingUnknown(tx, r.id, attempt.error);
        }
        await record(tx, "pending", { error: attempt.error });
        await ctx.audit(tx, {
          type: "payment.posting_unknown",
          transactionId,
          subjectType: "payment",
          subjectId: subject.id,
          data: { ...trail, error: attempt.error },
        });
        return;
      }
    }
  });
}
