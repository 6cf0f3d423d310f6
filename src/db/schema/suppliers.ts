import { index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";

import { id, mirror, timestamps } from "./columns.js";
import { connections } from "./connections.js";

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
  ],
);
