import { and, asc, count, eq, getTableColumns, inArray, sql } from "drizzle-orm";

import { avidDimensions, glAccounts, glMappings } from "../db/schema/index.js";
import { idIn, oneOf, pairsIn, textSearch } from "./filters.js";
import { validUuids } from "./ids.js";
import { keysetOrderBy, keysetWhere, sortKeyOf, sortPart, withCursors } from "./keyset.js";

import type { Executor } from "../db/client.js";
import type { GlMappingKind } from "../glossary.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";

/** SYSPRO GL accounts (`GenMaster`), AvidXchange enterprise codes, and the mappings between them. */
export type GlAccountRow = typeof glAccounts.$inferSelect;
export type AvidCodeRow = typeof avidDimensions.$inferSelect;
export type GlMappingRow = typeof glMappings.$inferSelect;

export interface GlAccountFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly active?: boolean | undefined;
  readonly accountTypes?: readonly string[] | undefined;
  /** Part of the GL code or description. */
  readonly search?: string | undefined;
}

export interface AvidCodeFilter {
  readonly connectionIds?: readonly string[] | undefined;
  /** Enterprise code groups, e.g. `Accounting Codes`, `Department`. */
  readonly groups?: readonly string[] | undefined;
  readonly active?: boolean | undefined;
  /** Part of the code or its name. */
  readonly search?: string | undefined;
}

export interface GlMappingFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly kinds?: readonly GlMappingKind[] | undefined;
  /** Part of the SYSPRO or AvidXchange GL code, the dimension group or the note. */
  readonly search?: string | undefined;
}

const glAccountOrdering: Ordering = {
  name: "gl-accounts:code",
  direction: "asc",
  parts: [sortPart(sql`${glAccounts.glCode}`, "text"), sortPart(sql`${glAccounts.id}`, "uuid")],
};

const avidCodeOrdering: Ordering = {
  name: "avid-codes:group-code",
  direction: "asc",
  parts: [
    sortPart(sql`${avidDimensions.groupName}`, "text"),
    sortPart(sql`${avidDimensions.code}`, "text"),
    sortPart(sql`${avidDimensions.id}`, "uuid"),
  ],
};

/** Exact mappings by SYSPRO code first, then segment rules by priority. */
const glMappingOrdering: Ordering = {
  name: "gl-mappings:kind-code",
  direction: "asc",
  parts: [
    sortPart(sql`${glMappings.kind}::text`, "text"),
    sortPart(sql`coalesce(${glMappings.sysproGlCode}, '')`, "text"),
    sortPart(sql`${glMappings.priority}`, "integer"),
    sortPart(sql`${glMappings.id}`, "uuid"),
  ],
};

export async function listGlAccounts(
  db: Executor,
  filter: GlAccountFilter,
  page: PageRequest,
): Promise<Paged<GlAccountRow>[]> {
  const rows = await db
    .select({ ...getTableColumns(glAccounts), sortKey: sortKeyOf(glAccountOrdering) })
    .from(glAccounts)
    .where(and(glAccountConditions(filter), keysetWhere(glAccountOrdering, page)))
    .orderBy(...keysetOrderBy(glAccountOrdering, page.inverted))
    .limit(page.limit);
  return withCursors(glAccountOrdering, rows);
}

export async function countGlAccounts(db: Executor, filter: GlAccountFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(glAccounts).where(glAccountConditions(filter));
  return row?.n ?? 0;
}

export async function listAvidCodes(
  db: Executor,
  filter: AvidCodeFilter,
  page: PageRequest,
): Promise<Paged<AvidCodeRow>[]> {
  const rows = await db
    .select({ ...getTableColumns(avidDimensions), sortKey: sortKeyOf(avidCodeOrdering) })
    .from(avidDimensions)
    .where(and(avidCodeConditions(filter), keysetWhere(avidCodeOrdering, page)))
    .orderBy(...keysetOrderBy(avidCodeOrdering, page.inverted))
    .limit(page.limit);
  return withCursors(avidCodeOrdering, rows);
}

