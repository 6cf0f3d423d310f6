import { describe, expect, it } from "vitest";

import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { globalId } from "./jobs.js";
import {
  seedAuditEvent,
  seedConnection,
  seedException,
  seedGlReferenceData,
  seedExactMapping,
  seedInvoice,
  seedPayment,
  seedPurchaseOrder,
  seedSupplier,
  seedSyncRun,
} from "./seed.js";

import type { ConnectionRow } from "./seed.js";

guardLeaks();
const gateway = useSchemaGateway();

type Edges<T> = {
  totalCount: number;
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string };
};

/** Two connections with a handful of records each; lists are filtered to the first. */
async function world() {
  const { database } = gateway();
  const db = database.db;
  const main = await seedConnection(db);
  const other = await seedConnection(db);
  const acme = await seedSupplier(db, main.id, {
    name: "Acme Office Supplies",
    sysproCode: "ACME01",
    avidVendorId: "V-1",
    syncState: "synced",
  });
  const globex = await seedSupplier(db, main.id, { name: "Globex Freight", sysproCode: "GLOB01" });
  const initech = await seedSupplier(db, main.id, {
    name: "Initech Software",
    sysproCode: "INIT01",
    syncState: "exception",
  });
  await seedSupplier(db, other.id, { name: "Acme Elsewhere", sysproCode: "ACME01" });

  const i1 = await seedInvoice(db, main.id, acme, {
    invoiceNumber: "A-100",
    invoiceDate: "2025-01-05",
    dueDate: "2025-02-04",
    amount: "50.00",
    approvalState: "Approved",
    syncState: "synced",
    openBalance: "0.00",
  });
  const i2 = await seedInvoice(db, main.id, acme, {
    invoiceNumber: "A-101",
    invoiceDate: "2025-01-20",
    dueDate: "2025-01-30",
    amount: "1500.00",
    approvalState: "Pending",
  });
  const i3 = await seedInvoice(db, main.id, globex, {
    invoiceNumber: "G-7",
    invoiceDate: "2025-02-01",
    amount: "75.25",
    currency: "CAD",
    poNumber: "PO-G-1",
  });
  const i4 = await seedInvoice(db, main.id, initech, {
    invoiceNumber: "X-1",
    dueDate: null,
    invoiceDate: null,
    amount: "10.00",
    syncState: "exception",
  });
  await seedInvoice(db, other.id, acme, { invoiceNumber: "A-100", invoiceDate: "2025-01-05" });

  const p1 = await seedPayment(db, main.id, i1.invoice, {
    paymentDate: "2025-02-10",
    method: "ACH",
    avidPaymentId: "PAY-ACH-1",
  });
  const p2 = await seedPayment(db, main.id, i2.invoice, {
    paymentDate: "2025-02-20",
    method: "Check",
    status: "Issued",
    postingState: "awaiting_status",
  });
  await seedPurchaseOrder(db, main.id, globex, {
    poNumber: "PO-G-1",
    orderEntryDate: "2025-01-02",
  });
  await seedPurchaseOrder(db, main.id, acme, {
    poNumber: "PO-A-9",
    orderEntryDate: "2025-01-15",
    syncState: "synced",
  });
  return { main, other, acme, globex, initech, invoices: [i1, i2, i3, i4], payments: [p1, p2] };
}

const cid = (c: ConnectionRow) => globalId("Connection", c.id);

describe("suppliers", () => {
  it("filters by connection, state, vendor and text, ordered by code or name", async () => {
    const { data } = gateway();
    const w = await world();
    const q = /* GraphQL */ `
      query ($filter: SupplierFilter, $orderBy: SupplierOrder) {
        suppliers(filter: $filter, orderBy: $orderBy, first: 10) {
          totalCount
          edges {
            node {
              sysproCode
              name
              syncState
              avidVendorId
              inSync
            }
          }
        }
      }
    `;
    const codes = async (filter: Record<string, unknown>, orderBy = "CODE_ASC") =>
      (
        await data<{ suppliers: Edges<{ sysproCode: string }> }>(
          q,
          { filter: { connectionIds: [cid(w.main)], ...filter }, orderBy },
          "viewer",
        )
      ).suppliers.edges.map((e) => e.node.sysproCode);
    expect(await codes({})).toEqual(["ACME01", "GLOB01", "INIT01"]);
    expect(await codes({ search: "freight" })).toEqual(["GLOB01"]);
    expect(await codes({ search: "acme01" })).toEqual(["ACME01"]);
    expect(await codes({ search: "v-1" })).toEqual(["ACME01"]);
    expect(await codes({ syncStates: ["EXCEPTION"] })).toEqual(["INIT01"]);
    expect(await codes({ hasAvidVendor: false })).toEqual(["GLOB01", "INIT01"]);
    expect(await codes({ search: "50%" })).toEqual([]); // % is literal, not a wildcard
    const all = await data<{ suppliers: Edges<unknown> }>(`{ suppliers { totalCount } }`);
    expect(all.suppliers.totalCount).toBeGreaterThanOrEqual(4);
  });
});

