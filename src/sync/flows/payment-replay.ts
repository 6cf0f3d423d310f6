import { and, eq } from "drizzle-orm";
import { z } from "zod";

import { payments, postings } from "../../db/schema/index.js";
import { planPaymentReversal } from "../payments/posting-plan.js";
import { decidePaymentAction } from "../payments/should-post.js";
import { attemptPosting } from "./payment-postings-syspro.js";
import { toPayment } from "./payment-records.js";
import { reclaimRefused, resumeDocument, settle } from "./payment-settlement.js";
import { reversePayment } from "./payment-reversal.js";
import { paymentEnv, postPayment } from "./payments-to-ledger.js";
import { isUnsettled } from "./posting-ledger.js";

import type { Payment, PostingPlan } from "../domain.js";
import type { ReplayHandler, ReplayResult } from "../replay.js";
import type { PostingAttempt } from "./payment-postings-syspro.js";
import type { StoredPosting } from "./payment-settlement.js";
import type { PaymentMove } from "./payments-to-ledger.js";
import type { PostingClaim, PostingRow } from "./posting-ledger.js";
import type { FlowContext } from "./run-context.js";

/**
 * Replay of a `payment.post` transaction: the payment again through flow 5's guards. Posted is a
 * no-op; a claim left unanswered is settled by asking SYSPRO first; a posting SYSPRO refused is
 * posted again under its ledger keys (an operator asked, after fixing the cause); a held payment is
 * validated again. The payment's current AvidPay status is read first: a payment voided or not yet
 * at the posting status is not posted.
 */

const storedInput = z.looseObject({
  payment: z.looseObject({
    paymentId: z.string(),
    status: z.string(),
    currency: z.string(),
    amount: z.string(),
    paymentDate: z.string(),
    payeeExternalId: z.string(),
    lastModified: z.string(),
    remittance: z.array(
      z.looseObject({
        invoiceNumber: z.string(),
        grossAmount: z.string(),
        discountAmount: z.string(),
        amount: z.string(),
      }),
    ),
  }),
});

export const paymentPostReplay: ReplayHandler = {
  async apply(ctx, input, { dryRun }) {
    const parsed = storedInput.safeParse(input);
    if (!parsed.success) {
      return {
        outcome: "failed",
        detail: "the stored input of this payment.post transaction is not replayable",
      };
    }
    const stored = parsed.data.payment as unknown as Payment;
    const id = stored.paymentId;
    const [row] = await ctx.db
      .select()
      .from(payments)
      .where(and(eq(payments.connectionId, ctx.connection.id), eq(payments.avidPaymentId, id)));
    if (!row) {
      return { outcome: "failed", detail: `payment ${id} is not in the mirror` };
    }
    const ledger = await ctx.db
      .select()
      .from(postings)
      .where(
        and(
          eq(postings.connectionId, ctx.connection.id),
          eq(postings.avidPaymentId, id),
          eq(postings.kind, "payment"),
        ),
      );
    const posted = ledger.find((p) => p.state === "posted");
    if (ledger.length > 0 && ledger.every((p) => p.state === "posted")) {
      return {
        outcome: "noop",
        detail: `already applied: payment ${id} is in SYSPRO as ${posted?.sysproReference ?? "posted"}`,
      };
    }
    if (ledger.some(isUnsettled)) {
      const document = ledger[0]!.request as StoredPosting;
      if (dryRun) {
        return {
          outcome: "would_apply",
          detail: `would ask SYSPRO for ${document.reference} and post it only if absent`,
          ...requestsOf(document.plan),
        };
      }
      return attemptResult(document.reference, document.plan, await resumeDocument(ctx, ledger));
    }

    const current = await currentPayment(ctx, id);
    const payment = current ? toPayment(current) : stored;
    const env = paymentEnv(ctx);
    const action = decidePaymentAction({
      status: payment.status,
      postingStatus: env.settings.postingStatus,
      posted: false,
      reversed: false,
    });
    if (action !== "post") {
      return {
        outcome: action === "unknown-status" ? "failed" : "noop",
        detail: `nothing to post: payment ${id} is "${payment.status}" in AvidXchange`,
      };
    }
    const move = await postPayment(ctx, env, current ?? stored, payment, row, {
      dryRun,
      refused: ledger.filter((p) => p.state === "failed"),
    });
    return moveResult(id, move);
  },
};

