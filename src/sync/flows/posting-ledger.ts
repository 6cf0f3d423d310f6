import { and, eq, sql } from "drizzle-orm";

import { postings } from "../../db/schema/index.js";

import type { EnetClient } from "../../connectors/syspro/index.js";
import type { Executor } from "../../db/client.js";
import type { PostingKind, PostingMethod } from "../../glossary.js";
import type { TransactionId } from "../domain.js";

/**
 * The posting ledger's claim → post → mark cycle, shared by every flow that writes into SYSPRO's
 * ledger (payments, reversals, reclassifications). A posting is claimed under its unique key in a
 * committed transaction before the request leaves, so a second attempt finds the claim instead of
 * posting again. A claim still `claimed` or `unknown` when found again means an earlier attempt may
 * have reached SYSPRO: ask SYSPRO for the reference before posting (see `findGlJournalByReference`).
 */

export type PostingRow = typeof postings.$inferSelect;

export type PostingKey =
  | {
      readonly kind: Extract<PostingKind, "payment" | "reversal">;
      readonly invoiceId: string;
      readonly avidPaymentId: string;
    }
  | { readonly kind: "reclass"; readonly invoiceId: string; readonly recodeRef: string };

export interface PostingClaim {
  readonly connectionId: string;
  readonly key: PostingKey;
  /** Minted by the caller for this posting; kept by the claim for every later attempt. */
  readonly transactionId: TransactionId;
  readonly method: PostingMethod;
  readonly amount: string;
  readonly currency?: string | null;
  /** What will be sent (and anything needed to settle the posting later, e.g. a new baseline). */
  readonly request: unknown;
  readonly paymentId?: string | null;
  readonly reversesPostingId?: string | null;
}

export interface ClaimResult {
  /** True when this call made the claim; false when one already existed under the key. */
  readonly fresh: boolean;
  readonly posting: PostingRow;
}

/**
 * Claims the posting under its ledger key, or returns the claim already there. Run it on the
 * database itself (not inside a wider transaction) so the claim is committed before the call.
 */
export async function claimPosting(db: Executor, claim: PostingClaim): Promise<ClaimResult> {
  const key = claim.key;
  const [inserted] = await db
    .insert(postings)
    .values({
      connectionId: claim.connectionId,
      kind: key.kind,
      invoiceId: key.invoiceId,
      avidPaymentId: key.kind === "reclass" ? null : key.avidPaymentId,
      recodeRef: key.kind === "reclass" ? key.recodeRef : null,
      paymentId: claim.paymentId ?? null,
      reversesPostingId: claim.reversesPostingId ?? null,
      transactionId: claim.transactionId,
      method: claim.method,
      amount: claim.amount,
      currency: claim.currency ?? null,
      request: claim.request ?? null,
      state: "claimed",
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) {
    return { fresh: true, posting: inserted };
  }
  const existing = await findPosting(db, claim.connectionId, key);
  if (!existing) {
    // The insert conflicted on something other than the ledger key: a bug, not a duplicate.
    throw new Error(`posting claim conflicted but no ${key.kind} posting exists under its key`);
  }
  return { fresh: false, posting: existing };
}

export async function findPosting(
  db: Executor,
  connectionId: string,
  key: PostingKey,
): Promise<PostingRow | undefined> {
  const [row] = await db
    .select()
    .from(postings)
    .where(
      and(
        eq(postings.connectionId, connectionId),
        eq(postings.invoiceId, key.invoiceId),
        eq(postings.kind, key.kind),
        key.kind === "reclass"
          ? eq(postings.recodeRef, key.recodeRef)
          : eq(postings.avidPaymentId, key.avidPaymentId),
      ),
    );
  return row;
}

/** Counts an attempt just before the request is sent. */
export async function markPostingAttempt(db: Executor, postingId: string): Promise<void> {
  await db
    .update(postings)
    .set({ attempts: sql`${postings.attempts} + 1` })
    .where(eq(postings.id, postingId));
}

export async function markPostingPosted(
  db: Executor,
  postingId: string,
  result: { readonly sysproReference: string | null; readonly response: unknown },
): Promise<void> {
  await db
    .update(postings)
    .set({
      state: "posted",
      sysproReference: result.sysproReference,
      response: result.response ?? null,
      error: null,
      postedAt: sql`now()`,
    })
    .where(eq(postings.id, postingId));
}

/** SYSPRO refused the document: nothing was posted. */
export async function markPostingFailed(
  db: Executor,
  postingId: string,
  error: string,
  response?: unknown,
): Promise<void> {
  await db
    .update(postings)
    .set({ state: "failed", error, response: response ?? null })
    .where(eq(postings.id, postingId));
}

/** The request may or may not have reached the ledger: the next attempt must ask SYSPRO first. */
export async function markPostingUnknown(
  db: Executor,
  postingId: string,
  error: string,
): Promise<void> {
  await db.update(postings).set({ state: "unknown", error }).where(eq(postings.id, postingId));
}

/** A claim found again in one of these states may already be in SYSPRO. */
export const isUnsettled = (posting: PostingRow): boolean =>
  posting.state === "claimed" || posting.state === "unknown";

/** `year/period/journal` of a GL journal: how we name a SYSPRO journal in the ledger. */
export function glJournalReference(journal: {
  readonly GlYear: number | string | undefined;
  readonly GlPeriod: number | string | undefined;
  readonly GlJournal: number | string | undefined;
}): string | null {
  if (journal.GlYear === undefined || journal.GlJournal === undefined) {
    return null;
  }
  return `${journal.GlYear}/${journal.GlPeriod ?? ""}/${journal.GlJournal}`;
}

/**
 * Does SYSPRO already hold a GL journal carrying our `JournalReference`? Asked through COMFND on
 * `GenJournalCtl` (the journal header table; the contract infers its name, it does not confirm it).
 * Returns the journal's reference, or `undefined` when there is none. A failure of the query itself
 * propagates: the caller must then not post.
 */
export async function findGlJournalByReference(
  enet: EnetClient,
  reference: string,
  options: { signal?: AbortSignal } = {},
): Promise<string | undefined> {
  const rows = await enet.find(
    {
      TableName: "GenJournalCtl",
      Columns: ["GlYear", "GlPeriod", "Journal", "JournalReference"],
      Where: [{ Column: "JournalReference", Condition: "EQ", Value: reference }],
      ReturnRows: 10,
    },
    options,
  );
  const row = rows.find((r) => (r["JournalReference"] ?? "").trim() === reference);
  if (!row) {
    return undefined;
  }
  return (
    glJournalReference({
      GlYear: row["GlYear"]?.trim(),
      GlPeriod: row["GlPeriod"]?.trim(),
      GlJournal: row["Journal"]?.trim(),
    }) ?? reference
  );
}
