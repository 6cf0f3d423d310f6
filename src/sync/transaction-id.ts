import { decodeTime, isValid, monotonicFactory } from "ulid";

import { InvalidValueError } from "./errors.js";

import type { TransactionId } from "./domain.js";

export interface TransactionIdDeps {
  /** Milliseconds since the epoch; injected so tests can pin the time part. */
  readonly now?: () => number;
  /** A PRNG returning [0, 1); injected only by tests that need fixed ids. */
  readonly random?: () => number;
}

/**
 * Returns a function minting transaction IDs (ULIDs). Monotonic: two ids minted in the same
 * millisecond, or after the clock stepped back, still sort in minting order, so audit events of one
 * process sort the way they happened.
 */
export function createTransactionIdFactory(deps: TransactionIdDeps = {}): () => TransactionId {
  const next = deps.random ? monotonicFactory(deps.random) : monotonicFactory();
  const now = deps.now ?? Date.now;
  return () => next(now());
}

export function isTransactionId(value: string): value is TransactionId {
  return isValid(value);
}

/** When the transaction started (the ULID's time part). */
export function transactionTime(id: TransactionId): Date {
  if (!isValid(id)) {
    throw new InvalidValueError(`not a transaction id: "${id}"`);
  }
  return new Date(decodeTime(id));
}
