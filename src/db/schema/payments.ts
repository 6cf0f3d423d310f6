import { sql } from "drizzle-orm";
import { date, index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";

import { id, json, money, timestamps, timestamptz } from "./columns.js";
import { connections } from "./connections.js";
import { paymentPostingStateEnum } from "./enums.js";
import { invoices } from "./invoices.js";
import { suppliers } from "./suppliers.js";

import type { SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/** The text the API's payment search matches (ILIKE), trigram-indexed below. */
export const paymentSearchText = (t: {
  avidPaymentId: AnyPgColumn;
  avidVendorId: AnyPgColumn;
}): SQL => sql`(${t.avidPaymentId} || ' ' || coalesce(${t.avidVendorId}, ''))`;

/** An AvidXchange payment and where it stands in posting to SYSPRO (flow 5). */
export const payments = pgTable(
  "payments",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    avidPaymentId: text().notNull(),
    supplierId: uuid().references(() => suppliers.id, { onDelete: "set null" }),
    avidVendorId: text(),
    /** AvidXchange's status as it names it (e.g. `Funds Received`, `Voided`). */
    status: text().notNull(),
    statusAt: timestamptz(),
    method: text(),
    amount: money().notNull(),
    currency: text(),
    paymentDate: date(),
    remittance: json(),
    raw: json<Record<string, unknown>>(),
    postingState: paymentPostingStateEnum().notNull().default("awaiting_status"),
    transactionId: text(),
    ...timestamps,
  },
  (t) => [
    unique("payments_connection_id_avid_payment_id_unique").on(t.connectionId, t.avidPaymentId),
    index().on(t.connectionId, t.postingState),
    index().on(t.connectionId, t.status),
    index().on(t.supplierId),
    index("payments_search_trgm").using("gin", sql`${paymentSearchText(t)} gin_trgm_ops`),
  ],
);

/** One remittance line: the part of a payment applied to one invoice. */
export const paymentApplications = pgTable(
  "payment_applications",
  {
    id: id(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id, { onDelete: "cascade" }),
    invoiceId: uuid().references(() => invoices.id, { onDelete: "set null" }),
    avidInvoiceId: text().notNull(),
    externalInvoiceId: text(),
    amount: money().notNull(),
    discountAmount: money(),
    raw: json<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [
    unique("payment_applications_payment_id_avid_invoice_id_unique").on(
      t.paymentId,
      t.avidInvoiceId,
    ),
    index().on(t.invoiceId),
  ],
);
