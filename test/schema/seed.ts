import { ulid } from "ulid";

import {
  auditEvents,
  avidDimensions,
  connections,
  exceptions,
  glAccounts,
  glMappings,
  invoiceLines,
  invoices,
  paymentApplications,
  payments,
  postings,
  purchaseOrderLines,
  purchaseOrders,
  suppliers,
  syncRuns,
  transactions,
} from "../../src/db/schema/index.js";

import type { Db } from "../../src/db/client.js";

/**
 * Rows inserted straight into the tables (a seeded sync comes later, issue 8): every test builds
 * exactly the records it asserts on.
 */

let counter = 0;
const next = () => ++counter;

export type ConnectionRow = typeof connections.$inferSelect;

export async function seedConnection(
  db: Db,
  overrides: Partial<typeof connections.$inferInsert> = {},
): Promise<ConnectionRow> {
  const n = next();
  const [row] = await db
    .insert(connections)
    .values({
      name: `Connection ${n}`,
      sysproEnetBaseUrl: "https://syspro.example.com/SYSPROWCFService/Rest",
      sysproOdataBaseUrl: "https://syspro.example.com/odata",
      sysproCompanyId: "EDU1",
      sysproOperator: "ADMIN",
      sysproOdataUser: "odata",
      avidBaseUrl: "https://api.avidxchange.example.com",
      avidTokenUrl: "https://api.avidxchange.example.com/token",
      avidClientId: "client",
      avidCompanyId: `company-${n}`,
      ...overrides,
    })
    .returning();
  return row!;
}

export async function seedSupplier(
  db: Db,
  connectionId: string,
  overrides: Partial<typeof suppliers.$inferInsert> = {},
) {
  const n = next();
  const [row] = await db
    .insert(suppliers)
    .values({
      connectionId,
      sysproCode: `S${String(n).padStart(5, "0")}`,
      name: `Supplier ${n}`,
      currency: "USD",
      terms: "30",
      ...overrides,
    })
    .returning();
  return row!;
}

export async function seedTransaction(
  db: Db,
  connectionId: string,
  overrides: Partial<typeof transactions.$inferInsert> = {},
) {
  const [row] = await db
    .insert(transactions)
    .values({ id: ulid(), connectionId, kind: "invoice.send", input: {}, ...overrides })
    .returning();
  return row!;
}

export interface SeededInvoice {
  readonly invoice: typeof invoices.$inferSelect;
  readonly lines: (typeof invoiceLines.$inferSelect)[];
}

/** An invoice with `lines` GL lines (amounts 100.00, 100.01, …). */
export async function seedInvoice(
  db: Db,
  connectionId: string,
  supplier: { id: string; sysproCode: string },
  overrides: Partial<typeof invoices.$inferInsert> = {},
  lines = 2,
): Promise<SeededInvoice> {
  const n = next();
  const number = overrides.invoiceNumber ?? `INV-${String(n).padStart(6, "0")}`;
  const [invoice] = await db
    .insert(invoices)
    .values({
      connectionId,
      supplierId: supplier.id,
      sysproSupplierCode: supplier.sysproCode,
      invoiceNumber: number,
      externalInvoiceId: `${supplier.sysproCode}|${number}`,
      invoiceDate: "2025-01-15",
      dueDate: "2025-02-14",
      currency: "USD",
      amount: "200.01",
      openBalance: "200.01",
      ...overrides,
    })
    .returning();
  const lineRows =
    lines === 0
      ? []
      : await db
          .insert(invoiceLines)
          .values(
            Array.from({ length: lines }, (_, i) => ({
              invoiceId: invoice!.id,
              lineNumber: i + 1,
              sysproGlCode: `6100-${200 + i}`,
              costCentre: String(200 + i),
              amount: `${100 + i}.${String(i).padStart(2, "0")}`,
              avidGlCode: "6100",
              avidDimensions: { Department: String(200 + i) },
            })),
          )
          .returning();
  return { invoice: invoice!, lines: lineRows };
}

