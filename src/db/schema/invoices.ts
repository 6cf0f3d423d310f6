import { sql } from "drizzle-orm";
import { date, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";

import { id, json, mirror, money, timestamps, timestamptz } from "./columns.js";
import { connections } from "./connections.js";
import { suppliers } from "./suppliers.js";

import type { SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * The text the API's invoice search matches (ILIKE), trigram-indexed below; the read models build
 * the same expression so the index serves the query.
 */
export const invoiceSearchText = (t: {
  invoiceNumber: AnyPgColumn;
  sysproSupplierCode: AnyPgColumn;
  externalInvoiceId: AnyPgColumn;
  avidInvoiceId: AnyPgColumn;
  poNumber: AnyPgColumn;
}): SQL =>
  sql`(${t.invoiceNumber} || ' ' || ${t.sysproSupplierCode} || ' ' || ${t.externalInvoiceId} || ' ' || coalesce(${t.avidInvoiceId}, '') || ' ' || coalesce(${t.poNumber}, ''))`;

/** AvidXchange dimensions on a line: dimension group name → code value. */
export type Dimensions = Record<string, string>;

/**
 * Mirror of SYSPRO `ApInvoice` and its AvidXchange counterpart (flows 3 and 4). SYSPRO's key is
 * (supplier, invoice); the AP journal key (TrnYear, TrnMonth, Journal, EntryNumber) finds its GL
 * distribution in `ApJnlSummary` → `ApJnlDistrib`.
 */
export const invoices = pgTable(
  "invoices",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    supplierId: uuid().references(() => suppliers.id, { onDelete: "set null" }),
    sysproSupplierCode: text().notNull(),
    invoiceNumber: text().notNull(),
    trnYear: integer(),
    trnMonth: integer(),
    journal: text(),
    entryNumber: text(),
    invoiceDate: date(),
    dueDate: date(),
    journalDate: date(),
    currency: text(),
    amount: money().notNull(),
    taxAmount: money(),
    openBalance: money(),
    poNumber: text(),
    /** Our reference, sent as AvidXchange `ExternalInvoiceId`; the duplicate guard on their side. */
    externalInvoiceId: text().notNull(),
    avidInvoiceId: text(),
    /** AvidXchange's approval state as it names it (e.g. `Approved`), and when we saw it. */
    approvalState: text(),
    approvalStateAt: timestamptz(),
    /** The transaction that sent it (a ULID; see `transactions`). */
    transactionId: text(),
    sentAt: timestamptz(),
    ...mirror(),
    ...timestamps,
  },
  (t) => [
    unique("invoices_connection_supplier_invoice_unique").on(
      t.connectionId,
      t.sysproSupplierCode,
      t.invoiceNumber,
    ),
    unique("invoices_connection_id_external_invoice_id_unique").on(
      t.connectionId,
      t.externalInvoiceId,
    ),
    index().on(t.connectionId, t.avidInvoiceId),
    index().on(t.connectionId, t.syncState),
    index().on(t.connectionId, t.journalDate),
    index().on(t.supplierId),
    index("invoices_search_trgm").using("gin", sql`${invoiceSearchText(t)} gin_trgm_ops`),
  ],
);

/** One GL distribution line of an invoice, with where it maps to and any approver re-code. */
export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: id(),
    invoiceId: uuid()
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    lineNumber: integer().notNull(),
    sysproGlCode: text().notNull(),
    costCentre: text(),
    description: text(),
    amount: money().notNull(),
    avidGlCode: text(),
    avidDimensions: json<Dimensions>(),
    recodedGlCode: text(),
    recodedDimensions: json<Dimensions>(),
    recodedAt: timestamptz(),
    raw: json<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [
    unique("invoice_lines_invoice_id_line_number_unique").on(t.invoiceId, t.lineNumber),
    index().on(t.sysproGlCode),
  ],
);
