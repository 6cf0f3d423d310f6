import { and, asc, count, getTableColumns, inArray, sql } from "drizzle-orm";

import { purchaseOrderLines, purchaseOrderSearchText, purchaseOrders } from "../db/schema/index.js";
import { dateRange, idIn, matches, oneOf, pairsIn } from "./filters.js";
import { validUuids } from "./ids.js";
import { keysetOrderBy, keysetWhere, sortKeyOf, sortPart, withCursors } from "./keyset.js";

import type { Executor } from "../db/client.js";
import type { SyncState } from "../glossary.js";
import type { DateRange } from "./filters.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";

export type PurchaseOrderRow = typeof purchaseOrders.$inferSelect;
export type PurchaseOrderLineRow = typeof purchaseOrderLines.$inferSelect;

export interface PurchaseOrderFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly supplierIds?: readonly string[] | undefined;
  readonly syncStates?: readonly SyncState[] | undefined;
  /** SYSPRO's order status codes, as SYSPRO writes them. */
  readonly statuses?: readonly string[] | undefined;
  readonly orderEntryDate?: DateRange | undefined;
  /** Part of the PO number or the SYSPRO supplier code. */
  readonly search?: string | undefined;
}

const entryDate = sql`coalesce(${purchaseOrders.orderEntryDate}, date '-infinity')`;

export const PURCHASE_ORDER_ORDERINGS = {
  ORDER_DATE_DESC: {
    name: "purchase-orders:date-desc",
    direction: "desc",
    parts: [sortPart(entryDate, "date"), sortPart(sql`${purchaseOrders.id}`, "uuid")],
  },
  PO_NUMBER_ASC: {
    name: "purchase-orders:number",
    direction: "asc",
    parts: [
      sortPart(sql`${purchaseOrders.poNumber}`, "text"),
      sortPart(sql`${purchaseOrders.id}`, "uuid"),
    ],
  },
} as const satisfies Record<string, Ordering>;
export type PurchaseOrderOrder = keyof typeof PURCHASE_ORDER_ORDERINGS;

export async function listPurchaseOrders(
  db: Executor,
  filter: PurchaseOrderFilter,
  order: PurchaseOrderOrder,
  page: PageRequest,
): Promise<Paged<PurchaseOrderRow>[]> {
  const ordering = PURCHASE_ORDER_ORDERINGS[order];
  const rows = await db
    .select({ ...getTableColumns(purchaseOrders), sortKey: sortKeyOf(ordering) })
    .from(purchaseOrders)
    .where(and(purchaseOrderConditions(filter), keysetWhere(ordering, page)))
    .orderBy(...keysetOrderBy(ordering, page.inverted))
    .limit(page.limit);
  return withCursors(ordering, rows);
}

export async function countPurchaseOrders(
  db: Executor,
  filter: PurchaseOrderFilter,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(purchaseOrders)
    .where(purchaseOrderConditions(filter));
  return row?.n ?? 0;
}

export async function purchaseOrdersByIds(
  db: Executor,
  ids: readonly string[],
): Promise<PurchaseOrderRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db.select().from(purchaseOrders).where(inArray(purchaseOrders.id, valid));
}

/** Purchase orders by (connection id, PO number): how an invoice finds the PO it quotes. */
export async function purchaseOrdersByNumbers(
  db: Executor,
  keys: readonly (readonly [connectionId: string, poNumber: string])[],
): Promise<PurchaseOrderRow[]> {
  const valid = keys.filter(([connectionId]) => validUuids([connectionId]).length === 1);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(purchaseOrders)
        .where(pairsIn([purchaseOrders.connectionId, purchaseOrders.poNumber], valid));
}

export async function purchaseOrderLinesByOrderIds(
  db: Executor,
  purchaseOrderIds: readonly string[],
): Promise<PurchaseOrderLineRow[]> {
  const valid = validUuids(purchaseOrderIds);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(purchaseOrderLines)
        .where(inArray(purchaseOrderLines.purchaseOrderId, valid))
        .orderBy(asc(purchaseOrderLines.purchaseOrderId), asc(purchaseOrderLines.lineNumber));
}

export async function purchaseOrderLinesByIds(
  db: Executor,
  ids: readonly string[],
): Promise<PurchaseOrderLineRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db.select().from(purchaseOrderLines).where(inArray(purchaseOrderLines.id, valid));
}

function purchaseOrderConditions(filter: PurchaseOrderFilter) {
  return and(
    idIn(purchaseOrders.connectionId, filter.connectionIds),
    idIn(purchaseOrders.supplierId, filter.supplierIds),
    oneOf(purchaseOrders.syncState, filter.syncStates),
    oneOf(purchaseOrders.status, filter.statuses),
    dateRange(purchaseOrders.orderEntryDate, filter.orderEntryDate),
    matches(purchaseOrderSearchText(purchaseOrders), filter.search),
  );
}
