import { withTransaction } from "../../db/client.js";
import { planPaymentReversal } from "../payments/posting-plan.js";
import { attemptPosting } from "./payment-postings-syspro.js";
import { paymentSubject } from "./payment-records.js";
import { claimAndRecord, settle, TX_REVERSE } from "./payment-settlement.js";

import type { AvidPayment } from "../../connectors/avidxchange/types.js";
import type { Payment, TransactionId } from "../domain.js";
import type { PaymentRow } from "./payment-records.js";
import type { StoredPosting } from "./payment-settlement.js";
import type { PaymentEnv } from "./payments-to-ledger.js";
import type { PostingClaim, PostingRow } from "./posting-ledger.js";
import type { FlowContext } from "./run-context.js";

/**
 * Reverses a payment voided after posting: one GENTJL journal swapping the original's accounts,
 * claimed before the call. A replay passes the reversal's transaction id to keep its handle.
 */
export async function reversePayment(
  ctx: FlowContext,
  env: PaymentEnv,
  wire: AvidPayment,
  payment: Payment,
  row: PaymentRow,
  originals: readonly PostingRow[],
  options: { readonly transactionId?: TransactionId } = {},
): Promise<void> {
  const original = originals[0]!.request as StoredPosting;
  const transactionId = options.transactionId ?? ctx.newTransactionId();
  const reversal = planPaymentReversal({
    connection: ctx.connection.id,
    avidPaymentId: payment.paymentId,
    original: {
      reference: original.reference,
      plan: original.plan,
      ledgerKeys: original.ledgerKeys,
    },
    posting: env.settings,
  });
  const input = { payment, original: original.reference, settings: env.settings };
  if (!reversal.ok) {
    await withTransaction(ctx.db, async (tx) => {
      await ctx.recordTransaction(tx, {
        id: transactionId,
        kind: TX_REVERSE,
        subjectType: "payment",
        subjectId: row.id,
        input,
        state: "exception",
        error: reversal.exception.reason,
      });
      await ctx.raiseException(tx, reversal.exception, paymentSubject(row), wire, transactionId);
    });
    return;
  }
  const stored: StoredPosting = {
    reference: reversal.reference,
    plan: reversal.plan,
    ledgerKeys: reversal.ledgerKeys,
    ...(reversal.followUp ? { followUp: reversal.followUp } : {}),
  };
  // One reversal row per original row: same invoice, same amount, pointing at what it undoes.
  const claims = originals.map((o): PostingClaim => ({
    connectionId: ctx.connection.id,
    key: { kind: "reversal", invoiceId: o.invoiceId, avidPaymentId: payment.paymentId },
    transactionId,
    method: reversal.plan.kind,
    amount: o.amount,
    currency: o.currency,
    request: stored,
    paymentId: row.id,
    reversesPostingId: o.id,
  }));
  const claimed = await claimAndRecord(ctx, claims, async (tx) => {
    await ctx.recordTransaction(tx, {
      id: transactionId,
      kind: TX_REVERSE,
      subjectType: "payment",
      subjectId: row.id,
      input: { ...input, posting: stored },
      state: "pending",
    });
  });
  if (!claimed) {
    ctx.counts.unchanged += 1;
    return;
  }
  const attempt = await attemptPosting(ctx.connectors.syspro, reversal.plan, {
    checkFirst: false,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  await settle(ctx, "reversal", claimed, stored, attempt);
}
