import { and, count, getTableColumns, inArray, isNotNull, isNull, sql } from "drizzle-orm";

import { supplierSearchText, suppliers } from "../db/schema/index.js";
import { idIn, matches, oneOf, pairsIn } from "./filters.js";
import { validUuids } from "./ids.js";
import { keysetOrderBy, keysetWhere, sortKeyOf, sortPart, withCursors } from "./keyset.js";

import type { Executor } from "../db/client.js";
import type { SyncState } from "../glossary.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";

export type SupplierRow = typeof suppliers.$inferSelect;

export interface SupplierFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly syncStates?: readonly SyncState[] | undefined;
  /** true: only suppliers that have an AvidXchange vendor; false: only those without. */
  readonly hasAvidVendor?: boolean | undefined;
  /** Part of the SYSPRO code, the name or the AvidXchange vendor id. */
  readonly search?: string | undefined;
}

export const SUPPLIER_ORDERINGS = {
  CODE_ASC: {
    name: "suppliers:code",
    direction: "asc",
    parts: [sortPart(sql`${suppliers.sysproCode}`, "text"), sortPart(sql`${suppliers.id}`, "uuid")],
  },
  NAME_ASC: {
    name: "suppliers:name",
    direction: "asc",
    parts: [sortPart(sql`${suppliers.name}`, "text"), sortPart(sql`${suppliers.id}`, "uuid")],
  },
  UPDATED_DESC: {
    name: "suppliers:updated",
    direction: "desc",
    parts: [
      sortPart(sql`${suppliers.updatedAt}`, "timestamptz"),
      sortPart(sql`${suppliers.id}`, "uuid"),
    ],
  },
} as const satisfies Record<string, Ordering>;
export type SupplierOrder = keyof typeof SUPPLIER_ORDERINGS;

export async function listSuppliers(
  db: Executor,
  filter: SupplierFilter,
  order: SupplierOrder,
  page: PageRequest,
): Promise<Paged<SupplierRow>[]> {
  const ordering = SUPPLIER_ORDERINGS[order];
  const rows = await db
    .select({ ...getTableColumns(suppliers), sortKey: sortKeyOf(ordering) })
    .from(suppliers)
    .where(and(supplierConditions(filter), keysetWhere(ordering, page)))
    .orderBy(...keysetOrderBy(ordering, page.inverted))
    .limit(page.limit);
  return withCursors(ordering, rows);
}

export async function countSuppliers(db: Executor, filter: SupplierFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(suppliers).where(supplierConditions(filter));
  return row?.n ?? 0;
}

/** Suppliers by (connection id, SYSPRO code), the key invoices and orders name them by. */
export async function suppliersByCodes(
  db: Executor,
  keys: readonly (readonly [connectionId: string, sysproCode: string])[],
): Promise<SupplierRow[]> {
  const valid = keys.filter(([connectionId]) => validUuids([connectionId]).length === 1);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(suppliers)
        .where(pairsIn([suppliers.connectionId, suppliers.sysproCode], valid));
}

export async function suppliersByIds(db: Executor, ids: readonly string[]): Promise<SupplierRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0 ? [] : db.select().from(suppliers).where(inArray(suppliers.id, valid));
}

function supplierConditions(filter: SupplierFilter) {
  return and(
    idIn(suppliers.connectionId, filter.connectionIds),
    oneOf(suppliers.syncState, filter.syncStates),
    filter.hasAvidVendor === undefined
      ? undefined
      : filter.hasAvidVendor
        ? isNotNull(suppliers.avidVendorId)
        : isNull(suppliers.avidVendorId),
    matches(supplierSearchText(suppliers), filter.search),
  );
}
