import {
  isSysproAmbiguousWriteError,
  isSysproBusinessRejectionError,
  isSysproInvalidDocumentError,
} from "../../connectors/syspro/index.js";
import { findGlJournalByReference, glJournalReference } from "./posting-ledger.js";
import { gentjlInput } from "./syspro-journal.js";

import type { SysproConnector } from "../../connectors/syspro/index.js";
import type { ManualPaymentPlan, PostingPlan } from "../domain.js";

/**
 * One payment posting (APSTPM or GENTJL) against SYSPRO: post it, or find it by the deterministic
 * reference it carries. An attempt that may follow an earlier, unanswered one asks first.
 */

export type PostingAttempt =
  | {
      readonly outcome: "posted";
      readonly sysproReference: string;
      readonly response: Record<string, unknown>;
      /** True when an earlier attempt had already posted it (found by reference, not re-sent). */
      readonly found: boolean;
    }
  /** SYSPRO (or our own document check) refused it: nothing was posted, retrying will not help. */
  | { readonly outcome: "rejected"; readonly error: string; readonly response: unknown }
  /** The request may or may not have been applied: the next attempt must ask before posting. */
  | { readonly outcome: "unknown"; readonly error: string };

export interface AttemptOptions {
  /** An earlier attempt may have reached SYSPRO: look the reference up before posting. */
  readonly checkFirst: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Posts `plan` at most once. Failures that prove nothing was sent (transient before sending, auth,
 * permission) are thrown: the claim stays, and the retried job checks and posts.
 */
export async function attemptPosting(
  syspro: SysproConnector,
  plan: PostingPlan,
  options: AttemptOptions,
): Promise<PostingAttempt> {
  const call = options.signal ? { signal: options.signal } : {};
  if (options.checkFirst) {
    const found = await findPosting(syspro, plan, call);
    if (found !== undefined) {
      return { outcome: "posted", sysproReference: found, response: { found: true }, found: true };
    }
  }
  try {
    if (plan.kind === "APSTPM") {
      const result = await syspro.enet.postApManualPay(manualPaymentInput(plan), call);
      return {
        outcome: "posted",
        sysproReference: result.PaymentNumber?.trim() || plan.cheque,
        response: { ...result },
        found: false,
      };
    }
    const result = await syspro.enet.postGlJournal(gentjlInput(plan), call);
    return {
      outcome: "posted",
      sysproReference: glJournalReference(result) ?? plan.reference,
      response: { ...result },
      found: false,
    };
  } catch (err) {
    if (isSysproBusinessRejectionError(err)) {
      return { outcome: "rejected", error: err.message, response: { messages: err.messages } };
    }
    if (isSysproInvalidDocumentError(err)) {
      return { outcome: "rejected", error: err.message, response: { issues: err.issues } };
    }
    if (isSysproAmbiguousWriteError(err)) {
      return { outcome: "unknown", error: err.message };
    }
    throw err;
  }
}

/** SYSPRO's reference of the posting carrying our reference, or `undefined` when there is none. */
export async function findPosting(
  syspro: SysproConnector,
  plan: PostingPlan,
  call: { signal?: AbortSignal } = {},
): Promise<string | undefined> {
  if (plan.kind === "GENTJL") {
    return findGlJournalByReference(syspro.enet, plan.reference, call);
  }
  // APSTPM applies the whole document or nothing, so one row under our cheque means it posted.
  const rows = await syspro.odata.apInvoicePaysByReference(plan.cheque, call);
  const mine = rows.filter((r) => r.Supplier.trim() === plan.supplier);
  return mine.length > 0 ? plan.cheque : undefined;
}

function manualPaymentInput(plan: ManualPaymentPlan) {
  return {
    Supplier: plan.supplier,
    Bank: plan.bank,
    ChequeDate: plan.chequeDate,
    Cheque: plan.cheque,
    ChequeValue: plan.chequeValue,
    ReleasedInvoice: plan.releasedInvoices.map((r) => ({
      Invoice: r.invoice,
      GrossPayValue: r.grossPayValue,
      DiscPayValue: r.discPayValue,
    })),
  };
}
