import { and, asc, count, eq, getTableColumns, inArray, lte, sql } from "drizzle-orm";

import { auditEvents } from "../db/schema/index.js";
import { idIn, instantRange, oneOf, pairKey, pairsIn } from "./filters.js";
import { keysetOrderBy, keysetWhere, sortKeyOf, sortPart, withCursors } from "./keyset.js";

import type { Executor } from "../db/client.js";
import type { InstantRange } from "./filters.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";

export type AuditEventRow = typeof auditEvents.$inferSelect;

export interface AuditEventFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly transactionId?: string | undefined;
  /** Exact event types, e.g. `invoice.sent`. */
  readonly types?: readonly string[] | undefined;
  /** Types starting with this, e.g. `invoice.` for everything about invoices. */
  readonly typePrefix?: string | undefined;
  readonly actor?: string | undefined;
  readonly subjectType?: string | undefined;
  readonly subjectId?: string | undefined;
  readonly occurredAt?: InstantRange | undefined;
}

/** Newest first; the identity column orders events as they were written. */
const newestFirst: Ordering = {
  name: "audit-events:id-desc",
  direction: "desc",
  parts: [sortPart(sql`${auditEvents.id}`, "bigint")],
};

export async function listAuditEvents(
  db: Executor,
  filter: AuditEventFilter,
  page: PageRequest,
): Promise<Paged<AuditEventRow>[]> {
  const rows = await db
    .select({ ...getTableColumns(auditEvents), sortKey: sortKeyOf(newestFirst) })
    .from(auditEvents)
    .where(and(auditConditions(filter), keysetWhere(newestFirst, page)))
    .orderBy(...keysetOrderBy(newestFirst, page.inverted))
    .limit(page.limit);
  return withCursors(newestFirst, rows);
}

export async function countAuditEvents(db: Executor, filter: AuditEventFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditEvents).where(auditConditions(filter));
  return row?.n ?? 0;
}

export async function auditEventsByIds(
  db: Executor,
  ids: readonly (string | number)[],
): Promise<AuditEventRow[]> {
  const valid = [...new Set(ids.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))];
  return valid.length === 0
    ? []
    : db.select().from(auditEvents).where(inArray(auditEvents.id, valid));
}

/** A transaction's whole trail, oldest first. */
export async function auditEventsByTransactionIds(
  db: Executor,
  transactionIds: readonly string[],
): Promise<AuditEventRow[]> {
  return transactionIds.length === 0
    ? []
    : db
        .select()
        .from(auditEvents)
        .where(inArray(auditEvents.transactionId, [...new Set(transactionIds)]))
        .orderBy(asc(auditEvents.id));
}

export interface SubjectKey {
  readonly subjectType: string;
  readonly subjectId: string;
}

/**
 * The latest `limit` events of each subject (e.g. an invoice), oldest first: one statement for any
 * number of subjects, so a page of invoices with their trails costs the same as one invoice.
 */
export async function auditEventsBySubjects(
  db: Executor,
  subjects: readonly SubjectKey[],
  limit: number,
  types?: readonly string[],
): Promise<AuditEventRow[]> {
  if (subjects.length === 0) {
    return [];
  }
  const unique = [
    ...new Map(subjects.map((s) => [pairKey(s.subjectType, s.subjectId), s])).values(),
  ];
  const ranked = db
    .select({
      ...getTableColumns(auditEvents),
      rank: sql<number>`row_number() over (partition by ${auditEvents.subjectType}, ${auditEvents.subjectId} order by ${auditEvents.id} desc)`.as(
        "rank",
      ),
    })
    .from(auditEvents)
    .where(
      and(
        pairsIn(
          [auditEvents.subjectType, auditEvents.subjectId],
          unique.map((s) => [s.subjectType, s.subjectId] as const),
          "text",
        ),
        oneOf(auditEvents.type, types),
      ),
    )
    .as("ranked");
  const rows = await db
    .select()
    .from(ranked)
    .where(lte(ranked.rank, limit))
    .orderBy(asc(ranked.id));
  return rows.map(({ rank: _rank, ...row }) => row);
}

function auditConditions(filter: AuditEventFilter) {
  return and(
    idIn(auditEvents.connectionId, filter.connectionIds),
    filter.transactionId !== undefined
      ? eq(auditEvents.transactionId, filter.transactionId)
      : undefined,
    oneOf(auditEvents.type, filter.types),
    filter.typePrefix ? sql`starts_with(${auditEvents.type}, ${filter.typePrefix})` : undefined,
    filter.actor !== undefined ? eq(auditEvents.actor, filter.actor) : undefined,
    filter.subjectType !== undefined ? eq(auditEvents.subjectType, filter.subjectType) : undefined,
    filter.subjectId !== undefined ? eq(auditEvents.subjectId, filter.subjectId) : undefined,
    instantRange(auditEvents.createdAt, filter.occurredAt),
  );
}
