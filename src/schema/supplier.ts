import { pairKey } from "../read-models/filters.js";
import {
  countSuppliers,
  listSuppliers,
  suppliersByCodes,
  suppliersByIds,
} from "../read-models/suppliers.js";
import { defineLoader, sortByKeys } from "../server/loaders.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { SyncStateEnum } from "./enums.js";
import { opt, optList } from "./filters.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";

import type { SupplierRow } from "../read-models/suppliers.js";
import type { Context } from "../server/context.js";

/** Suppliers by `pairKey(connectionId, sysproCode)`, for records that name theirs only by code. */
export const supplierByCode = defineLoader<string, SupplierRow | null, string, Context>({
  name: "supplierByCode",
  batch: async (keys, ctx) => {
    const pairs = keys.map((key) => key.split("\u0000") as [string, string]);
    const rows = await suppliersByCodes(ctx.db, pairs);
    return sortByKeys(keys, rows, (supplier) =>
      pairKey(supplier.connectionId, supplier.sysproCode),
    );
  },
});

export const SupplierRef = builder.loadableNode("Supplier", {
  description:
    "A SYSPRO supplier and the AvidXchange vendor it became: both keys side by side, with where it stands in the sync.",
  id: { resolve: (supplier: SupplierRow) => supplier.id },
  load: (ids: string[], ctx) => suppliersByIds(ctx.db, ids),
  sort: (supplier) => supplier.id,
  fields: (t) => ({
    connection: t.field({
      type: ConnectionRef,
      description: "The connection this supplier belongs to.",
      resolve: (supplier) => supplier.connectionId,
    }),
    sysproCode: t.exposeString("sysproCode", {
      description: "SYSPRO supplier code; also the AvidXchange vendor's external vendor code.",
    }),
    name: t.exposeString("name", { description: "Supplier name as SYSPRO has it." }),
    currency: t.exposeString("currency", {
      nullable: true,
      description: "The supplier's currency in SYSPRO.",
    }),
    terms: t.exposeString("terms", {
      nullable: true,
      description: "SYSPRO payment terms code.",
    }),
    avidVendorId: t.exposeString("avidVendorId", {
      nullable: true,
      description: "The AvidXchange vendor id; empty until the vendor is created.",
    }),
    syncState: t.expose("syncState", {
      description: "Where it stands in moving to AvidXchange.",
      type: SyncStateEnum,
    }),
    inSync: t.boolean({
      description:
        "AvidXchange has the supplier as SYSPRO has it now (what we last sent matches SYSPRO's current data).",
      resolve: (supplier) =>
        supplier.avidVendorId !== null &&
        supplier.contentHash !== null &&
        supplier.contentHash === supplier.lastSentHash,
    }),
    lastSyncedAt: t.expose("lastSyncedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the vendor was last created or updated in AvidXchange.",
    }),
    raw: t.expose("raw", {
      type: "JSON",
      nullable: true,
      description: "The supplier record exactly as SYSPRO returned it.",
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

const SupplierOrderEnum = builder.enumType("SupplierOrder", {
  description: "How to order suppliers.",
  values: {
    CODE_ASC: { description: "By SYSPRO supplier code (the default)." },
    NAME_ASC: { description: "By name." },
    UPDATED_DESC: { description: "Most recently changed first." },
  } as const,
});

export const SupplierFilterInput = builder.inputType("SupplierFilter", {
  description: "Which suppliers to list. Filters combine (all must match).",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only suppliers of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    syncStates: t.field({
      description: "Only suppliers in these sync states.",
      type: [SyncStateEnum],
      required: false,
    }),
    hasAvidVendor: t.boolean({
      required: false,
      description:
        "true: only suppliers that have an AvidXchange vendor; false: only those without.",
    }),
    search: t.string({
      required: false,
      description: "Part of the supplier code, name or AvidXchange vendor id, any case.",
    }),
  }),
});

builder.queryFields((t) => ({
  suppliers: t.connection(
    {
      type: SupplierRef,
      description: "Suppliers of every connection, or of those filtered on.",
      args: {
        filter: t.arg({
          description: "Which suppliers; all when left out.",
          type: SupplierFilterInput,
          required: false,
        }),
        orderBy: t.arg({
          description: "The order (default by SYSPRO code).",
          type: SupplierOrderEnum,
          required: false,
          defaultValue: "CODE_ASC",
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          syncStates: optList(f?.syncStates),
          hasAvidVendor: opt(f?.hasAvidVendor),
          search: opt(f?.search),
        };
        return keysetConnection(
          args,
          (page) => listSuppliers(ctx.db, filter, args.orderBy ?? "CODE_ASC", page),
          () => countSuppliers(ctx.db, filter),
        );
      },
    },
    {
      name: "SupplierConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
}));