async function currentPayment(ctx: FlowContext, id: string) {
  if (!/^\d+$/.test(id)) {
    return undefined;
  }
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const [found] = await ctx.connectors.avid.payments.byIds([Number(id)], signal);
  return found;
}

function requestsOf(plan: PostingPlan): Pick<ReplayResult, "requests" | "glLines"> {
  return {
    requests: [{ system: "syspro", operation: `${plan.kind} Transaction/Post`, body: plan }],
    ...(plan.kind === "GENTJL" ? { glLines: plan.lines } : {}),
  };
}

function moveResult(id: string, move: PaymentMove): ReplayResult {
  switch (move.outcome) {
    case "held":
      return { outcome: "failed", detail: `payment ${id} is held: ${move.detail}` };
    case "claimed_elsewhere":
      return { outcome: "noop", detail: `payment ${id} is being posted by another attempt` };
    case "would_post":
      return {
        outcome: "would_apply",
        detail: `would post payment ${id} as ${move.reference}`,
        ...requestsOf(move.plan),
      };
    case "attempted":
      return attemptResult(move.reference, move.plan, move.attempt);
  }
}

function attemptResult(
  reference: string,
  plan: PostingPlan,
  attempt: PostingAttempt,
): ReplayResult {
  switch (attempt.outcome) {
    case "posted":
      return attempt.found
        ? { outcome: "noop", detail: `already applied: SYSPRO holds ${reference}` }
        : {
            outcome: "applied",
            detail: `posted ${reference} as ${attempt.sysproReference}`,
            ...requestsOf(plan),
          };
    case "rejected":
      return { outcome: "failed", detail: `SYSPRO refused ${reference}: ${attempt.error}` };
    case "unknown":
      return {
        outcome: "failed",
        detail: `SYSPRO's answer for ${reference} was lost; the next payments run asks before posting again`,
      };
  }
}

// Written by the reversal's claim (`payment`) or, failing that, by its settlement (`avidPaymentId`).
const reverseInput = z.looseObject({
  payment: z.looseObject({ paymentId: z.string() }).optional(),
  avidPaymentId: z.string().optional(),
});

/**
 * Replay of a `payment.reverse` transaction: the reversal of a payment voided after it was posted,
 * through the same ledger guards. A posted reversal is a no-op; a claim left unanswered is settled
 * by asking SYSPRO first; a reversal SYSPRO refused is sent again (after a person fixed the cause),
 * asking first in case it was posted by hand; a reversal that was never claimed (held when planned)
 * is planned again, but only while AvidXchange still says the payment is voided.
 */
