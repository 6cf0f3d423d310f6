import { asc, inArray } from "drizzle-orm";

import { transactions } from "../db/schema/index.js";

import type { Executor } from "../db/client.js";

export type TransactionRow = typeof transactions.$inferSelect;

/** A ULID: 26 Crockford base-32 characters. Anything else is "not found", never an SQL error. */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

export const isTransactionId = (value: string): boolean => ULID.test(value);

export async function transactionsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<TransactionRow[]> {
  const valid = [...new Set(ids.filter(isTransactionId))];
  return valid.length === 0
    ? []
    : db.select().from(transactions).where(inArray(transactions.id, valid));
}

/** Replays of each transaction, oldest first. */
export async function transactionsByReplayOf(
  db: Executor,
  ids: readonly string[],
): Promise<TransactionRow[]> {
  const valid = [...new Set(ids.filter(isTransactionId))];
  return valid.length === 0
    ? []
    : db
        .select()
        .from(transactions)
        .where(inArray(transactions.replayOf, valid))
        .orderBy(asc(transactions.createdAt), asc(transactions.id));
}
