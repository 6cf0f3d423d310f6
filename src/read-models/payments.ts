import { and, asc, count, eq, getTableColumns, inArray, or, sql } from "drizzle-orm";

import {
  paymentApplications,
  paymentSearchText,
  payments,
  postings,
  supplierSearchText,
  suppliers,
} from "../db/schema/index.js";
import { dateRange, idIn, matches, oneOf } from "./filters.js";
import { validUuids } from "./ids.js";
import { keysetOrderBy, keysetWhere, sortKeyOf, sortPart, withCursors } from "./keyset.js";

import type { Executor } from "../db/client.js";
import type { PaymentPostingState } from "../glossary.js";
import type { DateRange } from "./filters.js";
import type { Ordering, PageRequest, Paged } from "./keyset.js";

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentApplicationRow = typeof paymentApplications.$inferSelect;
export type PostingRow = typeof postings.$inferSelect;

export interface PaymentFilter {
  readonly connectionIds?: readonly string[] | undefined;
  readonly supplierIds?: readonly string[] | undefined;
  /** AvidXchange payment statuses as AvidXchange names them, e.g. `Funds Received`. */
  readonly statuses?: readonly string[] | undefined;
  readonly postingStates?: readonly PaymentPostingState[] | undefined;
  readonly methods?: readonly string[] | undefined;
  readonly currencies?: readonly string[] | undefined;
  readonly paymentDate?: DateRange | undefined;
  readonly transactionId?: string | undefined;
  /** Part of the AvidXchange payment id, the supplier's code or name, or the vendor id. */
  readonly search?: string | undefined;
}

const paymentDate = sql`coalesce(${payments.paymentDate}, date '-infinity')`;
const id = sortPart(sql`${payments.id}`, "uuid");

export const PAYMENT_ORDERINGS = {
  PAYMENT_DATE_DESC: {
    name: "payments:date-desc",
    direction: "desc",
    parts: [sortPart(paymentDate, "date"), id],
  },
  AMOUNT_DESC: {
    name: "payments:amount-desc",
    direction: "desc",
    parts: [sortPart(sql`${payments.amount}`, "numeric"), id],
  },
  UPDATED_DESC: {
    name: "payments:updated-desc",
    direction: "desc",
    parts: [sortPart(sql`${payments.updatedAt}`, "timestamptz"), id],
  },
} as const satisfies Record<string, Ordering>;
export type PaymentOrder = keyof typeof PAYMENT_ORDERINGS;

export async function listPayments(
  db: Executor,
  filter: PaymentFilter,
  order: PaymentOrder,
  page: PageRequest,
): Promise<Paged<PaymentRow>[]> {
  const ordering = PAYMENT_ORDERINGS[order];
  const rows = await db
    .select({ ...getTableColumns(payments), sortKey: sortKeyOf(ordering) })
    .from(payments)
    .where(and(paymentConditions(filter), keysetWhere(ordering, page)))
    .orderBy(...keysetOrderBy(ordering, page.inverted))
    .limit(page.limit);
  return withCursors(ordering, rows);
}

export async function countPayments(db: Executor, filter: PaymentFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(payments).where(paymentConditions(filter));
  return row?.n ?? 0;
}

export async function paymentsByIds(db: Executor, ids: readonly string[]): Promise<PaymentRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0 ? [] : db.select().from(payments).where(inArray(payments.id, valid));
}

export async function paymentApplicationsByPaymentIds(
  db: Executor,
  paymentIds: readonly string[],
): Promise<PaymentApplicationRow[]> {
  const valid = validUuids(paymentIds);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(paymentApplications)
        .where(inArray(paymentApplications.paymentId, valid))
        .orderBy(asc(paymentApplications.createdAt), asc(paymentApplications.id));
}

export async function paymentApplicationsByInvoiceIds(
  db: Executor,
  invoiceIds: readonly string[],
): Promise<PaymentApplicationRow[]> {
  const valid = validUuids(invoiceIds);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(paymentApplications)
        .where(inArray(paymentApplications.invoiceId, valid))
        .orderBy(asc(paymentApplications.createdAt), asc(paymentApplications.id));
}

