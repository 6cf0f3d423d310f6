import { pairKey } from "../read-models/filters.js";
import {
  avidCodesByIds,
  countAvidCodes,
  countGlAccounts,
  glAccountsByCodes,
  glAccountsByIds,
  listAvidCodes,
  listGlAccounts,
} from "../read-models/gl.js";
import { sortByKeys } from "../server/loaders.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { opt, optList } from "./filters.js";
import { InvoiceLineRef } from "./invoice.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";

import type { AvidCodeRow, GlAccountRow } from "../read-models/gl.js";

export const GlAccountRef = builder.loadableNodeRef("GlAccount", {
  id: { resolve: (account: GlAccountRow) => account.id },
  load: (ids: string[], ctx) => glAccountsByIds(ctx.db, ids),
  sort: (account) => account.id,
});

GlAccountRef.implement({
  description: "A SYSPRO general-ledger account (GenMaster), as last loaded from SYSPRO.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection whose SYSPRO company has this account.",
      type: ConnectionRef,
      resolve: (account) => account.connectionId,
    }),
    glCode: t.exposeString("glCode", { description: "The SYSPRO GL code, e.g. 6100-210." }),
    description: t.exposeString("description", {
      description: "The account's description in SYSPRO.",
      nullable: true,
    }),
    accountType: t.exposeString("accountType", {
      nullable: true,
      description: "SYSPRO account type letter, e.g. E for expense.",
    }),
    active: t.exposeBoolean("active", {
      description: "False when the account is on hold in SYSPRO: nothing can be posted to it.",
    }),
    updatedAt: t.expose("updatedAt", {
      description: "When it was last loaded from SYSPRO.",
      type: "DateTime",
    }),
  }),
});

export const AvidCodeRef = builder.loadableNode("AvidCode", {
  description:
    "An AvidXchange enterprise code: a GL code (group Accounting Codes) or a dimension value (e.g. group Department), as last loaded from AvidXchange.",
  id: { resolve: (code: AvidCodeRow) => code.id },
  load: (ids: string[], ctx) => avidCodesByIds(ctx.db, ids),
  sort: (code) => code.id,
  fields: (t) => ({
    connection: t.field({
      description: "The connection whose AvidXchange company has this code.",
      type: ConnectionRef,
      resolve: (code) => code.connectionId,
    }),
    group: t.exposeString("groupName", {
      description: "The enterprise code group, e.g. Accounting Codes or Department.",
    }),
    code: t.exposeString("code", { description: "The code value, e.g. 6100 or OPS." }),
    name: t.exposeString("name", {
      description: "The code's name in AvidXchange.",
      nullable: true,
    }),
    avidId: t.exposeString("avidId", { nullable: true, description: "AvidXchange's own id." }),
    active: t.exposeBoolean("active", { description: "Inactive codes cannot be used on lines." }),
    updatedAt: t.expose("updatedAt", {
      description: "When it was last loaded from AvidXchange.",
      type: "DateTime",
    }),
  }),
});

builder.objectField(InvoiceLineRef, "glAccount", (t) =>
  t.loadable({
    type: GlAccountRef,
    nullable: true,
    description: "The line's SYSPRO GL account, if GenMaster has it.",
    load: async (keys: string[], ctx) => {
      const pairs = keys.map((key) => key.split("\u0000") as [string, string]);
      const rows = await glAccountsByCodes(ctx.db, pairs);
      return sortByKeys(keys, rows, (row) => pairKey(row.connectionId, row.glCode));
    },
    resolve: (line) => pairKey(line.connectionId, line.sysproGlCode.trim()),
  }),
);

const GlAccountFilterInput = builder.inputType("GlAccountFilter", {
  description: "Which GL accounts to list.",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only accounts of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    active: t.boolean({
      description: "true: only accounts that can take postings; false: only those on hold.",
      required: false,
    }),
    accountTypes: t.stringList({ required: false, description: "SYSPRO account type letters." }),
    search: t.string({ required: false, description: "Part of the GL code or description." }),
  }),
});

const AvidCodeFilterInput = builder.inputType("AvidCodeFilter", {
  description: "Which AvidXchange enterprise codes to list.",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only codes of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    groups: t.stringList({
      required: false,
      description: 'Enterprise code groups, e.g. ["Accounting Codes"].',
    }),
    active: t.boolean({
      description: "true: only active codes; false: only inactive ones.",
      required: false,
    }),
    search: t.string({ required: false, description: "Part of the code or its name." }),
  }),
});

builder.queryFields((t) => ({
  glAccounts: t.connection(
    {
      type: GlAccountRef,
      description: "SYSPRO GL accounts (GenMaster), by code.",
      args: {
        filter: t.arg({
          description: "Which accounts; all when left out.",
          type: GlAccountFilterInput,
          required: false,
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          active: opt(f?.active),
          accountTypes: optList(f?.accountTypes),
          search: opt(f?.search),
        };
        return keysetConnection(
          args,
          (page) => listGlAccounts(ctx.db, filter, page),
          () => countGlAccounts(ctx.db, filter),
        );
      },
    },
    {
      name: "GlAccountConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
  avidCodes: t.connection(
    {
      type: AvidCodeRef,
      description: "AvidXchange GL codes and dimension values, by group and code.",
      args: {
        filter: t.arg({
          description: "Which codes; all when left out.",
          type: AvidCodeFilterInput,
          required: false,
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          groups: optList(f?.groups),
          active: opt(f?.active),
          search: opt(f?.search),
        };
        return keysetConnection(
          args,
          (page) => listAvidCodes(ctx.db, filter, page),
          () => countAvidCodes(ctx.db, filter),
        );
      },
    },
    {
      name: "AvidCodeConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
}));