describe("invoices", () => {
  const q = /* GraphQL */ `
    query ($filter: InvoiceFilter, $orderBy: InvoiceOrder, $first: Int, $after: String) {
      invoices(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
        totalCount
        edges {
          cursor
          node {
            invoiceNumber
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;

  it("filters by supplier, states, dates, currency, open balance and text", async () => {
    const { data } = gateway();
    const w = await world();
    const numbers = async (filter: Record<string, unknown>, orderBy = "INVOICE_DATE_ASC") =>
      (
        await data<{ invoices: Edges<{ invoiceNumber: string }> }>(
          q,
          { filter: { connectionIds: [cid(w.main)], ...filter }, orderBy },
          "viewer",
        )
      ).invoices.edges.map((e) => e.node.invoiceNumber);

    expect(await numbers({})).toEqual(["X-1", "A-100", "A-101", "G-7"]); // no date sorts first
    expect(await numbers({}, "INVOICE_DATE_DESC")).toEqual(["G-7", "A-101", "A-100", "X-1"]);
    expect(await numbers({}, "AMOUNT_DESC")).toEqual(["A-101", "G-7", "A-100", "X-1"]);
    expect(await numbers({}, "DUE_DATE_ASC")).toEqual(["A-101", "A-100", "G-7", "X-1"]);
    expect(await numbers({ supplierIds: [globalId("Supplier", w.acme.id)] })).toEqual([
      "A-100",
      "A-101",
    ]);
    expect(await numbers({ invoiceDate: { from: "2025-01-05", to: "2025-01-20" } })).toEqual([
      "A-100",
      "A-101",
    ]);
    expect(await numbers({ invoiceDate: { from: "2025-01-06" } })).toEqual(["A-101", "G-7"]);
    expect(await numbers({ dueDate: { to: "2025-01-31" } })).toEqual(["A-101"]);
    expect(await numbers({ syncStates: ["SYNCED", "EXCEPTION"] })).toEqual(["X-1", "A-100"]);
    expect(await numbers({ approvalStates: ["Pending"] })).toEqual(["A-101"]);
    expect(await numbers({ currencies: ["CAD"] })).toEqual(["G-7"]);
    expect(await numbers({ openOnly: true })).toEqual(["X-1", "A-101", "G-7"]);
    expect(await numbers({ search: "a-10" })).toEqual(["A-100", "A-101"]);
    expect(await numbers({ search: "globex" })).toEqual(["G-7"]); // the supplier's name
    expect(await numbers({ search: "PO-G" })).toEqual(["G-7"]);
    const other = await data<{ invoices: Edges<unknown> }>(q, {
      filter: { connectionIds: [cid(w.other)] },
    });
    expect(other.invoices.totalCount).toBe(1);
  });

  it("pages through a stable order without gaps or repeats, even with equal dates", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const supplier = await seedSupplier(database.db, connection.id);
    for (let i = 0; i < 25; i++) {
      await seedInvoice(
        database.db,
        connection.id,
        supplier,
        {
          invoiceNumber: `P-${String(i).padStart(2, "0")}`,
          invoiceDate: i % 2 === 0 ? "2025-03-01" : "2025-03-02",
        },
        0,
      );
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await data<{ invoices: Edges<{ invoiceNumber: string }> }>(q, {
        filter: { connectionIds: [cid(connection)] },
        first: 7,
        ...(after ? { after } : {}),
      });
      seen.push(...result.invoices.edges.map((e) => e.node.invoiceNumber));
      expect(result.invoices.totalCount).toBe(25);
      if (!result.invoices.pageInfo.hasNextPage) {
        break;
      }
      after = result.invoices.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    // Newest date first: all of 2025-03-02 before 2025-03-01.
    expect(seen.slice(0, 12).every((n) => Number(n.slice(2)) % 2 === 1)).toBe(true);
  });

  it("refuses a cursor from another ordering", async () => {
    const { gql, data } = gateway();
    const page = await data<{ invoices: Edges<unknown> }>(q, { first: 1 });
    const cursor = page.invoices.edges[0]!.cursor;
    const wrong = await gql(q, { first: 1, after: cursor, orderBy: "AMOUNT_DESC" });
    expect(wrong.body.errors?.[0]?.extensions?.["code"]).toBe("VALIDATION_FAILED");
  });
});

describe("payments, purchase orders and the rest", () => {
  it("filters payments by state, method, date range and text", async () => {
    const { data } = gateway();
    const w = await world();
    const q = `query ($filter: PaymentFilter) { payments(filter: $filter) { totalCount edges { node { avidPaymentId method postingState } } } }`;
    const ids = async (filter: Record<string, unknown>) =>
      (
        await data<{ payments: Edges<{ avidPaymentId: string }> }>(
          q,
          { filter: { connectionIds: [cid(w.main)], ...filter } },
          "viewer",
        )
      ).payments.edges.map((e) => e.node.avidPaymentId);
    expect(await ids({})).toEqual([w.payments[1]!.payment.avidPaymentId, "PAY-ACH-1"]);
    expect(await ids({ methods: ["ACH"] })).toEqual(["PAY-ACH-1"]);
    expect(await ids({ postingStates: ["AWAITING_STATUS"] })).toEqual([
      w.payments[1]!.payment.avidPaymentId,
    ]);
    expect(await ids({ statuses: ["Funds Received"] })).toEqual(["PAY-ACH-1"]);
    expect(await ids({ paymentDate: { from: "2025-02-11" } })).toEqual([
      w.payments[1]!.payment.avidPaymentId,
    ]);
    expect(await ids({ search: "ach-1" })).toEqual(["PAY-ACH-1"]);
    expect(await ids({ search: "acme office" })).toHaveLength(2);
  });

  it("lists purchase orders with their lines and the invoices that quote them", async () => {
    const { data } = gateway();
    const w = await world();
    const result = await data<{
      purchaseOrders: Edges<{
        poNumber: string;
        lines: { lineNumber: number; amount: string }[];
        invoices: { invoiceNumber: string }[];
        supplier: { sysproCode: string };
      }>;
    }>(
      `query ($filter: PurchaseOrderFilter) { purchaseOrders(filter: $filter) { totalCount edges { node { poNumber orderEntryDate supplier { sysproCode } lines { lineNumber amount } invoices { invoiceNumber } } } } }`,
      {
        filter: {
          connectionIds: [cid(w.main)],
          orderEntryDate: { from: "2025-01-01", to: "2025-01-31" },
        },
      },
      "viewer",
    );
    expect(result.purchaseOrders.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        poNumber: "PO-A-9",
        invoices: [],
        supplier: { sysproCode: "ACME01" },
      }),
      expect.objectContaining({
        poNumber: "PO-G-1",
        lines: [
          { lineNumber: 1, amount: "300.00" },
          { lineNumber: 2, amount: "200.00" },
        ],
        invoices: [{ invoiceNumber: "G-7" }],
      }),
    ]);
    const search = await data<{ purchaseOrders: Edges<{ poNumber: string }> }>(
      `query ($filter: PurchaseOrderFilter) { purchaseOrders(filter: $filter, orderBy: PO_NUMBER_ASC) { edges { node { poNumber } } } }`,
      { filter: { connectionIds: [cid(w.main)], search: "po-", syncStates: ["SYNCED"] } },
    );
    expect(search.purchaseOrders.edges.map((e) => e.node.poNumber)).toEqual(["PO-A-9"]);
  });

  it("lists sync runs, audit events and exceptions with their filters", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const r1 = await seedSyncRun(database.db, connection.id, {
      kind: "suppliers",
      state: "succeeded",
    });
    const r2 = await seedSyncRun(database.db, connection.id, {
      kind: "payments",
      state: "failed",
      error: "AvidXchange was unavailable",
      actor: "test-operator",
    });
    await seedException(database.db, connection.id, {
      syncRunId: r2.id,
      reasonCode: "UNKNOWN_INVOICE",
      subjectType: "payment",
      subjectRef: "PAY-77",
    });
    await seedException(database.db, connection.id, { state: "skipped" });
    await seedAuditEvent(database.db, {
      type: "vendor.created",
      connectionId: connection.id,
      subjectType: "supplier",
      subjectId: "x",
    });
    await seedAuditEvent(database.db, { type: "payment.posted", connectionId: connection.id });
    const id = cid(connection);

    const runs = await data<{
      syncRuns: Edges<{
        kind: string;
        state: string;
        error: string | null;
        exceptions: { reasonCode: string }[];
        counts: { read: number };
      }>;
    }>(
      `query ($filter: SyncRunFilter) { syncRuns(filter: $filter) { totalCount edges { node { kind state error counts { read exceptions } exceptions { reasonCode } } } } }`,
      { filter: { connectionIds: [id], states: ["FAILED"] } },
      "viewer",
    );
    expect(runs.syncRuns.edges.map((e) => e.node)).toEqual([
      {
        kind: "PAYMENTS",
        state: "FAILED",
        error: "AvidXchange was unavailable",
        counts: { read: 0, exceptions: 0 },
        exceptions: [{ reasonCode: "UNKNOWN_INVOICE" }],
      },
    ]);
    const byActor = await data<{ syncRuns: Edges<unknown> }>(
      `query ($filter: SyncRunFilter) { syncRuns(filter: $filter) { totalCount } }`,
      { filter: { connectionIds: [id], actor: "schedule", kinds: ["SUPPLIERS"] } },
    );
    expect(byActor.syncRuns.totalCount).toBe(1);
    expect(r1.id).toBeTruthy();

    const events = await data<{ auditEvents: Edges<{ type: string }> }>(
      `query ($filter: AuditEventFilter) { auditEvents(filter: $filter) { edges { node { type actor occurredAt } } } }`,
      { filter: { connectionIds: [id], typePrefix: "payment." } },
    );
    expect(events.auditEvents.edges.map((e) => e.node.type)).toEqual(["payment.posted"]);

    const open = await data<{
      exceptions: Edges<{
        reasonCode: string;
        subjectRef: string;
        state: string;
        suggestedAction: string;
        syncRun: { kind: string };
      }>;
    }>(
      `query ($filter: ExceptionFilter) { exceptions(filter: $filter) { totalCount edges { node { reasonCode subjectRef state suggestedAction syncRun { kind } } } } }`,
      { filter: { connectionIds: [id], states: ["OPEN"], search: "pay-77" } },
    );
    expect(open.exceptions.edges.map((e) => e.node)).toEqual([
      {
        reasonCode: "UNKNOWN_INVOICE",
        subjectRef: "PAY-77",
        state: "OPEN",
        suggestedAction: "Add a mapping, then retry",
        syncRun: { kind: "PAYMENTS" },
      },
    ]);
  });

  it("lists GL accounts, AvidXchange codes and mappings for building the mapping", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    await seedGlReferenceData(database.db, connection.id);
    await seedExactMapping(database.db, connection.id, "6100-200", "6100", { Department: "200" });
    const id = cid(connection);
    const result = await data<{
      glAccounts: Edges<{
        glCode: string;
        active: boolean;
        mapping: { avidGlCode: string } | null;
      }>;
      avidCodes: Edges<{ group: string; code: string }>;
      glMappings: Edges<{ sysproGlCode: string; dimensions: { group: string; value: string }[] }>;
    }>(
      `query ($id: ID!) {
        glAccounts(filter: { connectionIds: [$id], active: true }) { totalCount edges { node { glCode active mapping { avidGlCode } } } }
        avidCodes(filter: { connectionIds: [$id], groups: ["Department"] }) { edges { node { group code } } }
        glMappings(filter: { connectionIds: [$id], search: "6100" }) { edges { node { sysproGlCode dimensions { group value } } } }
      }`,
      { id },
      "viewer",
    );
    expect(result.glAccounts.edges.map((e) => e.node)).toEqual([
      { glCode: "6100-200", active: true, mapping: { avidGlCode: "6100" } },
      { glCode: "6100-201", active: true, mapping: null },
    ]);
    expect(result.avidCodes.edges.map((e) => e.node.code)).toEqual(["200", "201"]);
    expect(result.glMappings.edges.map((e) => e.node)).toEqual([
      { sysproGlCode: "6100-200", dimensions: [{ group: "Department", value: "200" }] },
    ]);
  });
});