export async function paymentApplicationsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<PaymentApplicationRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0
    ? []
    : db.select().from(paymentApplications).where(inArray(paymentApplications.id, valid));
}

export async function postingsByIds(db: Executor, ids: readonly string[]): Promise<PostingRow[]> {
  const valid = validUuids(ids);
  return valid.length === 0 ? [] : db.select().from(postings).where(inArray(postings.id, valid));
}

/** Ledger postings by the invoice they settle or reclassify, oldest first. */
export async function postingsByInvoiceIds(
  db: Executor,
  invoiceIds: readonly string[],
): Promise<PostingRow[]> {
  const valid = validUuids(invoiceIds);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(postings)
        .where(inArray(postings.invoiceId, valid))
        .orderBy(asc(postings.createdAt), asc(postings.id));
}

export async function postingsByPaymentIds(
  db: Executor,
  paymentIds: readonly string[],
): Promise<PostingRow[]> {
  const valid = validUuids(paymentIds);
  return valid.length === 0
    ? []
    : db
        .select()
        .from(postings)
        .where(inArray(postings.paymentId, valid))
        .orderBy(asc(postings.createdAt), asc(postings.id));
}

export async function postingsByTransactionIds(
  db: Executor,
  transactionIds: readonly string[],
): Promise<PostingRow[]> {
  return transactionIds.length === 0
    ? []
    : db
        .select()
        .from(postings)
        .where(inArray(postings.transactionId, [...new Set(transactionIds)]))
        .orderBy(asc(postings.createdAt), asc(postings.id));
}

export async function paymentsByTransactionIds(
  db: Executor,
  transactionIds: readonly string[],
): Promise<PaymentRow[]> {
  return transactionIds.length === 0
    ? []
    : db
        .select()
        .from(payments)
        .where(inArray(payments.transactionId, [...new Set(transactionIds)]));
}

function paymentConditions(filter: PaymentFilter) {
  return and(
    idIn(payments.connectionId, filter.connectionIds),
    idIn(payments.supplierId, filter.supplierIds),
    oneOf(payments.status, filter.statuses),
    oneOf(payments.postingState, filter.postingStates),
    oneOf(payments.method, filter.methods),
    oneOf(payments.currency, filter.currencies),
    dateRange(payments.paymentDate, filter.paymentDate),
    filter.transactionId !== undefined
      ? eq(payments.transactionId, filter.transactionId)
      : undefined,
    searchPayments(filter.search),
  );
}

/** The payment's AvidXchange ids, or its supplier's code or name (both trigram-indexed). */
function searchPayments(term: string | undefined) {
  const own = matches(paymentSearchText(payments), term);
  const bySupplier = matches(supplierSearchText(suppliers), term);
  return own && bySupplier
    ? or(
        own,
        sql`${payments.supplierId} in (select ${suppliers.id} from ${suppliers} where ${bySupplier})`,
      )
    : undefined;
}

/**
 * What AvidXchange has paid against each invoice: the sum of its remittance lines, leaving out
 * payments that were voided (and reversed). Summed by PostgreSQL in `numeric`, never in floats.
 */
export async function paidAmountsByInvoiceIds(
  db: Executor,
  invoiceIds: readonly string[],
): Promise<{ invoiceId: string; paid: string }[]> {
  const valid = validUuids(invoiceIds);
  if (valid.length === 0) {
    return [];
  }
  const rows = await db
    .select({
      invoiceId: paymentApplications.invoiceId,
      paid: sql<string>`sum(${paymentApplications.amount})::numeric(18, 2)::text`,
    })
    .from(paymentApplications)
    .innerJoin(payments, eq(payments.id, paymentApplications.paymentId))
    .where(
      and(
        inArray(paymentApplications.invoiceId, valid),
        sql`${payments.postingState} <> 'reversed'`,
        sql`${payments.status} not ilike 'void%'`,
      ),
    )
    .groupBy(paymentApplications.invoiceId);
  return rows.flatMap((row) =>
    row.invoiceId ? [{ invoiceId: row.invoiceId, paid: row.paid }] : [],
  );
}
