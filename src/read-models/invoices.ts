import { and, asc, count, eq, getTableColumns, gt, inArray, or, sql } from "drizzle-orm";

import {
  invoiceLines,
  invoiceSearchText,
  invoices,
  supplierSearchText,
  suppliers,
} from "../db/schema/index.js";
import { dateRange, idIn, matches, oneOf, pairsIn } from "./filters.js";
import { validUuids } from "./ids.js";
import { keysetOrderBy, keysetWhere, sortKeyOf, sortPart, withCursors } from "./keyset.js";

import type { Executor } from "../db/client.js";
import type { SQL } from "drizzle-orm";
import type { SyncState } from "../glossary.js";
import type { DateRange } from "./filters.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";

export type InvoiceRow = typeof invoices.$inferSelect;
/** An invoice line with its invoice's connection (lines are looked up per connection, e.g. GL accounts). */
export type InvoiceLineRow = typeof invoiceLines.$inferSelect & { readonly connectionId: string };

const lineColumns = { ...getTableColumns(invoiceLines), connectionId: invoices.connectionId };

export interface InvoiceFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly supplierIds?: readonly string[] | undefined;
  readonly syncStates?: readonly SyncState[] | undefined;
  /** AvidXchange approval states as AvidXchange names them, e.g. `Approved`. */
  readonly approvalStates?: readonly string[] | undefined;
  readonly invoiceDate?: DateRange | undefined;
  readonly dueDate?: DateRange | undefined;
  readonly currencies?: readonly string[] | undefined;
  /** Only invoices with an open balance above zero. */
  readonly openOnly?: boolean | undefined;
  readonly transactionId?: string | undefined;
  /**
   * Part of the invoice number, supplier code or name, PO number, our external invoice id or the
   * AvidXchange invoice id.
   */
  readonly search?: string | undefined;
}

const invoiceDate = sql`coalesce(${invoices.invoiceDate}, date '-infinity')`;
const dueDate = sql`coalesce(${invoices.dueDate}, date 'infinity')`;
const id = sortPart(sql`${invoices.id}`, "uuid");

export const INVOICE_ORDERINGS = {
  INVOICE_DATE_DESC: {
    name: "invoices:date-desc",
    direction: "desc",
    parts: [sortPart(invoiceDate, "date"), id],
  },
  INVOICE_DATE_ASC: {
    name: "invoices:date-asc",
    direction: "asc",
    parts: [sortPart(invoiceDate, "date"), id],
  },
  DUE_DATE_ASC: {
    name: "invoices:due-asc",
    direction: "asc",
    parts: [sortPart(dueDate, "date"), id],
  },
  AMOUNT_DESC: {
    name: "invoices:amount-desc",
    direction: "desc",
    parts: [sortPart(sql`${invoices.amount}`, "numeric"), id],
  },
  UPDATED_DESC: {
    name: "invoices:updated-desc",
    direction: "desc",
    parts: [sortPart(sql`${invoices.updatedAt}`, "timestamptz"), id],
  },
} as const satisfies Record<string, Ordering>;
export type InvoiceOrder = keyof typeof INVOICE_ORDERINGS;

export async function listInvoices(
  db: Executor,
  filter: InvoiceFilter,
  order: InvoiceOrder,
  page: PageRequest,
): Promise<Paged<InvoiceRow>[]> {
  const ordering = INVOICE_ORDERINGS[order];
  const rows = await db
    .select({ ...getTableColumns(invoices), sortKey: sortKeyOf(ordering) })
    .from(invoices)
    .where(and(invoiceConditions(filter), keysetWhere(ordering, page)))
    .orderBy(...keysetOrderBy(ordering, page.inverted))
    .limit(page.limit);
  return withCursors(ordering, rows);
}

export async function countInvoices(db: Executor, filter: InvoiceFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(invoices).where(invoiceConditions(filter));
  return row?.n ?? 0;
}

export async function invoicesByIds(db: Executor, ids: readonly string[]): Promise<InvoiceRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0 ? [] : db.select().from(invoices).where(inArray(invoices.id, valid));
}

/** Invoices quoting a PO, by (connection id, PO number). */
export async function invoicesByPoNumbers(
  db: Executor,
  keys: readonly (readonly [connectionId: string, poNumber: string])[],
): Promise<InvoiceRow[]> {
  const valid = keys.filter(([connectionId]) => validUuids([connectionId]).length === 1);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(invoices)
        .where(pairsIn([invoices.connectionId, invoices.poNumber], valid))
        .orderBy(asc(invoices.invoiceDate), asc(invoices.id));
}

export async function invoicesByTransactionIds(
  db: Executor,
  transactionIds: readonly string[],
): Promise<InvoiceRow[]> {
  return transactionIds.length === 0
    ? []
    : db
        .select()
        .from(invoices)
        .where(inArray(invoices.transactionId, [...new Set(transactionIds)]));
}

export async function invoiceLinesByInvoiceIds(
  db: Executor,
  invoiceIds: readonly string[],
): Promise<InvoiceLineRow[]> {
  const valid = validUuids(invoiceIds);
  return valid.length === 0
    ? []
    : db
        .select(lineColumns)
        .from(invoiceLines)
        .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
        .where(inArray(invoiceLines.invoiceId, valid))
        .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.lineNumber));
}

export async function invoiceLinesByIds(
  db: Executor,
  ids: readonly string[],
): Promise<InvoiceLineRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db
        .select(lineColumns)
        .from(invoiceLines)
        .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
        .where(inArray(invoiceLines.id, valid));
}

function invoiceConditions(filter: InvoiceFilter) {
  return and(
    idIn(invoices.connectionId, filter.connectionIds),
    ofSuppliers(filter.supplierIds),
    oneOf(invoices.syncState, filter.syncStates),
    oneOf(invoices.approvalState, filter.approvalStates),
    oneOf(invoices.currency, filter.currencies),
    dateRange(invoices.invoiceDate, filter.invoiceDate),
    dateRange(invoices.dueDate, filter.dueDate),
    filter.openOnly ? gt(invoices.openBalance, "0") : undefined,
    filter.transactionId !== undefined
      ? eq(invoices.transactionId, filter.transactionId)
      : undefined,
    searchInvoices(filter.search),
  );
}

/**
 * Invoices of the suppliers matching `condition`, by the supplier's SYSPRO code within the
 * connection: an invoice names its supplier by code, and the code is there even when the invoice
 * was mirrored before its supplier (or by a flow that does not link `supplier_id`).
 */
function ofSuppliersWhere(condition: SQL) {
  return sql`(${invoices.connectionId}, ${invoices.sysproSupplierCode}) in (select ${suppliers.connectionId}, ${suppliers.sysproCode} from ${suppliers} where ${condition})`;
}

/** Invoices of these suppliers; a filter given with no usable id matches none. */
function ofSuppliers(ids: readonly string[] | undefined) {
  if (ids === undefined) {
    return undefined;
  }
  const valid = validUuids(ids);
  return valid.length > 0 ? ofSuppliersWhere(inArray(suppliers.id, valid)) : sql`false`;
}

/** The invoice's numbers and references, or its supplier's code or name (both trigram-indexed). */
function searchInvoices(term: string | undefined) {
  const own = matches(invoiceSearchText(invoices), term);
  const bySupplier = matches(supplierSearchText(suppliers), term);
  return own && bySupplier ? or(own, ofSuppliersWhere(bySupplier)) : undefined;
}
