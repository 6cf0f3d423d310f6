import { InvalidConfigurationError } from "../errors.js";

/**
 * AvidPay payment statuses (contract §3.1 and §7.6) and the question "should this payment be posted
 * to SYSPRO now?".
 *
 * The chains (the contract's order, which it marks as inferred):
 *   Check: Pending Approval → Processing → Debit Requested → Funds Received → Sent to Check Printer
 *          → Issued to Supplier → Cleared
 *   ACH:   … → Funds Received → ACH Credit Issued → Cleared
 *   VCC:   … → VCC Processing → Cleared
 * Side exits: Held, Error, Void. Final: Cleared, Void.
 *
 * "Reached or passed the posting status" compares stages, not positions in one chain, so that a
 * posting status named in one chain works for every method: the method-specific steps after the
 * money left (Sent to Check Printer, ACH Credit Issued, VCC Processing) share a stage, which is after
 * Funds Received whichever chain a payment follows.
 */

export const PAYMENT_STATUS_CHAINS = {
  check: [
    "Pending Approval",
    "Processing",
    "Debit Requested",
    "Funds Received",
    "Sent to Check Printer",
    "Issued to Supplier",
    "Cleared",
  ],
  ach: [
    "Pending Approval",
    "Processing",
    "Debit Requested",
    "Funds Received",
    "ACH Credit Issued",
    "Cleared",
  ],
  vcc: ["Pending Approval", "Processing", "Debit Requested", "VCC Processing", "Cleared"],
} as const;

const STAGES: ReadonlyMap<string, number> = new Map([
  ["pending approval", 0],
  ["processing", 1],
  ["debit requested", 2],
  ["funds received", 3],
  ["sent to check printer", 4],
  ["ach credit issued", 4],
  ["vcc processing", 4],
  ["issued to supplier", 5],
  ["cleared", 6],
]);

const SIDE_EXITS = new Set(["held", "error", "void"]);
const FINAL = new Set(["cleared", "void"]);

export const DEFAULT_POSTING_STATUS = "Funds Received";

function norm(status: string): string {
  return status.trim().replace(/\s+/g, " ").toLowerCase();
}

export function isKnownPaymentStatus(status: string): boolean {
  const s = norm(status);
  return STAGES.has(s) || SIDE_EXITS.has(s);
}

/** Cleared and Void: no further processing. */
export function isFinalPaymentStatus(status: string): boolean {
  return FINAL.has(norm(status));
}

export function isVoidedPaymentStatus(status: string): boolean {
  return norm(status) === "void";
}

export function isErrorPaymentStatus(status: string): boolean {
  return norm(status) === "error";
}

/** Throws `InvalidConfigurationError` unless `postingStatus` is a stage of some chain. */
export function assertPostingStatus(postingStatus: string): void {
  if (!STAGES.has(norm(postingStatus))) {
    throw new InvalidConfigurationError(
      `posting status "${postingStatus}" is not an AvidPay status on any payment chain`,
    );
  }
}

/** Has a payment in `status` reached or passed `postingStatus`? Side exits never have. */
export function hasReachedPostingStatus(
  status: string,
  postingStatus: string = DEFAULT_POSTING_STATUS,
): boolean {
  assertPostingStatus(postingStatus);
  const stage = STAGES.get(norm(status));
  return stage !== undefined && stage >= (STAGES.get(norm(postingStatus)) ?? Infinity);
}

export interface PaymentActionInput {
  readonly status: string;
  readonly postingStatus?: string;
  /** A PAYMENT posting is recorded in the ledger for this payment. */
  readonly posted: boolean;
  /** A REVERSAL posting is recorded too. */
  readonly reversed: boolean;
}

/**
 * - `post`: reached the posting status and not posted yet.
 * - `reverse`: voided after it was posted (never silently left).
 * - `wait`: not there yet, or held / in error (AvidPay may still recover it).
 * - `none`: nothing (left) to do: already posted, or voided before posting.
 * - `unknown-status`: a status no chain knows; hold it for a person rather than guess.
 */
export type PaymentAction = "post" | "reverse" | "wait" | "none" | "unknown-status";

export function decidePaymentAction(input: PaymentActionInput): PaymentAction {
  const postingStatus = input.postingStatus ?? DEFAULT_POSTING_STATUS;
  assertPostingStatus(postingStatus);
  if (!isKnownPaymentStatus(input.status)) {
    return "unknown-status";
  }
  if (isVoidedPaymentStatus(input.status)) {
    return input.posted && !input.reversed ? "reverse" : "none";
  }
  if (input.posted) {
    return "none";
  }
  return hasReachedPostingStatus(input.status, postingStatus) ? "post" : "wait";
}
