import { sql } from "drizzle-orm";
import { date, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";

import { id, json, mirror, money, quantity, timestamps, timestamptz } from "./columns.js";
import { connections } from "./connections.js";
import { suppliers } from "./suppliers.js";

import type { SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/** The text the API's PO search matches (ILIKE), trigram-indexed below. */
export const purchaseOrderSearchText = (t: {
  poNumber: AnyPgColumn;
  sysproSupplierCode: AnyPgColumn;
}): SQL => sql`(${t.poNumber} || ' ' || ${t.sysproSupplierCode})`;

/** Mirror of SYSPRO `PorMasterHdr`, polled by `OrderEntryDate` watermark (flow 2). */
export const purchaseOrders = pgTable(
  "purchase_orders",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    supplierId: uuid().references(() => suppliers.id, { onDelete: "set null" }),
    poNumber: text().notNull(),
    sysproSupplierCode: text().notNull(),
    orderEntryDate: date(),
    status: text(),
    currency: text(),
    totalAmount: money(),
    avidPurchaseOrderId: text(),
    /** When SYSPRO last changed it: the watermark timestamp of this row. */
    sysproChangedAt: timestamptz(),
    ...mirror(),
    ...timestamps,
  },
  (t) => [
    unique("purchase_orders_connection_id_po_number_unique").on(t.connectionId, t.poNumber),
    index().on(t.connectionId, t.syncState),
    index().on(t.connectionId, t.sysproSupplierCode),
    index().on(t.supplierId),
    index("purchase_orders_search_trgm").using(
      "gin",
      sql`${purchaseOrderSearchText(t)} gin_trgm_ops`,
    ),
  ],
);

/** Mirror of SYSPRO `PorMasterDetail`. */
export const purchaseOrderLines = pgTable(
  "purchase_order_lines",
  {
    id: id(),
    purchaseOrderId: uuid()
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: "cascade" }),
    lineNumber: integer().notNull(),
    stockCode: text(),
    description: text(),
    warehouse: text(),
    glCode: text(),
    quantity: quantity(),
    unitPrice: quantity(),
    amount: money(),
    raw: json<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [
    unique("purchase_order_lines_purchase_order_id_line_number_unique").on(
      t.purchaseOrderId,
      t.lineNumber,
    ),
  ],
);
