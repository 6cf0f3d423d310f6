import { sql } from "drizzle-orm";
import { index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";

import type { SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

import { id, mirror, timestamps } from "./columns.js";
import { connections } from "./connections.js";

/**
 * The text the API's supplier search matches (ILIKE), trigram-indexed below; the read models build
 * the same expression so the index serves the query.
 */
export const supplierSearchText = (t: {
  sysproCode: AnyPgColumn;
  name: AnyPgColumn;
  avidVendorId: AnyPgColumn;
}): SQL => sql`(${t.sysproCode} || ' ' || ${t.name} || ' ' || coalesce(${t.avidVendorId}, ''))`;

/** Mirror of SYSPRO `ApSupplier`, and the AvidXchange vendor it became (flow 1). */
export const suppliers = pgTable(
  "suppliers",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    sysproCode: text().notNull(),
    name: text().notNull(),
    currency: text(),
    terms: text(),
    avidVendorId: text(),
    ...mirror(),
    ...timestamps,
  },
  (t) => [
    unique("suppliers_connection_id_syspro_code_unique").on(t.connectionId, t.sysproCode),
    index().on(t.connectionId, t.avidVendorId),
    index().on(t.connectionId, t.syncState),
    index("suppliers_search_trgm").using("gin", sql`${supplierSearchText(t)} gin_trgm_ops`),
  ],
);
