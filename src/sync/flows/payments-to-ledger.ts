import { and, eq, inArray } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { payments, postings } from "../../db/schema/index.js";
import { syncException } from "../exceptions.js";
import { formatCents } from "../money.js";
import { planPaymentPosting } from "../payments/posting-plan.js";
import { assertPostingStatus, decidePaymentAction } from "../payments/should-post.js";
import { validateRemittance } from "../payments/validate-remittance.js";
import { addDays, advanceWatermark, pollFromDate } from "../watermarks.js";
import { attemptPosting } from "./payment-postings-syspro.js";
import {
  avidInstant,
  loadGlAccounts,
  paymentSubject,
  loadSentInvoices,
  postingSettingsOf,
  sentInvoicesOfPage,
  toPayment,
  upsertPayments,
} from "./payment-records.js";
import { reversePayment } from "./payment-reversal.js";
import {
  claimAndRecord,
  reclaimRefused,
  settle,
  settleUnsettledPostings,
  TX_POST,
} from "./payment-settlement.js";
import { isUnsettled } from "./posting-ledger.js";
import { loadStreamWatermark, saveStreamWatermark } from "./stream-watermark.js";

import type { AvidPayment } from "../../connectors/avidxchange/types.js";
import type { Tx } from "../../db/client.js";
import type { Payment, PostingPlan, PostingSettings } from "../domain.js";
import type { GlAccountIndex } from "../mapping/catalogs.js";
import type { Watermark } from "../watermarks.js";
import type { PostingAttempt } from "./payment-postings-syspro.js";
import type { PaymentRow, SentInvoiceSource } from "./payment-records.js";
import type { StoredPosting } from "./payment-settlement.js";
import type { PostingClaim, PostingRow } from "./posting-ledger.js";
import type { FlowContext } from "./run-context.js";

const STREAM = "avidxchange.payments";
/** AvidXchange stamps changes in its own time; re-reading a few days is harmless (idempotent). */
const LOOKBACK_DAYS = 3;

export interface PaymentEnv {
  readonly settings: PostingSettings;
  glAccounts(): Promise<GlAccountIndex>;
}

/** The connection's posting settings, and its GL accounts read from SYSPRO once, when first needed. */
export function paymentEnv(ctx: FlowContext): PaymentEnv {
  const settings = postingSettingsOf(ctx.connection);
  assertPostingStatus(settings.postingStatus);
  let gl: Promise<GlAccountIndex> | undefined;
  return { settings, glAccounts: () => (gl ??= loadGlAccounts(ctx)) };
}

/**
 * Flow 5, payments → SYSPRO ledger. First settles postings an earlier attempt left claimed or
 * unanswered (asking SYSPRO for the reference before posting again), then polls AvidPay payments
 * modified since the watermark. A payment that reached the connection's posting status is checked
 * line by line against the invoices we sent; any bad line raises exceptions and posts nothing. A
 * valid one is claimed in the posting ledger (committed) before the APSTPM or GENTJL call, then
 * marked with SYSPRO's reference. A payment voided after posting gets one reversal journal.
 */
export async function syncPaymentsToLedger(ctx: FlowContext): Promise<void> {
  const env = paymentEnv(ctx);
  await settleUnsettledPostings(ctx);

  const current = await loadStreamWatermark(ctx, STREAM);
  // No payment modified before the connection existed can settle an invoice it sent.
  const initialFrom = addDays(ctx.connection.createdAt.toISOString().slice(0, 10), -1);
  const from = pollFromDate({
    ...(current ? { watermark: current } : {}),
    lookbackDays: LOOKBACK_DAYS,
    initialFrom,
  });
  // Tomorrow, inclusive: AvidXchange's clock may run ahead of ours.
  const to = addDays(new Date().toISOString().slice(0, 10), 1);
  let watermark = current;
  for await (const page of ctx.connectors.avid.payments.listModified({
    from,
    to,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  })) {
    watermark = await syncPaymentPage(ctx, env, page.items, watermark);
    await ctx.progress(`payments: ${ctx.counts.read} read`);
  }
}

