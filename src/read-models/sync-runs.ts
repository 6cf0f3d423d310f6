import { and, asc, count, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";

import { schedules, syncRuns } from "../db/schema/index.js";
import { idIn, instantRange, oneOf } from "./filters.js";
import { validUuids } from "./ids.js";
import { keysetOrderBy, keysetWhere, sortKeyOf, sortPart, withCursors } from "./keyset.js";

import type { Executor } from "../db/client.js";
import type { SyncKind, SyncRunState } from "../glossary.js";
import type { InstantRange } from "./filters.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";

export type SyncRunRow = typeof syncRuns.$inferSelect;
export type ScheduleRow = typeof schedules.$inferSelect;

export interface SyncRunFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly kinds?: readonly SyncKind[] | undefined;
  readonly states?: readonly SyncRunState[] | undefined;
  readonly dryRun?: boolean | undefined;
  /** Who started it: an API key name, `schedule` or `cli`. */
  readonly actor?: string | undefined;
  readonly createdAt?: InstantRange | undefined;
}

/** Newest first: the run just started is on top. */
const newestFirst: Ordering = {
  name: "sync-runs:created-desc",
  direction: "desc",
  parts: [
    sortPart(sql`${syncRuns.createdAt}`, "timestamptz"),
    sortPart(sql`${syncRuns.id}`, "uuid"),
  ],
};

export async function listSyncRuns(
  db: Executor,
  filter: SyncRunFilter,
  page: PageRequest,
): Promise<Paged<SyncRunRow>[]> {
  const rows = await db
    .select({ ...getTableColumns(syncRuns), sortKey: sortKeyOf(newestFirst) })
    .from(syncRuns)
    .where(and(syncRunConditions(filter), keysetWhere(newestFirst, page)))
    .orderBy(...keysetOrderBy(newestFirst, page.inverted))
    .limit(page.limit);
  return withCursors(newestFirst, rows);
}

export async function countSyncRuns(db: Executor, filter: SyncRunFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(syncRuns).where(syncRunConditions(filter));
  return row?.n ?? 0;
}

export async function syncRunsByIds(db: Executor, ids: readonly string[]): Promise<SyncRunRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0 ? [] : db.select().from(syncRuns).where(inArray(syncRuns.id, valid));
}

export async function schedulesByIds(db: Executor, ids: readonly string[]): Promise<ScheduleRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0 ? [] : db.select().from(schedules).where(inArray(schedules.id, valid));
}

export async function schedulesByConnectionIds(
  db: Executor,
  connectionIds: readonly string[],
): Promise<ScheduleRow[]> {
  const valid = validUuids(connectionIds);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(schedules)
        .where(inArray(schedules.connectionId, valid))
        .orderBy(asc(schedules.connectionId), asc(schedules.kind));
}

export async function listSchedules(
  db: Executor,
  filter: {
    readonly connectionIds?: readonly string[] | undefined;
    readonly paused?: boolean | undefined;
  },
): Promise<ScheduleRow[]> {
  return db
    .select()
    .from(schedules)
    .where(
      and(
        idIn(schedules.connectionId, filter.connectionIds),
        filter.paused === undefined ? undefined : eq(schedules.paused, filter.paused),
      ),
    )
    .orderBy(asc(schedules.connectionId), asc(schedules.kind));
}

function syncRunConditions(filter: SyncRunFilter) {
  return and(
    idIn(syncRuns.connectionId, filter.connectionIds),
    oneOf(syncRuns.kind, filter.kinds),
    oneOf(syncRuns.state, filter.states),
    filter.dryRun === undefined ? undefined : eq(syncRuns.dryRun, filter.dryRun),
    filter.actor !== undefined ? eq(syncRuns.actor, filter.actor) : undefined,
    instantRange(syncRuns.createdAt, filter.createdAt),
  );
}

/** The newest run of each kind per connection (dashboards), in one statement. */
export async function latestSyncRunsByConnectionIds(
  db: Executor,
  connectionIds: readonly string[],
): Promise<SyncRunRow[]> {
  const valid = validUuids(connectionIds);
  return valid.length === 0
    ? []
    : db
        .selectDistinctOn([syncRuns.connectionId, syncRuns.kind])
        .from(syncRuns)
        .where(inArray(syncRuns.connectionId, valid))
        .orderBy(syncRuns.connectionId, syncRuns.kind, desc(syncRuns.createdAt), desc(syncRuns.id));
}