export const paymentReverseReplay: ReplayHandler = {
  async apply(ctx, input, { dryRun, transaction }) {
    const parsed = reverseInput.safeParse(input);
    const id = parsed.data?.payment?.paymentId ?? parsed.data?.avidPaymentId;
    if (!id) {
      return {
        outcome: "failed",
        detail: "the stored input of this payment.reverse transaction is not replayable",
      };
    }
    const [row] = await ctx.db
      .select()
      .from(payments)
      .where(and(eq(payments.connectionId, ctx.connection.id), eq(payments.avidPaymentId, id)));
    if (!row) {
      return { outcome: "failed", detail: `payment ${id} is not in the mirror` };
    }
    const ledger = await ctx.db
      .select()
      .from(postings)
      .where(and(eq(postings.connectionId, ctx.connection.id), eq(postings.avidPaymentId, id)));
    const reversals = ledger.filter((p) => p.kind === "reversal");
    const originals = ledger.filter((p) => p.kind === "payment" && p.state === "posted");
    if (reversals.length > 0 && reversals.every((p) => p.state === "posted")) {
      return {
        outcome: "noop",
        detail: `already applied: the reversal of payment ${id} is in SYSPRO as ${reversals[0]!.sysproReference ?? "posted"}`,
      };
    }
    if (reversals.length > 0) {
      const document = reversals[0]!.request as StoredPosting;
      if (dryRun) {
        return {
          outcome: "would_apply",
          detail: `would ask SYSPRO for ${document.reference} and post it only if absent`,
          ...requestsOf(document.plan),
        };
      }
      if (reversals.some(isUnsettled)) {
        return attemptResult(
          document.reference,
          document.plan,
          await resumeDocument(ctx, reversals),
        );
      }
      return repostRefused(ctx, reversals, document);
    }
    if (originals.length === 0) {
      return { outcome: "noop", detail: `nothing to reverse: payment ${id} was never posted` };
    }
    const current = await currentPayment(ctx, id);
    if (!current) {
      return { outcome: "failed", detail: `AvidXchange does not know payment ${id}` };
    }
    const payment = toPayment(current);
    const env = paymentEnv(ctx);
    const action = decidePaymentAction({
      status: payment.status,
      postingStatus: env.settings.postingStatus,
      posted: true,
      reversed: false,
    });
    if (action !== "reverse") {
      return {
        outcome: "noop",
        detail: `nothing to reverse: payment ${id} is "${payment.status}" in AvidXchange`,
      };
    }
    const original = originals[0]!.request as StoredPosting;
    if (dryRun) {
      const planned = planPaymentReversal({
        connection: ctx.connection.id,
        avidPaymentId: id,
        original: {
          reference: original.reference,
          plan: original.plan,
          ledgerKeys: original.ledgerKeys,
        },
        posting: env.settings,
      });
      return planned.ok
        ? {
            outcome: "would_apply",
            detail: `would reverse payment ${id} as ${planned.reference}`,
            ...requestsOf(planned.plan),
          }
        : {
            outcome: "failed",
            detail: `the reversal of payment ${id} is held: ${planned.exception.message}`,
          };
    }
    await reversePayment(ctx, env, current, payment, row, originals, {
      transactionId: transaction.id,
    });
    const [after] = await ctx.db
      .select()
      .from(postings)
      .where(
        and(
          eq(postings.connectionId, ctx.connection.id),
          eq(postings.avidPaymentId, id),
          eq(postings.kind, "reversal"),
        ),
      );
    if (!after) {
      return {
        outcome: "failed",
        detail: `the reversal of payment ${id} is held (see its exception)`,
      };
    }
    const stored = after.request as StoredPosting;
    return after.state === "posted"
      ? {
          outcome: "applied",
          detail: `reversed payment ${id} as ${after.sysproReference ?? stored.reference}`,
          ...requestsOf(stored.plan),
        }
      : {
          outcome: "failed",
          detail: `the reversal ${stored.reference} is ${after.state}: ${after.error ?? "see its exception"}`,
        };
  },
};

/** A reversal SYSPRO refused, claimed again under its keys and sent once SYSPRO says it is absent. */
async function repostRefused(
  ctx: FlowContext,
  refused: readonly PostingRow[],
  document: StoredPosting,
): Promise<ReplayResult> {
  const claims = refused.map((r): PostingClaim => ({
    connectionId: r.connectionId,
    key: { kind: "reversal", invoiceId: r.invoiceId, avidPaymentId: r.avidPaymentId ?? "" },
    transactionId: r.transactionId,
    method: r.method,
    amount: r.amount,
    currency: r.currency,
    request: document,
    paymentId: r.paymentId,
    reversesPostingId: r.reversesPostingId,
  }));
  const claimed = await reclaimRefused(ctx, refused, claims, async () => {});
  if (!claimed) {
    return { outcome: "failed", detail: `the reversal ${document.reference} changed meanwhile` };
  }
  const attempt = await attemptPosting(ctx.connectors.syspro, document.plan, {
    checkFirst: true,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  await settle(ctx, "reversal", claimed, document, attempt);
  return attemptResult(document.reference, document.plan, attempt);
}
