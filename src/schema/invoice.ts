import {
  countInvoices,
  invoiceLinesByIds,
  invoiceLinesByInvoiceIds,
  invoicesByIds,
  invoicesByPoNumbers,
  listInvoices,
} from "../read-models/invoices.js";
import { pairKey } from "../read-models/filters.js";
import { purchaseOrdersByNumbers } from "../read-models/purchase-orders.js";
import { sortByKeys } from "../server/loaders.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { SyncStateEnum } from "./enums.js";
import { DateRangeInput, dateRangeOf, opt, optList } from "./filters.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";
import { PurchaseOrderRef, poKey } from "./purchase-order.js";
import { SupplierRef, supplierByCode } from "./supplier.js";

import type { InvoiceLineRow, InvoiceRow } from "../read-models/invoices.js";

/** An AvidXchange dimension on a line, e.g. Department = 210. */
export const DimensionRef = builder
  .objectRef<{ group: string; value: string }>("Dimension")
  .implement({
    description: "One AvidXchange dimension value on a line, e.g. Department = 210.",
    fields: (t) => ({
      group: t.exposeString("group", { description: "The dimension, e.g. Department." }),
      value: t.exposeString("value", { description: "Its code, e.g. 210." }),
    }),
  });

export const dimensionsOf = (record: Record<string, string> | null) =>
  Object.entries(record ?? {})
    .map(([group, value]) => ({ group, value }))
    .sort((a, b) => a.group.localeCompare(b.group));

export const InvoiceRef = builder.loadableNodeRef("Invoice", {
  id: { resolve: (invoice: InvoiceRow) => invoice.id },
  load: (ids: string[], ctx) => invoicesByIds(ctx.db, ids),
  sort: (invoice) => invoice.id,
});

export const InvoiceLineRef = builder.loadableNodeRef("InvoiceLine", {
  id: { resolve: (line: InvoiceLineRow) => line.id },
  load: (ids: string[], ctx) => invoiceLinesByIds(ctx.db, ids),
  sort: (line) => line.id,
});