/** A payment applied to `invoice` for its whole amount, with a posted APSTPM posting. */
export async function seedPayment(
  db: Db,
  connectionId: string,
  invoice: typeof invoices.$inferSelect,
  overrides: Partial<typeof payments.$inferInsert> = {},
) {
  const n = next();
  const transactionId = overrides.transactionId ?? ulid();
  const [payment] = await db
    .insert(payments)
    .values({
      connectionId,
      avidPaymentId: `PAY-${n}`,
      supplierId: invoice.supplierId,
      status: "Funds Received",
      method: "ACH",
      amount: invoice.amount,
      currency: invoice.currency,
      paymentDate: "2025-02-01",
      postingState: "posted",
      transactionId,
      remittance: { reference: `REM-${n}` },
      ...overrides,
    })
    .returning();
  const [application] = await db
    .insert(paymentApplications)
    .values({
      paymentId: payment!.id,
      invoiceId: invoice.id,
      avidInvoiceId: invoice.avidInvoiceId ?? `AVID-${n}`,
      externalInvoiceId: invoice.externalInvoiceId,
      amount: invoice.amount,
    })
    .returning();
  const [posting] = await db
    .insert(postings)
    .values({
      connectionId,
      kind: "payment",
      avidPaymentId: payment!.avidPaymentId,
      paymentId: payment!.id,
      invoiceId: invoice.id,
      transactionId,
      method: "APSTPM",
      amount: invoice.amount,
      currency: invoice.currency,
      state: "posted",
      sysproReference: `CHQ${n}`,
      postedAt: new Date("2025-02-02T10:00:00Z"),
    })
    .returning();
  return { payment: payment!, application: application!, posting: posting! };
}

export async function seedAuditEvent(
  db: Db,
  values: Partial<typeof auditEvents.$inferInsert> & { type: string },
) {
  const [row] = await db
    .insert(auditEvents)
    .values({ actor: "worker", ...values })
    .returning();
  return row!;
}

export async function seedException(
  db: Db,
  connectionId: string,
  overrides: Partial<typeof exceptions.$inferInsert> = {},
) {
  const n = next();
  const [row] = await db
    .insert(exceptions)
    .values({
      connectionId,
      reasonCode: "UNMAPPED_GL",
      message: `No mapping gives this SYSPRO GL code an AvidXchange GL code: 7${n}`,
      subjectType: "invoice",
      subjectId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      subjectRef: `S00001 / INV-${n}`,
      suggestedAction: "Add a mapping, then retry",
      ...overrides,
    })
    .returning();
  return row!;
}

export async function seedSyncRun(
  db: Db,
  connectionId: string,
  overrides: Partial<typeof syncRuns.$inferInsert> = {},
) {
  const [row] = await db
    .insert(syncRuns)
    .values({ connectionId, kind: "invoices", actor: "schedule", ...overrides })
    .returning();
  return row!;
}

export async function seedPurchaseOrder(
  db: Db,
  connectionId: string,
  supplier: { id: string; sysproCode: string },
  overrides: Partial<typeof purchaseOrders.$inferInsert> = {},
) {
  const n = next();
  const [row] = await db
    .insert(purchaseOrders)
    .values({
      connectionId,
      supplierId: supplier.id,
      sysproSupplierCode: supplier.sysproCode,
      poNumber: `PO-${String(n).padStart(6, "0")}`,
      orderEntryDate: "2025-01-10",
      status: "1",
      currency: "USD",
      totalAmount: "500.00",
      ...overrides,
    })
    .returning();
  await db.insert(purchaseOrderLines).values([
    {
      purchaseOrderId: row!.id,
      lineNumber: 1,
      stockCode: "A100",
      quantity: "2",
      unitPrice: "150.00",
      amount: "300.00",
    },
    {
      purchaseOrderId: row!.id,
      lineNumber: 2,
      stockCode: "B200",
      quantity: "1",
      unitPrice: "200.00",
      amount: "200.00",
    },
  ]);
  return row!;
}

export async function seedGlReferenceData(db: Db, connectionId: string) {
  const accounts = await db
    .insert(glAccounts)
    .values([
      { connectionId, glCode: "6100-200", description: "Office supplies", accountType: "E" },
      { connectionId, glCode: "6100-201", description: "Travel", accountType: "E" },
      {
        connectionId,
        glCode: "6200-300",
        description: "Old account",
        accountType: "E",
        active: false,
      },
    ])
    .returning();
  const codes = await db
    .insert(avidDimensions)
    .values([
      { connectionId, groupName: "Accounting Codes", code: "6100", name: "Supplies" },
      { connectionId, groupName: "Accounting Codes", code: "6999", name: "Retired", active: false },
      { connectionId, groupName: "Department", code: "200", name: "Operations" },
      { connectionId, groupName: "Department", code: "201", name: "Sales" },
    ])
    .returning();
  return { accounts, codes };
}

export async function seedExactMapping(
  db: Db,
  connectionId: string,
  sysproGlCode: string,
  avidGlCode: string,
  dimensions: Record<string, string> = {},
) {
  const [row] = await db
    .insert(glMappings)
    .values({ connectionId, kind: "exact", sysproGlCode, avidGlCode, dimensions })
    .returning();
  return row!;
}
