import { and, asc, count, eq, getTableColumns, inArray, lte, sql } from "drizzle-orm";

import { exceptionSearchText, exceptions } from "../db/schema/index.js";
import { ACTIVE_EXCEPTION_STATES } from "../glossary.js";
import { idIn, instantRange, matches, oneOf, pairKey, pairsIn } from "./filters.js";
import { validUuids } from "./ids.js";
import { keysetOrderBy, keysetWhere, sortKeyOf, sortPart, withCursors } from "./keyset.js";

import type { Executor } from "../db/client.js";
import type { ExceptionState } from "../glossary.js";
import type { InstantRange } from "./filters.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";
import type { SubjectKey } from "./audit-events.js";

export type ExceptionRow = typeof exceptions.$inferSelect;

export interface ExceptionFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly states?: readonly ExceptionState[] | undefined;
  readonly reasonCodes?: readonly string[] | undefined;
  readonly subjectType?: string | undefined;
  readonly subjectId?: string | undefined;
  readonly syncRunIds?: readonly string[] | undefined;
  readonly transactionId?: string | undefined;
  readonly createdAt?: InstantRange | undefined;
  /** Part of the subject reference (supplier/invoice number), the message or the reason code. */
  readonly search?: string | undefined;
}

const newestFirst: Ordering = {
  name: "exceptions:created-desc",
  direction: "desc",
  parts: [
    sortPart(sql`${exceptions.createdAt}`, "timestamptz"),
    sortPart(sql`${exceptions.id}`, "uuid"),
  ],
};

export async function listExceptions(
  db: Executor,
  filter: ExceptionFilter,
  page: PageRequest,
): Promise<Paged<ExceptionRow>[]> {
  const rows = await db
    .select({ ...getTableColumns(exceptions), sortKey: sortKeyOf(newestFirst) })
    .from(exceptions)
    .where(and(exceptionConditions(filter), keysetWhere(newestFirst, page)))
    .orderBy(...keysetOrderBy(newestFirst, page.inverted))
    .limit(page.limit);
  return withCursors(newestFirst, rows);
}

export async function countExceptions(db: Executor, filter: ExceptionFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(exceptions).where(exceptionConditions(filter));
  return row?.n ?? 0;
}

export async function exceptionsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<ExceptionRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db.select().from(exceptions).where(inArray(exceptions.id, valid));
}

/** Exceptions raised about each subject (an invoice, a payment…), oldest first. */
export async function exceptionsBySubjects(
  db: Executor,
  subjects: readonly SubjectKey[],
): Promise<ExceptionRow[]> {
  if (subjects.length === 0) {
    return [];
  }
  const unique = [
    ...new Map(subjects.map((s) => [pairKey(s.subjectType, s.subjectId), s])).values(),
  ];
  return db
    .select()
    .from(exceptions)
    .where(
      pairsIn(
        [exceptions.subjectType, exceptions.subjectId],
        unique.map((s) => [s.subjectType, s.subjectId] as const),
        "text",
      ),
    )
    .orderBy(asc(exceptions.createdAt), asc(exceptions.id));
}

export async function exceptionsByTransactionIds(
  db: Executor,
  transactionIds: readonly string[],
): Promise<ExceptionRow[]> {
  return transactionIds.length === 0
    ? []
    : db
        .select()
        .from(exceptions)
        .where(inArray(exceptions.transactionId, [...new Set(transactionIds)]))
        .orderBy(asc(exceptions.createdAt), asc(exceptions.id));
}

/** The first `limit` exceptions of each sync run, in one statement. */
export async function exceptionsBySyncRunIds(
  db: Executor,
  syncRunIds: readonly string[],
  limit: number,
): Promise<ExceptionRow[]> {
  const valid = validUuids(syncRunIds);
  if (valid.length === 0) {
    return [];
  }
  const ranked = db
    .select({
      ...getTableColumns(exceptions),
      rank: sql<number>`row_number() over (partition by ${exceptions.syncRunId} order by ${exceptions.createdAt}, ${exceptions.id})`.as(
        "rank",
      ),
    })
    .from(exceptions)
    .where(inArray(exceptions.syncRunId, valid))
    .as("ranked");
  const rows = await db
    .select()
    .from(ranked)
    .where(lte(ranked.rank, limit))
    .orderBy(asc(ranked.createdAt), asc(ranked.id));
  return rows.map(({ rank: _rank, ...row }) => row);
}

/** Open and retrying exceptions per connection, for dashboards. */
export async function activeExceptionCounts(
  db: Executor,
  connectionIds: readonly string[],
): Promise<{ connectionId: string; n: number }[]> {
  const valid = validUuids(connectionIds);
  return valid.length === 0
    ? []
    : db
        .select({ connectionId: exceptions.connectionId, n: count() })
        .from(exceptions)
        .where(
          and(
            inArray(exceptions.connectionId, valid),
            inArray(exceptions.state, [...ACTIVE_EXCEPTION_STATES]),
          ),
        )
        .groupBy(exceptions.connectionId);
}

function exceptionConditions(filter: ExceptionFilter) {
  return and(
    idIn(exceptions.connectionId, filter.connectionIds),
    oneOf(exceptions.state, filter.states),
    oneOf(exceptions.reasonCode, filter.reasonCodes),
    filter.subjectType !== undefined ? eq(exceptions.subjectType, filter.subjectType) : undefined,
    filter.subjectId !== undefined ? eq(exceptions.subjectId, filter.subjectId) : undefined,
    idIn(exceptions.syncRunId, filter.syncRunIds),
    filter.transactionId !== undefined
      ? eq(exceptions.transactionId, filter.transactionId)
      : undefined,
    instantRange(exceptions.createdAt, filter.createdAt),
    matches(exceptionSearchText(exceptions), filter.search),
  );
}