InvoiceRef.implement({
  description:
    "A SYSPRO AP invoice and its AvidXchange counterpart: SYSPRO's keys and amounts, the AvidXchange id and approval state, where it stands in the sync, and (through its fields) its lines, payments, postings, exceptions and audit trail.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection it came through.",
      type: ConnectionRef,
      resolve: (invoice) => invoice.connectionId,
    }),
    supplier: t.field({
      type: SupplierRef,
      nullable: true,
      description: "The supplier, once it is mirrored.",
      // Linked invoices batch with every other supplier on the page; one mirrored without the link
      // (before its supplier, or by a flow that leaves supplier_id empty) finds it by its code.
      resolve: (invoice, _args, ctx) =>
        invoice.supplierId ??
        ctx.loaders
          .get(supplierByCode)
          .load(pairKey(invoice.connectionId, invoice.sysproSupplierCode)),
    }),
    sysproSupplierCode: t.exposeString("sysproSupplierCode", {
      description: "The SYSPRO supplier code on the invoice.",
    }),
    invoiceNumber: t.exposeString("invoiceNumber", {
      description: "The supplier's invoice number, as entered in SYSPRO.",
    }),
    trnYear: t.exposeInt("trnYear", {
      nullable: true,
      description:
        "SYSPRO AP journal year (with month, journal and entry: the GL distribution's key).",
    }),
    trnMonth: t.exposeInt("trnMonth", { description: "SYSPRO AP journal month.", nullable: true }),
    journal: t.exposeString("journal", {
      description: "SYSPRO AP journal number.",
      nullable: true,
    }),
    entryNumber: t.exposeString("entryNumber", {
      description: "Entry number within the SYSPRO AP journal.",
      nullable: true,
    }),
    invoiceDate: t.expose("invoiceDate", {
      description: "The invoice date.",
      type: "Date",
      nullable: true,
    }),
    dueDate: t.expose("dueDate", {
      description: "When payment is due.",
      type: "Date",
      nullable: true,
    }),
    journalDate: t.expose("journalDate", {
      type: "Date",
      nullable: true,
      description: "When SYSPRO journalled the invoice.",
    }),
    currency: t.exposeString("currency", {
      description: "The invoice's currency.",
      nullable: true,
    }),
    amount: t.expose("amount", { type: "Decimal", description: "Invoice total, tax included." }),
    taxAmount: t.expose("taxAmount", {
      description: "Tax included in the amount.",
      type: "Decimal",
      nullable: true,
    }),
    openBalance: t.expose("openBalance", {
      type: "Decimal",
      nullable: true,
      description: "What is still unpaid in SYSPRO, as last read.",
    }),
    poNumber: t.exposeString("poNumber", {
      description: "The purchase order number the invoice quotes.",
      nullable: true,
    }),
    purchaseOrder: t.loadable({
      type: PurchaseOrderRef,
      nullable: true,
      description: "The purchase order the invoice quotes, if it is mirrored.",
      load: async (keys: string[], ctx) => {
        const pairs = keys.map((key) => key.split("\u0000") as [string, string]);
        const rows = await purchaseOrdersByNumbers(ctx.db, pairs);
        return sortByKeys(keys, rows, (po) => poKey(po.connectionId, po.poNumber));
      },
      resolve: (invoice) =>
        invoice.poNumber ? poKey(invoice.connectionId, invoice.poNumber) : null,
    }),
    externalInvoiceId: t.exposeString("externalInvoiceId", {
      description:
        "Our reference for the invoice, sent to AvidXchange as ExternalInvoiceId (its duplicate guard).",
    }),
    avidInvoiceId: t.exposeString("avidInvoiceId", {
      nullable: true,
      description: "The AvidXchange invoice id; empty until sent.",
    }),
    approvalState: t.exposeString("approvalState", {
      nullable: true,
      description: "AvidXchange's approval state as AvidXchange names it, e.g. Approved.",
    }),
    approvalStateAt: t.expose("approvalStateAt", {
      type: "DateTime",
      nullable: true,
      description: "When we saw that approval state.",
    }),
    transactionId: t.exposeString("transactionId", {
      nullable: true,
      description: "The transaction that sent it to AvidXchange (the handle for replay).",
    }),
    sentAt: t.expose("sentAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was sent to AvidXchange.",
    }),
    syncState: t.expose("syncState", {
      description: "Where it stands in moving to AvidXchange.",
      type: SyncStateEnum,
    }),
    lastSyncedAt: t.expose("lastSyncedAt", {
      description: "When it was last sent to or updated in AvidXchange.",
      type: "DateTime",
      nullable: true,
    }),
    lines: t.loadableGroup({
      type: InvoiceLineRef,
      description: "The invoice's GL distribution, in line order.",
      load: (ids: string[], ctx) => invoiceLinesByInvoiceIds(ctx.db, ids),
      group: (line) => (line as InvoiceLineRow).invoiceId,
      resolve: (invoice) => invoice.id,
    }),
    raw: t.expose("raw", {
      type: "JSON",
      nullable: true,
      description: "The invoice exactly as SYSPRO returned it.",
    }),
    createdAt: t.expose("createdAt", {
      description: "When the gateway first recorded it.",
      type: "DateTime",
    }),
    updatedAt: t.expose("updatedAt", {
      description: "When the gateway last changed it.",
      type: "DateTime",
    }),
  }),
});

InvoiceLineRef.implement({
  description:
    "One GL distribution line of an invoice: the SYSPRO GL code and cost centre, the AvidXchange GL code and dimensions it maps to, and any re-coding an approver made.",
  fields: (t) => ({
    invoice: t.field({
      description: "The invoice the line belongs to.",
      type: InvoiceRef,
      resolve: (line) => line.invoiceId,
    }),
    lineNumber: t.exposeInt("lineNumber", { description: "The line's place in the distribution." }),
    sysproGlCode: t.exposeString("sysproGlCode", { description: "SYSPRO GL code of the line." }),
    costCentre: t.exposeString("costCentre", {
      nullable: true,
      description: "The cost-centre segment of the GL code.",
    }),
    description: t.exposeString("description", {
      description: "The line's text in SYSPRO.",
      nullable: true,
    }),
    amount: t.expose("amount", { description: "The line amount (before tax).", type: "Decimal" }),
    avidGlCode: t.exposeString("avidGlCode", {
      nullable: true,
      description: "The AvidXchange GL code the line was mapped to; empty if not mapped.",
    }),
    avidDimensions: t.field({
      type: [DimensionRef],
      description: "The AvidXchange dimensions the line was mapped to.",
      resolve: (line) => dimensionsOf(line.avidDimensions),
    }),
    recoded: t.boolean({
      description: "An approver changed the line's coding in AvidXchange.",
      resolve: (line) => line.recodedAt !== null,
    }),
    recodedGlCode: t.exposeString("recodedGlCode", {
      nullable: true,
      description: "The AvidXchange GL code an approver changed the line to.",
    }),
    recodedDimensions: t.field({
      type: [DimensionRef],
      description: "The dimensions an approver changed the line to.",
      resolve: (line) => dimensionsOf(line.recodedDimensions),
    }),
    recodedAt: t.expose("recodedAt", {
      description: "When the re-coding was seen.",
      type: "DateTime",
      nullable: true,
    }),
  }),
});

