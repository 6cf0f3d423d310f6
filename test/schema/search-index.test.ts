import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import {
  exceptionSearchText,
  exceptions,
  invoiceSearchText,
  invoices,
  paymentSearchText,
  payments,
  purchaseOrderSearchText,
  purchaseOrders,
  supplierSearchText,
  suppliers,
} from "../../src/db/schema/index.js";
import { matches } from "../../src/read-models/filters.js";
import { useTestDatabase } from "../setup/db.js";

import type { SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

const t = useTestDatabase();

describe("text search is served by the pg_trgm indexes", () => {
  const cases: [string, PgTable, SQL, string][] = [
    ["suppliers", suppliers, supplierSearchText(suppliers), "suppliers_search_trgm"],
    ["invoices", invoices, invoiceSearchText(invoices), "invoices_search_trgm"],
    [
      "purchase_orders",
      purchaseOrders,
      purchaseOrderSearchText(purchaseOrders),
      "purchase_orders_search_trgm",
    ],
    ["payments", payments, paymentSearchText(payments), "payments_search_trgm"],
    ["exceptions", exceptions, exceptionSearchText(exceptions), "exceptions_search_trgm"],
  ];
  for (const [name, table, document, index] of cases) {
    it(`${name}: the search the read model sends can use ${index}`, async () => {
      const query = t.db
        .select({ one: sql`1` })
        .from(table)
        .where(matches(document, "acme"))
        .toSQL();
      const plan = await t.db.transaction(async (tx) => {
        // An empty table is cheapest to scan; forbid that so the plan shows whether the index fits.
        await tx.execute(sql`set local enable_seqscan = off`);
        const rows = await tx.execute<{ "QUERY PLAN": string }>(
          sql.raw(`explain ${inline(query.sql, query.params)}`),
        );
        return rows.map((row) => row["QUERY PLAN"]).join("\n");
      });
      expect(plan).toContain(index);
    });
  }
});

/** EXPLAIN takes no bind parameters here; our parameters are plain strings. */
function inline(text: string, params: unknown[]): string {
  return text.replace(
    /\$(\d+)/g,
    (_, n: string) => `'${String(params[Number(n) - 1]).replace(/'/g, "''")}'`,
  );
}
