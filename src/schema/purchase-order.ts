import { pairKey } from "../read-models/filters.js";
import {
  countPurchaseOrders,
  listPurchaseOrders,
  purchaseOrderLinesByIds,
  purchaseOrderLinesByOrderIds,
  purchaseOrdersByIds,
} from "../read-models/purchase-orders.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { SyncStateEnum } from "./enums.js";
import { DateRangeInput, dateRangeOf, opt, optList } from "./filters.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";
import { SupplierRef } from "./supplier.js";

import type { PurchaseOrderLineRow, PurchaseOrderRow } from "../read-models/purchase-orders.js";

export const PurchaseOrderLineRef = builder.loadableNode("PurchaseOrderLine", {
  description: "One line of a SYSPRO purchase order.",
  id: { resolve: (line: PurchaseOrderLineRow) => line.id },
  load: (ids: string[], ctx) => purchaseOrderLinesByIds(ctx.db, ids),
  sort: (line) => line.id,
  fields: (t) => ({
    lineNumber: t.exposeInt("lineNumber", { description: "The line's place on the order." }),
    stockCode: t.exposeString("stockCode", { nullable: true, description: "SYSPRO stock code." }),
    description: t.exposeString("description", { description: "The line's text.", nullable: true }),
    warehouse: t.exposeString("warehouse", { description: "SYSPRO warehouse.", nullable: true }),
    glCode: t.exposeString("glCode", {
      nullable: true,
      description: "SYSPRO GL code of the line.",
    }),
    quantity: t.expose("quantity", {
      description: "Quantity ordered.",
      type: "Decimal",
      nullable: true,
    }),
    unitPrice: t.expose("unitPrice", {
      description: "Price per unit.",
      type: "Decimal",
      nullable: true,
    }),
    amount: t.expose("amount", { description: "Line value.", type: "Decimal", nullable: true }),
  }),
});

export const PurchaseOrderRef = builder.loadableNode("PurchaseOrder", {
  description:
    "A SYSPRO purchase order and its AvidXchange counterpart, used by AvidXchange to match invoices.",
  id: { resolve: (po: PurchaseOrderRow) => po.id },
  load: (ids: string[], ctx) => purchaseOrdersByIds(ctx.db, ids),
  sort: (po) => po.id,
  fields: (t) => ({
    connection: t.field({
      description: "The connection it came through.",
      type: ConnectionRef,
      resolve: (po) => po.connectionId,
    }),
    supplier: t.field({
      type: SupplierRef,
      nullable: true,
      description: "The supplier, once it is mirrored.",
      resolve: (po) => po.supplierId,
    }),
    poNumber: t.exposeString("poNumber", { description: "SYSPRO purchase order number." }),
    sysproSupplierCode: t.exposeString("sysproSupplierCode", {
      description: "The SYSPRO supplier code on the order.",
    }),
    orderEntryDate: t.expose("orderEntryDate", {
      description: "When the order was entered in SYSPRO.",
      type: "Date",
      nullable: true,
    }),
    status: t.exposeString("status", {
      nullable: true,
      description: "SYSPRO order status code as SYSPRO writes it.",
    }),
    currency: t.exposeString("currency", { description: "The order's currency.", nullable: true }),
    totalAmount: t.expose("totalAmount", {
      description: "The order's value.",
      type: "Decimal",
      nullable: true,
    }),
    avidPurchaseOrderId: t.exposeString("avidPurchaseOrderId", {
      nullable: true,
      description: "The AvidXchange purchase order id; empty until sent.",
    }),
    syncState: t.expose("syncState", {
      description: "Where it stands in moving to AvidXchange.",
      type: SyncStateEnum,
    }),
    lastSyncedAt: t.expose("lastSyncedAt", {
      description: "When it was last sent to AvidXchange.",
      type: "DateTime",
      nullable: true,
    }),
    sysproChangedAt: t.expose("sysproChangedAt", {
      type: "DateTime",
      nullable: true,
      description: "When SYSPRO last changed it.",
    }),
    lines: t.loadableGroup({
      type: PurchaseOrderLineRef,
      description: "The order's lines, in line order.",
      load: (ids: string[], ctx) => purchaseOrderLinesByOrderIds(ctx.db, ids),
      group: (line) => (line as PurchaseOrderLineRow).purchaseOrderId,
      resolve: (po) => po.id,
    }),
    raw: t.expose("raw", {
      type: "JSON",
      nullable: true,
      description: "The order exactly as SYSPRO returned it.",
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

/** Key of the (connection, PO number) loaders. */
export const poKey = (connectionId: string, poNumber: string) => pairKey(connectionId, poNumber);

const PurchaseOrderOrderEnum = builder.enumType("PurchaseOrderOrder", {
  description: "How to order purchase orders.",
  values: {
    ORDER_DATE_DESC: { description: "Newest order entry date first (the default)." },
    PO_NUMBER_ASC: { description: "By PO number." },
  } as const,
});

const PurchaseOrderFilterInput = builder.inputType("PurchaseOrderFilter", {
  description: "Which purchase orders to list. Filters combine (all must match).",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only orders of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    supplierIds: t.globalIDList({
      description: "Only orders of these suppliers.",
      for: SupplierRef,
      required: false,
    }),
    syncStates: t.field({
      description: "Only orders in these sync states.",
      type: [SyncStateEnum],
      required: false,
    }),
    statuses: t.stringList({ required: false, description: "SYSPRO order status codes." }),
    orderEntryDate: t.field({
      description: "Only orders entered in this range.",
      type: DateRangeInput,
      required: false,
    }),
    search: t.string({
      required: false,
      description: "Part of the PO number or supplier code, any case.",
    }),
  }),
});

builder.queryFields((t) => ({
  purchaseOrders: t.connection(
    {
      type: PurchaseOrderRef,
      description: "SYSPRO purchase orders mirrored by the gateway.",
      args: {
        filter: t.arg({
          description: "Which orders; all when left out.",
          type: PurchaseOrderFilterInput,
          required: false,
        }),
        orderBy: t.arg({
          description: "The order (default newest first).",
          type: PurchaseOrderOrderEnum,
          required: false,
          defaultValue: "ORDER_DATE_DESC",
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          supplierIds: f?.supplierIds?.map((id) => id.id),
          syncStates: optList(f?.syncStates),
          statuses: optList(f?.statuses),
          orderEntryDate: dateRangeOf(f?.orderEntryDate),
          search: opt(f?.search),
        };
        return keysetConnection(
          args,
          (page) => listPurchaseOrders(ctx.db, filter, args.orderBy ?? "ORDER_DATE_DESC", page),
          () => countPurchaseOrders(ctx.db, filter),
        );
      },
    },
    {
      name: "PurchaseOrderConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
}));
