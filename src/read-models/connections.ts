import { and, asc, getTableColumns, ilike, inArray, sql } from "drizzle-orm";

import { connections, credentials } from "../db/schema/index.js";
import {
  containsPattern,
  keysetOrderBy,
  keysetWhere,
  sortKeyOf,
  sortPart,
  withCursors,
} from "./keyset.js";
import { validUuids } from "./ids.js";

import type { Executor } from "../db/client.js";
import type { ConnectionStatus, CredentialKind } from "../glossary.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";

export type ConnectionRow = typeof connections.$inferSelect;

/** Which secret of a connection is stored, and when it last passed a connection test. Never a value. */
export interface CredentialStatusRow {
  readonly connectionId: string;
  readonly kind: CredentialKind;
  readonly updatedAt: Date;
  readonly verifiedAt: Date | null;
}

export interface ConnectionFilter {
  readonly status?: readonly ConnectionStatus[] | undefined;
  /** Part of the name, any case. */
  readonly search?: string | undefined;
}

const byName: Ordering = {
  name: "connections:name",
  direction: "asc",
  parts: [sortPart(sql`${connections.name}`, "text"), sortPart(sql`${connections.id}`, "uuid")],
};

export async function listConnections(
  db: Executor,
  filter: ConnectionFilter,
  page: PageRequest,
): Promise<Paged<ConnectionRow>[]> {
  const rows = await db
    .select({ ...getTableColumns(connections), sortKey: sortKeyOf(byName) })
    .from(connections)
    .where(and(connectionConditions(filter), keysetWhere(byName, page)))
    .orderBy(...keysetOrderBy(byName, page.inverted))
    .limit(page.limit);
  return withCursors(byName, rows);
}

export async function countConnections(db: Executor, filter: ConnectionFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(connections)
    .where(connectionConditions(filter));
  return row?.n ?? 0;
}

export async function connectionsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<ConnectionRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db.select().from(connections).where(inArray(connections.id, valid));
}

/** Credential status of many connections at once (for a per-request loader), by kind. */
export async function credentialStatusByConnectionIds(
  db: Executor,
  connectionIds: readonly string[],
): Promise<CredentialStatusRow[]> {
  const valid = validUuids(connectionIds);
  if (valid.length === 0) {
    return [];
  }
  return db
    .select({
      connectionId: credentials.connectionId,
      kind: credentials.kind,
      updatedAt: credentials.updatedAt,
      verifiedAt: credentials.verifiedAt,
    })
    .from(credentials)
    .where(inArray(credentials.connectionId, valid))
    .orderBy(asc(credentials.connectionId), asc(credentials.kind));
}

function connectionConditions(filter: ConnectionFilter) {
  return and(
    filter.status && filter.status.length > 0
      ? inArray(connections.status, [...filter.status])
      : undefined,
    filter.search ? ilike(connections.name, containsPattern(filter.search)) : undefined,
  );
}