export async function countAvidCodes(db: Executor, filter: AvidCodeFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(avidDimensions)
    .where(avidCodeConditions(filter));
  return row?.n ?? 0;
}

export async function listGlMappings(
  db: Executor,
  filter: GlMappingFilter,
  page: PageRequest,
): Promise<Paged<GlMappingRow>[]> {
  const rows = await db
    .select({ ...getTableColumns(glMappings), sortKey: sortKeyOf(glMappingOrdering) })
    .from(glMappings)
    .where(and(glMappingConditions(filter), keysetWhere(glMappingOrdering, page)))
    .orderBy(...keysetOrderBy(glMappingOrdering, page.inverted))
    .limit(page.limit);
  return withCursors(glMappingOrdering, rows);
}

export async function countGlMappings(db: Executor, filter: GlMappingFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(glMappings).where(glMappingConditions(filter));
  return row?.n ?? 0;
}

export async function glAccountsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<GlAccountRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db.select().from(glAccounts).where(inArray(glAccounts.id, valid));
}

/** GL accounts by (connection id, GL code): how an invoice line finds its SYSPRO account. */
export async function glAccountsByCodes(
  db: Executor,
  keys: readonly (readonly [connectionId: string, glCode: string])[],
): Promise<GlAccountRow[]> {
  const valid = keys.filter(([connectionId]) => validUuids([connectionId]).length === 1);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(glAccounts)
        .where(pairsIn([glAccounts.connectionId, glAccounts.glCode], valid));
}

export async function avidCodesByIds(db: Executor, ids: readonly string[]): Promise<AvidCodeRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db.select().from(avidDimensions).where(inArray(avidDimensions.id, valid));
}

export async function glMappingsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<GlMappingRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db.select().from(glMappings).where(inArray(glMappings.id, valid));
}

/** Exact mappings by (connection id, SYSPRO GL code). */
export async function exactGlMappingsByCodes(
  db: Executor,
  keys: readonly (readonly [connectionId: string, glCode: string])[],
): Promise<GlMappingRow[]> {
  const valid = keys.filter(([connectionId]) => validUuids([connectionId]).length === 1);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(glMappings)
        .where(
          and(
            eq(glMappings.kind, "exact"),
            pairsIn([glMappings.connectionId, glMappings.sysproGlCode], valid),
          ),
        );
}

/** Everything mapping readiness needs for one connection, in three statements. */
export async function loadMappingInputs(db: Executor, connectionId: string) {
  const [mappings, accounts, codes] = await Promise.all([
    db
      .select()
      .from(glMappings)
      .where(eq(glMappings.connectionId, connectionId))
      .orderBy(asc(glMappings.kind), asc(glMappings.priority), asc(glMappings.id)),
    db.select().from(glAccounts).where(eq(glAccounts.connectionId, connectionId)),
    db.select().from(avidDimensions).where(eq(avidDimensions.connectionId, connectionId)),
  ]);
  return { mappings, accounts, codes };
}

function glAccountConditions(filter: GlAccountFilter) {
  return and(
    idIn(glAccounts.connectionId, filter.connectionIds),
    filter.active === undefined ? undefined : eq(glAccounts.active, filter.active),
    oneOf(glAccounts.accountType, filter.accountTypes),
    textSearch(filter.search, [glAccounts.glCode, glAccounts.description]),
  );
}

function avidCodeConditions(filter: AvidCodeFilter) {
  return and(
    idIn(avidDimensions.connectionId, filter.connectionIds),
    oneOf(avidDimensions.groupName, filter.groups),
    filter.active === undefined ? undefined : eq(avidDimensions.active, filter.active),
    textSearch(filter.search, [avidDimensions.code, avidDimensions.name]),
  );
}

function glMappingConditions(filter: GlMappingFilter) {
  return and(
    idIn(glMappings.connectionId, filter.connectionIds),
    oneOf(glMappings.kind, filter.kinds),
    textSearch(filter.search, [
      glMappings.sysproGlCode,
      glMappings.avidGlCode,
      glMappings.dimensionGroup,
      glMappings.note,
    ]),
  );
}
