import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { invoiceLines, purchaseOrderLines, schedules } from "../../src/db/schema/index.js";

import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { globalId } from "./jobs.js";
import {
  seedAuditEvent,
  seedConnection,
  seedException,
  seedExactMapping,
  seedGlReferenceData,
  seedInvoice,
  seedPayment,
  seedPurchaseOrder,
  seedSupplier,
  seedSyncRun,
  seedTransaction,
} from "./seed.js";

guardLeaks();
const gateway = useSchemaGateway();

describe("node(id)", () => {
  it("fetches every type by its global id, and null for an unknown one", async () => {
    const { data, database } = gateway();
    const db = database.db;
    const connection = await seedConnection(db);
    const supplier = await seedSupplier(db, connection.id);
    const po = await seedPurchaseOrder(db, connection.id, supplier);
    const [poLine] = await db.select().from(purchaseOrderLines).limit(1);
    const { invoice, lines } = await seedInvoice(db, connection.id, supplier);
    const { payment, application, posting } = await seedPayment(db, connection.id, invoice);
    const { accounts, codes } = await seedGlReferenceData(db, connection.id);
    const mapping = await seedExactMapping(db, connection.id, "6100-200", "6100");
    const run = await seedSyncRun(db, connection.id);
    const transaction = await seedTransaction(db, connection.id);
    const exception = await seedException(db, connection.id);
    const event = await seedAuditEvent(db, { type: "invoice.sent", connectionId: connection.id });
    const [schedule] = await db
      .insert(schedules)
      .values({ connectionId: connection.id, kind: "invoices", intervalSeconds: 600 })
      .returning();

    const cases: [string, string][] = [
      ["Connection", connection.id],
      ["Supplier", supplier.id],
      ["PurchaseOrder", po.id],
      ["PurchaseOrderLine", poLine!.id],
      ["Invoice", invoice.id],
      ["InvoiceLine", lines[0]!.id],
      ["Payment", payment.id],
      ["PaymentApplication", application.id],
      ["Posting", posting.id],
      ["GlAccount", accounts[0]!.id],
      ["AvidCode", codes[0]!.id],
      ["GlMapping", mapping.id],
      ["SyncRun", run.id],
      ["Transaction", transaction.id],
      ["SyncException", exception.id],
      ["AuditEvent", String(event.id)],
      ["Schedule", schedule!.id],
    ];
    const ids = cases.map(([type, id]) => globalId(type, id));
    const result = await data<{ nodes: ({ __typename: string; id: string } | null)[] }>(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`,
      { ids },
      "viewer",
    );
    expect(result.nodes).toEqual(cases.map(([type], i) => ({ __typename: type, id: ids[i] })));

    // A well-formed id of no record is null; malformed ids are refused (global-ids.test.ts).
    const missing = await data<{ node: null }>(`query ($id: ID!) { node(id: $id) { id } }`, {
      id: globalId("Invoice", "00000000-0000-4000-8000-000000000000"),
    });
    expect(missing).toEqual({ node: null });
  });
});

describe("transaction(id): the whole trail", () => {
  it("shows a transaction's audit events, exceptions, postings, records, subject and replays", async () => {
    const { data, database } = gateway();
    const db = database.db;
    const connection = await seedConnection(db);
    const supplier = await seedSupplier(db, connection.id);
    const { invoice } = await seedInvoice(db, connection.id, supplier, {
      invoiceNumber: "TRAIL-1",
    });
    const transaction = await seedTransaction(db, connection.id, {
      kind: "payment.post",
      subjectType: "invoice",
      subjectId: invoice.id,
      state: "succeeded",
      input: { avidPaymentId: "PAY-T" },
    });
    const { posting } = await seedPayment(db, connection.id, invoice, {
      transactionId: transaction.id,
    });
    const { db: _db } = { db };
    await db
      .update((await import("../../src/db/schema/index.js")).postings)
      .set({ transactionId: transaction.id })
      .where(
        (await import("drizzle-orm")).eq(
          (await import("../../src/db/schema/index.js")).postings.id,
          posting.id,
        ),
      );
    await seedAuditEvent(db, {
      type: "payment.validated",
      connectionId: connection.id,
      transactionId: transaction.id,
    });
    await seedAuditEvent(db, {
      type: "payment.posted",
      connectionId: connection.id,
      transactionId: transaction.id,
      subjectType: "invoice",
      subjectId: invoice.id,
      data: { sysproReference: "CHQ1" },
    });
    await seedException(db, connection.id, {
      transactionId: transaction.id,
      reasonCode: "GL_INVALID",
      state: "resolved",
    });
    const replay = await seedTransaction(db, connection.id, {
      kind: "payment.post",
      replayOf: transaction.id,
      state: "skipped",
    });

    const result = await data<{ transaction: Record<string, unknown> }>(
      `query ($id: ID!) {
        transaction(id: $id) {
          transactionId kind state input startedAt
          connection { name }
          subject { __typename ... on Invoice { invoiceNumber } }
          auditEvents { type data subject { __typename } }
          exceptions { reasonCode state }
          postings { kind sysproReference }
          payments { avidPaymentId }
          replays { transactionId state replayOf { transactionId } }
        }
      }`,
      { id: transaction.id },
      "viewer",
    );
    expect(result.transaction).toMatchObject({
      transactionId: transaction.id,
      kind: "payment.post",
      state: "SUCCEEDED",
      input: { avidPaymentId: "PAY-T" },
      connection: { name: connection.name },
      subject: { __typename: "Invoice", invoiceNumber: "TRAIL-1" },
      auditEvents: [
        { type: "payment.validated", data: {}, subject: null },
        {
          type: "payment.posted",
          data: { sysproReference: "CHQ1" },
          subject: { __typename: "Invoice" },
        },
      ],
      exceptions: [{ reasonCode: "GL_INVALID", state: "RESOLVED" }],
      postings: [{ kind: "PAYMENT", sysproReference: posting.sysproReference }],
      payments: [{ avidPaymentId: expect.any(String) as string }],
      replays: [
        { transactionId: replay.id, state: "SKIPPED", replayOf: { transactionId: transaction.id } },
      ],
    });
    expect(new Date(result.transaction["startedAt"] as string).getTime()).toBeGreaterThan(0);

    const byNodeId = await data<{ transaction: { kind: string } }>(
      `query ($id: ID!) { transaction(id: $id) { kind } }`,
      { id: globalId("Transaction", transaction.id) },
    );
    expect(byNodeId.transaction.kind).toBe("payment.post");
    const unknown = await data<{ transaction: null }>(
      `{ transaction(id: "01JZZZZZZZZZZZZZZZZZZZZZZZ") { kind } }`,
    );
    expect(unknown.transaction).toBeNull();
  });
});

describe("both sides of an invoice", () => {
  it("shows SYSPRO keys, AvidXchange ids and state, lines with mapping and re-coding, and money as strings", async () => {
    const { data, database } = gateway();
    const db = database.db;
    const connection = await seedConnection(db);
    const supplier = await seedSupplier(db, connection.id, {
      avidVendorId: "V-9",
      contentHash: "h",
      lastSentHash: "h",
    });
    const { invoice, lines } = await seedInvoice(db, connection.id, supplier, {
      amount: "1234567890123.45",
      avidInvoiceId: "AVX-1",
      approvalState: "Approved",
      approvalStateAt: new Date("2025-01-20T12:00:00Z"),
      trnYear: 2025,
      trnMonth: 1,
      journal: "12",
      entryNumber: "3",
    });
    await db
      .update(invoiceLines)
      .set({
        recodedGlCode: "6200",
        recodedDimensions: { Department: "300" },
        recodedAt: new Date("2025-01-19T00:00:00Z"),
      })
      .where(eq(invoiceLines.id, lines[1]!.id));
    await seedAuditEvent(db, {
      type: "invoice.approval_state",
      connectionId: connection.id,
      subjectType: "invoice",
      subjectId: invoice.id,
      data: { state: "Pending" },
    });
    await seedAuditEvent(db, {
      type: "invoice.approval_state",
      connectionId: connection.id,
      subjectType: "invoice",
      subjectId: invoice.id,
      data: { state: "Approved" },
    });

    const result = await data<{ node: Record<string, unknown> }>(
      `query ($id: ID!) {
        node(id: $id) {
          ... on Invoice {
            invoiceNumber sysproSupplierCode trnYear trnMonth journal entryNumber amount openBalance
            avidInvoiceId approvalState approvalStateAt syncState
            supplier { sysproCode avidVendorId inSync }
            lines { sysproGlCode costCentre avidGlCode avidDimensions { group value } recoded recodedGlCode recodedDimensions { group value } }
            approvalHistory { data }
          }
        }
      }`,
      { id: globalId("Invoice", invoice.id) },
      "viewer",
    );
    expect(result.node).toEqual({
      invoiceNumber: invoice.invoiceNumber,
      sysproSupplierCode: supplier.sysproCode,
      trnYear: 2025,
      trnMonth: 1,
      journal: "12",
      entryNumber: "3",
      amount: "1234567890123.45",
      openBalance: "200.01",
      avidInvoiceId: "AVX-1",
      approvalState: "Approved",
      approvalStateAt: "2025-01-20T12:00:00.000Z",
      syncState: "PENDING",
      supplier: { sysproCode: supplier.sysproCode, avidVendorId: "V-9", inSync: true },
      lines: [
        {
          sysproGlCode: "6100-200",
          costCentre: "200",
          avidGlCode: "6100",
          avidDimensions: [{ group: "Department", value: "200" }],
          recoded: false,
          recodedGlCode: null,
          recodedDimensions: [],
        },
        {
          sysproGlCode: "6100-201",
          costCentre: "201",
          avidGlCode: "6100",
          avidDimensions: [{ group: "Department", value: "201" }],
          recoded: true,
          recodedGlCode: "6200",
          recodedDimensions: [{ group: "Department", value: "300" }],
        },
      ],
      approvalHistory: [{ data: { state: "Pending" } }, { data: { state: "Approved" } }],
    });
  });
});

describe("paidAmount", () => {
  it("sums what AvidXchange paid against an invoice, leaving voided payments out", async () => {
    const { data, database } = gateway();
    const db = database.db;
    const connection = await seedConnection(db);
    const supplier = await seedSupplier(db, connection.id);
    const { invoice } = await seedInvoice(db, connection.id, supplier, { amount: "300.10" });
    const { invoice: unpaid } = await seedInvoice(db, connection.id, supplier);
    await seedPayment(db, connection.id, { ...invoice, amount: "100.05" });
    await seedPayment(db, connection.id, { ...invoice, amount: "0.05" });
    await seedPayment(
      db,
      connection.id,
      { ...invoice, amount: "200.00" },
      {
        status: "Voided",
        postingState: "reversed",
      },
    );
    const result = await data<{ nodes: { paidAmount: string; paymentApplications: unknown[] }[] }>(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Invoice { paidAmount paymentApplications { amount } } } }`,
      { ids: [globalId("Invoice", invoice.id), globalId("Invoice", unpaid.id)] },
    );
    expect(result.nodes.map((n) => [n.paidAmount, n.paymentApplications.length])).toEqual([
      ["100.10", 3],
      ["0.00", 0],
    ]);
  });
});
