import { pairKey } from "../read-models/filters.js";
import {
  countGlMappings,
  exactGlMappingsByCodes,
  glMappingsByIds,
  listGlMappings,
} from "../read-models/gl.js";
import { sortByKeys } from "../server/loaders.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { GlMappingKindEnum } from "./enums.js";
import { opt, optList } from "./filters.js";
import { GlAccountRef } from "./gl-account.js";
import { DimensionRef, dimensionsOf } from "./invoice.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";

import type { GlMappingRow } from "../read-models/gl.js";

export const GlMappingRef = builder.loadableNodeRef("GlMapping", {
  id: { resolve: (mapping: GlMappingRow) => mapping.id },
  load: (ids: string[], ctx) => glMappingsByIds(ctx.db, ids),
  sort: (mapping) => mapping.id,
});

const SegmentValueRef = builder.objectRef<{ from: string; to: string }>("SegmentValue").implement({
  description: "One entry of a segment rule's value table.",
  fields: (t) => ({
    from: t.exposeString("from", { description: "The SYSPRO segment value, e.g. 210." }),
    to: t.exposeString("to", { description: "The AvidXchange code it becomes, e.g. OPS." }),
  }),
});

GlMappingRef.implement({
  description:
    "How SYSPRO GL codes become AvidXchange GL codes and dimensions. An EXACT mapping turns one SYSPRO GL code into an AvidXchange GL code plus dimensions; a SEGMENT rule takes one segment of any GL code (e.g. the cost centre of 6100-210) to the AvidXchange GL code or to one dimension. Exact mappings win over segment rules; nothing is ever guessed.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection the mapping belongs to.",
      type: ConnectionRef,
      resolve: (mapping) => mapping.connectionId,
    }),
    kind: t.expose("kind", {
      description: "EXACT (one SYSPRO GL code) or SEGMENT (one segment of every GL code).",
      type: GlMappingKindEnum,
    }),
    sysproGlCode: t.exposeString("sysproGlCode", {
      nullable: true,
      description: "EXACT: the SYSPRO GL code mapped.",
    }),
    avidGlCode: t.exposeString("avidGlCode", {
      nullable: true,
      description: "EXACT: the AvidXchange GL code it becomes.",
    }),
    dimensions: t.field({
      type: [DimensionRef],
      description: "EXACT: the AvidXchange dimensions set on the line.",
      resolve: (mapping) => dimensionsOf(mapping.dimensions),
    }),
    segment: t.int({
      nullable: true,
      description: "SEGMENT: which segment of the GL code, counting from 1 (6100-210: 1 is 6100).",
      resolve: (mapping) => (mapping.segmentIndex === null ? null : mapping.segmentIndex + 1),
    }),
    separator: t.string({
      nullable: true,
      description: "SEGMENT: what separates the segments, e.g. -.",
      resolve: (mapping) => (mapping.kind === "segment" ? mapping.segmentSeparator : null),
    }),
    dimensionGroup: t.exposeString("dimensionGroup", {
      nullable: true,
      description:
        "SEGMENT: the AvidXchange dimension the segment sets, e.g. Department; empty when the segment gives the GL code.",
    }),
    values: t.field({
      type: [SegmentValueRef],
      nullable: true,
      description:
        "SEGMENT: value table from SYSPRO segment values to AvidXchange codes; empty means the segment value is used as it is. A value missing from the table is unmapped.",
      resolve: (mapping) =>
        mapping.segmentValues
          ? Object.entries(mapping.segmentValues)
              .map(([from, to]) => ({ from, to }))
              .sort((a, b) => a.from.localeCompare(b.from))
          : null,
    }),
    required: t.boolean({
      nullable: true,
      description:
        "SEGMENT: a GL code without this segment is unmapped (true) or simply not touched by the rule (false).",
      resolve: (mapping) => (mapping.kind === "segment" ? mapping.segmentRequired : null),
    }),
    note: t.exposeString("note", {
      description: "Why the mapping is as it is, for the next person.",
      nullable: true,
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

builder.objectField(GlAccountRef, "mapping", (t) =>
  t.loadable({
    type: GlMappingRef,
    nullable: true,
    description: "The exact mapping for this GL code, if there is one.",
    load: async (keys: string[], ctx) => {
      const pairs = keys.map((key) => key.split("\u0000") as [string, string]);
      const rows = await exactGlMappingsByCodes(ctx.db, pairs);
      return sortByKeys(keys, rows, (row) => pairKey(row.connectionId, row.sysproGlCode ?? ""));
    },
    resolve: (account) => pairKey(account.connectionId, account.glCode),
  }),
);

// ── Queries ────────────────────────────────────────────────────────────────────────────────────

const GlMappingFilterInput = builder.inputType("GlMappingFilter", {
  description: "Which GL mappings to list.",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only mappings of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    kinds: t.field({
      description: "Only these kinds.",
      type: [GlMappingKindEnum],
      required: false,
    }),
    search: t.string({
      required: false,
      description: "Part of the SYSPRO or AvidXchange GL code, dimension or note.",
    }),
  }),
});

builder.queryFields((t) => ({
  glMappings: t.connection(
    {
      type: GlMappingRef,
      description: "GL mappings: exact mappings by SYSPRO GL code, then segment rules.",
      args: {
        filter: t.arg({
          description: "Which mappings; all when left out.",
          type: GlMappingFilterInput,
          required: false,
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          kinds: optList(f?.kinds),
          search: opt(f?.search),
        };
        return keysetConnection(
          args,
          (page) => listGlMappings(ctx.db, filter, page),
          () => countGlMappings(ctx.db, filter),
        );
      },
    },
    {
      name: "GlMappingConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
}));