builder.objectField(PurchaseOrderRef, "invoices", (t) =>
  t.loadableList({
    type: InvoiceRef,
    description: "Invoices that quote this purchase order.",
    load: async (keys: string[], ctx) => {
      const pairs = keys.map((key) => key.split("\u0000") as [string, string]);
      const rows = await invoicesByPoNumbers(ctx.db, pairs);
      return keys.map((key) =>
        rows.filter(
          (invoice) => invoice.poNumber && poKey(invoice.connectionId, invoice.poNumber) === key,
        ),
      );
    },
    resolve: (po) => poKey(po.connectionId, po.poNumber),
  }),
);

const InvoiceOrderEnum = builder.enumType("InvoiceOrder", {
  description: "How to order invoices.",
  values: {
    INVOICE_DATE_DESC: { description: "Newest invoice date first (the default)." },
    INVOICE_DATE_ASC: { description: "Oldest invoice date first." },
    DUE_DATE_ASC: { description: "Soonest due first." },
    AMOUNT_DESC: { description: "Largest amount first." },
    UPDATED_DESC: { description: "Most recently changed first." },
  } as const,
});

const InvoiceFilterInput = builder.inputType("InvoiceFilter", {
  description: "Which invoices to list. Filters combine (all must match).",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only invoices of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    supplierIds: t.globalIDList({
      description: "Only invoices of these suppliers.",
      for: SupplierRef,
      required: false,
    }),
    syncStates: t.field({
      description: "Only invoices in these sync states.",
      type: [SyncStateEnum],
      required: false,
    }),
    approvalStates: t.stringList({
      required: false,
      description: 'AvidXchange approval states, e.g. ["Approved"].',
    }),
    invoiceDate: t.field({
      description: "Only invoices dated in this range.",
      type: DateRangeInput,
      required: false,
    }),
    dueDate: t.field({
      description: "Only invoices due in this range.",
      type: DateRangeInput,
      required: false,
    }),
    currencies: t.stringList({
      description: "Only invoices in these currencies.",
      required: false,
    }),
    openOnly: t.boolean({
      required: false,
      description: "Only invoices with an open balance in SYSPRO.",
    }),
    transactionId: t.string({
      description: "Only the invoice sent by this transaction.",
      required: false,
    }),
    search: t.string({
      required: false,
      description:
        "Part of the invoice number, supplier code or name, PO number, our external invoice id or the AvidXchange invoice id, any case.",
    }),
  }),
});

builder.queryFields((t) => ({
  invoices: t.connection(
    {
      type: InvoiceRef,
      description: "AP invoices mirrored by the gateway, with both systems' view of each.",
      args: {
        filter: t.arg({
          description: "Which invoices; all when left out.",
          type: InvoiceFilterInput,
          required: false,
        }),
        orderBy: t.arg({
          description: "The order (default newest invoice date first).",
          type: InvoiceOrderEnum,
          required: false,
          defaultValue: "INVOICE_DATE_DESC",
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          supplierIds: f?.supplierIds?.map((id) => id.id),
          syncStates: optList(f?.syncStates),
          approvalStates: optList(f?.approvalStates),
          invoiceDate: dateRangeOf(f?.invoiceDate),
          dueDate: dateRangeOf(f?.dueDate),
          currencies: optList(f?.currencies),
          openOnly: opt(f?.openOnly),
          transactionId: opt(f?.transactionId),
          search: opt(f?.search),
        };
        return keysetConnection(
          args,
          (page) => listInvoices(ctx.db, filter, args.orderBy ?? "INVOICE_DATE_DESC", page),
          () => countInvoices(ctx.db, filter),
        );
      },
    },
    {
      name: "InvoiceConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
}));