async function syncPaymentPage(
  ctx: FlowContext,
  env: PaymentEnv,
  items: readonly AvidPayment[],
  watermark: Watermark | undefined,
): Promise<Watermark | undefined> {
  ctx.counts.read += items.length;
  const page = [...new Map(items.map((p) => [String(p.PaymentId), p])).values()];
  const rows = await withTransaction(ctx.db, (tx) => upsertPayments(tx, ctx.connection.id, page));
  const ledger = await ledgerOf(ctx, [...rows.keys()]);
  const decided = page.map((wire) => {
    const row = rows.get(String(wire.PaymentId))!;
    return { wire, row, decision: decide(env, wire, ledger.get(row.avidPaymentId) ?? []) };
  });
  const toPost = decided.flatMap((d) => (d.decision.action === "post" ? [d.decision.payment] : []));
  const sentInvoices = toPost.length > 0 ? await sentInvoicesOfPage(ctx, toPost) : undefined;
  for (const { wire, row, decision } of decided) {
    await handlePayment(ctx, env, wire, row, decision, sentInvoices);
  }
  // Every payment of the page is now posted, held as an exception, or durably claimed.
  const next = advanceWatermark(
    watermark,
    page.flatMap((p) =>
      p.LastModifiedDate && avidInstant(p.LastModifiedDate)
        ? [{ timestamp: p.LastModifiedDate, key: String(p.PaymentId) }]
        : [],
    ),
  );
  if (next && next !== watermark) {
    await saveStreamWatermark(ctx.db, ctx.connection.id, STREAM, next);
  }
  return next;
}

async function ledgerOf(
  ctx: FlowContext,
  avidPaymentIds: readonly string[],
): Promise<Map<string, PostingRow[]>> {
  const out = new Map<string, PostingRow[]>();
  if (avidPaymentIds.length === 0) {
    return out;
  }
  const rows = await ctx.db
    .select()
    .from(postings)
    .where(
      and(
        eq(postings.connectionId, ctx.connection.id),
        inArray(postings.kind, ["payment", "reversal"]),
        inArray(postings.avidPaymentId, [...avidPaymentIds]),
      ),
    );
  for (const row of rows) {
    const list = out.get(row.avidPaymentId ?? "") ?? [];
    list.push(row);
    out.set(row.avidPaymentId ?? "", list);
  }
  return out;
}

type PaymentDecision =
  | { readonly action: "settle-first" }
  | {
      readonly action: ReturnType<typeof decidePaymentAction>;
      readonly payment: Payment;
      readonly posted: readonly PostingRow[];
    };

function decide(
  env: PaymentEnv,
  wire: AvidPayment,
  ledger: readonly PostingRow[],
): PaymentDecision {
  const posted = ledger.filter((p) => p.kind === "payment");
  const reversals = ledger.filter((p) => p.kind === "reversal");
  // Unsettled claims are resolved at the start of the next run, by asking SYSPRO first; a posting
  // SYSPRO refused waits for a person (its exception), never for a blind retry.
  if (ledger.some(isUnsettled) || posted.some((p) => p.state === "failed")) {
    return { action: "settle-first" };
  }
  const payment = toPayment(wire);
  const action = decidePaymentAction({
    status: payment.status,
    postingStatus: env.settings.postingStatus,
    posted: posted.length > 0,
    reversed: reversals.length > 0,
  });
  return { action, payment, posted };
}

async function handlePayment(
  ctx: FlowContext,
  env: PaymentEnv,
  wire: AvidPayment,
  row: PaymentRow,
  decision: PaymentDecision,
  sentInvoices: SentInvoiceSource | undefined,
): Promise<void> {
  if (decision.action === "settle-first") {
    ctx.counts.unchanged += 1;
    return;
  }
  const { payment, posted } = decision;
  switch (decision.action) {
    case "post":
      await postPayment(ctx, env, wire, payment, row, sentInvoices ? { sentInvoices } : {});
      return;
    case "reverse":
      return reversePayment(ctx, env, wire, payment, row, posted);
    case "unknown-status":
      return holdUnknownStatus(ctx, wire, payment, row);
    case "wait":
    case "none":
      ctx.counts.unchanged += 1;
      return;
  }
}

/** What posting one payment came to (the replay handler reports it). */
export type PaymentMove =
  | { readonly outcome: "held"; readonly detail: string }
  | { readonly outcome: "would_post"; readonly reference: string; readonly plan: PostingPlan }
  | { readonly outcome: "claimed_elsewhere" }
  | {
      readonly outcome: "attempted";
      readonly reference: string;
      readonly plan: PostingPlan;
      readonly attempt: PostingAttempt;
    };

export interface PaymentMoveOptions {
  /** Validate and plan only: no claim, no call, no write. */
  readonly dryRun?: boolean;
  /** Rows of a posting SYSPRO refused: an operator's replay posts again under their keys. */
  readonly refused?: readonly PostingRow[];
  /** The page's sent invoices with their balances read together; otherwise read for this payment. */
  readonly sentInvoices?: SentInvoiceSource;
}

/**
 * Validates one payment that reached the posting status against the invoices we sent, and posts it:
 * claimed first (committed), then the one SYSPRO call, then settled. Any invalid line holds it.
 */
export async function postPayment(
  ctx: FlowContext,
  env: PaymentEnv,
  raw: unknown,
  payment: Payment,
  row: PaymentRow,
  options: PaymentMoveOptions = {},
): Promise<PaymentMove> {
  // An earlier attempt's transaction id is kept: same movement, same replay handle.
  const transactionId = row.transactionId ?? ctx.newTransactionId();
  const sent = options.sentInvoices
    ? await options.sentInvoices.load(payment)
    : await loadSentInvoices(ctx, payment);
  const validation = validateRemittance({
    payment,
    sentInvoices: sent.invoices,
    glAccounts: await env.glAccounts(),
    posting: env.settings,
  });
  const input = { payment, sentInvoices: sent.invoices, settings: env.settings };
  if (!validation.ok) {
    const detail = validation.exceptions.map((e) => `${e.reason}: ${e.message}`).join("; ");
    if (options.dryRun) {
      return { outcome: "held", detail };
    }
    await withTransaction(ctx.db, async (tx) => {
      await tx
        .update(payments)
        .set({ postingState: "exception", transactionId })
        .where(eq(payments.id, row.id));
      await ctx.recordTransaction(tx, {
        id: transactionId,
        kind: TX_POST,
        subjectType: "payment",
        subjectId: row.id,
        input,
        state: "exception",
        error: validation.exceptions.map((e) => e.reason).join(", "),
      });
      for (const exception of validation.exceptions) {
        await ctx.raiseException(tx, exception, paymentSubject(row), raw, transactionId);
      }
    });
    return { outcome: "held", detail };
  }

  const posting = planPaymentPosting(ctx.connection.id, validation, env.settings);
  if (!options.dryRun) {
    options.sentInvoices?.mayHaveMoved(sent);
  }
  if (options.dryRun) {
    return { outcome: "would_post", reference: posting.reference, plan: posting.plan };
  }
  const stored: StoredPosting = {
    reference: posting.reference,
    plan: posting.plan,
    ledgerKeys: posting.ledgerKeys,
  };
  const byNumber = new Map(validation.applications.map((a) => [a.invoice.invoiceNumber.trim(), a]));
  const claims = posting.ledgerKeys.map((key): PostingClaim => {
    const application = byNumber.get(key.invoice)!;
    return {
      connectionId: ctx.connection.id,
      key: {
        kind: "payment",
        invoiceId: sent.idOf.get(application.invoice.externalInvoiceId)!,
        avidPaymentId: payment.paymentId,
      },
      transactionId,
      method: posting.plan.kind,
      amount: formatCents(application.grossCents),
      currency: payment.currency,
      request: stored,
      paymentId: row.id,
    };
  });
  const recordIntent = async (tx: Tx) => {
    await tx
      .update(payments)
      .set({ postingState: "ready", transactionId })
      .where(eq(payments.id, row.id));
    await ctx.recordTransaction(tx, {
      id: transactionId,
      kind: TX_POST,
      subjectType: "payment",
      subjectId: row.id,
      input: { ...input, posting: stored },
      state: "pending",
    });
  };
  const refused = options.refused ?? [];
  const claimed =
    refused.length > 0
      ? await reclaimRefused(ctx, refused, claims, recordIntent)
      : await claimAndRecord(ctx, claims, recordIntent);
  if (!claimed) {
    ctx.counts.unchanged += 1;
    return refused.length > 0
      ? { outcome: "held", detail: "the refused posting settles other invoices than the payment" }
      : { outcome: "claimed_elsewhere" };
  }
  // A refused document may have been posted since by hand under our reference: ask first.
  const attempt = await attemptPosting(ctx.connectors.syspro, posting.plan, {
    checkFirst: refused.length > 0,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  await settle(ctx, "payment", claimed, stored, attempt);
  return { outcome: "attempted", reference: posting.reference, plan: posting.plan, attempt };
}

async function holdUnknownStatus(
  ctx: FlowContext,
  wire: AvidPayment,
  payment: Payment,
  row: PaymentRow,
): Promise<void> {
  const transactionId = row.transactionId ?? ctx.newTransactionId();
  await withTransaction(ctx.db, async (tx) => {
    await tx
      .update(payments)
      .set({ postingState: "exception", transactionId })
      .where(eq(payments.id, row.id));
    await ctx.recordTransaction(tx, {
      id: transactionId,
      kind: TX_POST,
      subjectType: "payment",
      subjectId: row.id,
      input: { payment },
      state: "exception",
      error: "UNKNOWN_PAYMENT_STATUS",
    });
    await ctx.raiseException(
      tx,
      syncException(
        "UNKNOWN_PAYMENT_STATUS",
        `payment ${payment.paymentId} is "${payment.status}"`,
        { avidPaymentId: payment.paymentId, status: payment.status },
      ),
      paymentSubject(row),
      wire,
      transactionId,
    );
  });
}
