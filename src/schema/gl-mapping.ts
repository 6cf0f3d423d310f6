import { encodeGlobalID } from "@pothos/plugin-relay";
import { z } from "zod";

import { NotFoundError, ValidationError } from "../errors.js";
import { connectionsByIds } from "../read-models/connections.js";
import { pairKey } from "../read-models/filters.js";
import {
  countGlMappings,
  exactGlMappingsByCodes,
  glMappingsByIds,
  listGlMappings,
} from "../read-models/gl.js";
import { mappingReadiness } from "../read-models/mapping-readiness.js";
import { sortByKeys } from "../server/loaders.js";
import {
  deleteGlMapping,
  importGlMappings,
  upsertGlMapping,
} from "../sync/commands/gl-mappings.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { GlMappingKindEnum } from "./enums.js";
import { opt, optList } from "./filters.js";
import { GlAccountRef } from "./gl-account.js";
import { DimensionRef, dimensionsOf } from "./invoice.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";

import type { ValidationIssue } from "../errors.js";
import type { GlMappingRow } from "../read-models/gl.js";
import type { GlMappingSpec } from "../sync/commands/gl-mappings.js";
import type { ReadinessReport } from "../sync/mapping/readiness.js";

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
    connection: t.field({ type: ConnectionRef, resolve: (mapping) => mapping.connectionId }),
    kind: t.expose("kind", { type: GlMappingKindEnum }),
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
    note: t.exposeString("note", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
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

// ── Readiness ──────────────────────────────────────────────────────────────────────────────────

const MappingProblemReasonEnum = builder.enumType("MappingProblemReason", {
  description: "Why a GL code does not map, or a mapping cannot be used.",
  values: {
    UNMAPPED_GL: { description: "No exact mapping, and no segment rule gives it a GL code." },
    UNKNOWN_TARGET: { description: "The AvidXchange GL code it maps to does not exist." },
    INACTIVE_TARGET: { description: "The AvidXchange code it maps to is inactive." },
    UNKNOWN_DIMENSION: { description: "A dimension or dimension value does not exist." },
    MAPPING_CONFLICT: { description: "Several mappings or rules claim the same target." },
  } as const,
});

type Report = ReadinessReport & { readonly checkedAt: Date; readonly connectionId: string };
type Unmapped = Report["unmapped"][number];
type Problem = Unmapped["problems"][number];
type Invalid = Report["invalidMappings"][number];
type Warning = Report["warnings"][number];

const MappingProblemRef = builder.objectRef<Problem>("MappingProblem").implement({
  description: "One reason a GL code does not map.",
  fields: (t) => ({
    reason: t.expose("reason", { type: MappingProblemReasonEnum }),
    detail: t.exposeString("detail", { description: "What exactly is wrong." }),
    mappings: t.field({
      type: [GlMappingRef],
      description: "The mappings involved.",
      resolve: (problem) => [...problem.mappingIds],
    }),
  }),
});

const UnmappedGlCodeRef = builder.objectRef<Unmapped>("UnmappedGlCode").implement({
  description: "A SYSPRO GL code in use that does not reach a valid AvidXchange coding.",
  fields: (t) => ({
    glCode: t.exposeString("glCode"),
    reason: t.expose("reason", { type: MappingProblemReasonEnum }),
    problems: t.field({ type: [MappingProblemRef], resolve: (u) => [...u.problems] }),
  }),
});

const InvalidMappingRef = builder.objectRef<Invalid>("InvalidMapping").implement({
  description: "A mapping that points at a code AvidXchange does not have, or has switched off.",
  fields: (t) => ({
    mapping: t.field({ type: GlMappingRef, nullable: true, resolve: (m) => m.mappingId }),
    reason: t.expose("reason", { type: MappingProblemReasonEnum }),
    detail: t.exposeString("detail"),
  }),
});

const ReadinessWarningRef = builder.objectRef<Warning>("ReadinessWarning").implement({
  description: "A finding on the SYSPRO side that does not block invoices (e.g. a code on hold).",
  fields: (t) => ({
    glCode: t.exposeString("glCode"),
    detail: t.exposeString("detail"),
  }),
});

const MappingReadinessRef = builder.objectRef<Report>("MappingReadiness").implement({
  description:
    "Can every SYSPRO GL code in use reach a valid AvidXchange GL code and dimensions? Checked now, from the GL accounts, AvidXchange codes and mappings as last loaded. Invoice sync waits for a ready connection unless forced.",
  fields: (t) => ({
    connection: t.field({ type: ConnectionRef, resolve: (r) => r.connectionId }),
    ready: t.exposeBoolean("ready", {
      description: "Every GL code in use maps to a valid coding.",
    }),
    checkedAt: t.expose("checkedAt", { type: "DateTime" }),
    glCodesInUse: t.int({ resolve: (r) => r.counts.glCodesInUse }),
    mappedCount: t.int({ resolve: (r) => r.counts.mapped }),
    unmappedCount: t.int({ resolve: (r) => r.counts.unmapped }),
    mappingCount: t.int({
      description: "Mappings and rules in all.",
      resolve: (r) => r.counts.mappings,
    }),
    invalidMappingCount: t.int({ resolve: (r) => r.counts.invalidMappings }),
    unmapped: t.field({
      type: [UnmappedGlCodeRef],
      description: "Every GL code in use without a valid target, with the reasons.",
      resolve: (r) => [...r.unmapped],
    }),
    invalidMappings: t.field({
      type: [InvalidMappingRef],
      description: "Every mapping that points at an unknown or inactive code.",
      resolve: (r) => [...r.invalidMappings],
    }),
    warnings: t.field({ type: [ReadinessWarningRef], resolve: (r) => [...r.warnings] }),
  }),
});

// ── Queries ────────────────────────────────────────────────────────────────────────────────────

const GlMappingFilterInput = builder.inputType("GlMappingFilter", {
  description: "Which GL mappings to list.",
  fields: (t) => ({
    connectionIds: t.globalIDList({ for: ConnectionRef, required: false }),
    kinds: t.field({ type: [GlMappingKindEnum], required: false }),
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
      args: { filter: t.arg({ type: GlMappingFilterInput, required: false }) },
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
  mappingReadiness: t.field({
    type: MappingReadinessRef,
    nullable: true,
    description:
      "Check a connection's GL mapping now: every GL code in use without a valid target, and every mapping pointing at an unknown or inactive code. Null for an unknown connection.",
    args: {
      connectionId: t.arg.globalID({ for: ConnectionRef, required: true }),
      accountTypes: t.arg.stringList({
        required: false,
        description:
          'Also count SYSPRO GL accounts of these types (e.g. ["E"]) as in use, before any invoice uses them.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const [connection] = await connectionsByIds(ctx.db, [args.connectionId.id]);
      if (!connection) {
        return null;
      }
      const report = await mappingReadiness(ctx.db, connection.id, {
        accountTypes: optList(args.accountTypes),
      });
      return { ...report, connectionId: connection.id };
    },
  }),
}));

// ── Mutations (admin) ──────────────────────────────────────────────────────────────────────────

const code = z.string().trim().min(1, "Required.").max(100, "Use at most 100 characters.");

const DimensionInput = builder.inputType("DimensionInput", {
  description: "An AvidXchange dimension value, e.g. Department = 210.",
  fields: (t) => ({
    group: t.string({ required: true, validate: code }),
    value: t.string({ required: true, validate: code }),
  }),
});

const SegmentValueInput = builder.inputType("SegmentValueInput", {
  description: "One entry of a segment rule's value table.",
  fields: (t) => ({
    from: t.string({ required: true, validate: code }),
    to: t.string({ required: true, validate: code }),
  }),
});

const GlMappingInput = builder.inputType("GlMappingInput", {
  description:
    "A GL mapping. EXACT needs sysproGlCode and avidGlCode (and optional dimensions); SEGMENT needs segment, and dimensionGroup unless the segment gives the GL code.",
  fields: (t) => ({
    kind: t.field({ type: GlMappingKindEnum, required: true }),
    sysproGlCode: t.string({ required: false, validate: code.nullish() }),
    avidGlCode: t.string({ required: false, validate: code.nullish() }),
    dimensions: t.field({ type: [DimensionInput], required: false }),
    segment: t.int({
      required: false,
      validate: z.number().int().min(1, "Segments count from 1.").max(20).nullish(),
    }),
    separator: t.string({
      required: false,
      validate: z.string().min(1).max(5).nullish(),
      description: "Default -.",
    }),
    dimensionGroup: t.string({
      required: false,
      validate: code.nullish(),
      description: "Leave out for a rule that gives the AvidXchange GL code.",
    }),
    values: t.field({ type: [SegmentValueInput], required: false }),
    required: t.boolean({ required: false, description: "Default true." }),
    note: t.string({ required: false, validate: z.string().max(500).nullish() }),
  }),
});

type GlMappingInputShape = typeof GlMappingInput.$inferInput;

/** The input as a mapping, or every problem with it (paths under `path`). */
function specOf(
  input: GlMappingInputShape,
  path: readonly string[],
): GlMappingSpec | ValidationIssue[] {
  const note = input.note ?? null;
  if (input.kind === "exact") {
    const issues: ValidationIssue[] = [];
    if (!input.sysproGlCode) {
      issues.push({
        path: [...path, "sysproGlCode"],
        message: "An EXACT mapping needs the SYSPRO GL code.",
      });
    }
    if (!input.avidGlCode) {
      issues.push({
        path: [...path, "avidGlCode"],
        message: "An EXACT mapping needs the AvidXchange GL code.",
      });
    }
    if (issues.length > 0 || !input.sysproGlCode || !input.avidGlCode) {
      return issues;
    }
    return {
      kind: "exact",
      sysproGlCode: input.sysproGlCode,
      avidGlCode: input.avidGlCode,
      dimensions: (input.dimensions ?? []).map((d) => ({ group: d.group, value: d.value })),
      note,
    };
  }
  if (input.segment == null) {
    return [{ path: [...path, "segment"], message: "A SEGMENT rule needs the segment number." }];
  }
  return {
    kind: "segment",
    segment: input.segment,
    separator: input.separator ?? "-",
    target: input.dimensionGroup
      ? { kind: "dimension", group: input.dimensionGroup }
      : { kind: "glAccount" },
    ...(input.values
      ? { values: Object.fromEntries(input.values.map((v) => [v.from.trim(), v.to.trim()])) }
      : {}),
    required: input.required ?? true,
    note,
  };
}

const UpsertGlMappingInput = builder.inputType("UpsertGlMappingInput", {
  description:
    "A mapping to create or change. Without `id`, the connection's mapping for the same SYSPRO GL code (EXACT) or the same target (SEGMENT) is replaced, or a new one created.",
  fields: (t) => ({
    connectionId: t.globalID({ for: ConnectionRef, required: true }),
    id: t.globalID({ for: GlMappingRef, required: false }),
    mapping: t.field({ type: GlMappingInput, required: true }),
  }),
});

const ImportGlMappingsInput = builder.inputType("ImportGlMappingsInput", {
  description: "Many mappings at once, all or nothing.",
  fields: (t) => ({
    connectionId: t.globalID({ for: ConnectionRef, required: true }),
    mappings: t.field({ type: [GlMappingInput], required: true }),
    replaceAll: t.boolean({
      required: false,
      defaultValue: false,
      description: "Also delete the connection's mappings that are not in this import.",
    }),
  }),
});

const ImportGlMappingsPayload = builder
  .objectRef<{
    created: number;
    updated: number;
    deleted: number;
    mappings: readonly GlMappingRow[];
  }>("ImportGlMappingsPayload")
  .implement({
    description: "What an import changed.",
    fields: (t) => ({
      created: t.exposeInt("created"),
      updated: t.exposeInt("updated"),
      deleted: t.exposeInt("deleted", { description: "Removed because of replaceAll." }),
      mappings: t.field({
        type: [GlMappingRef],
        description: "The imported mappings, in input order.",
        resolve: (payload) => [...payload.mappings],
      }),
    }),
  });

const DeleteGlMappingPayload = builder
  .objectRef<{ id: string; connectionId: string }>("DeleteGlMappingPayload")
  .implement({
    description: "The mapping that was deleted.",
    fields: (t) => ({
      deletedId: t.id({
        description: "The deleted mapping's id.",
        resolve: (payload) => encodeGlobalID("GlMapping", payload.id),
      }),
      connection: t.field({ type: ConnectionRef, resolve: (payload) => payload.connectionId }),
    }),
  });

builder.mutationFields((t) => ({
  upsertGlMapping: t.field({
    type: GlMappingRef,
    description: "Create or change one GL mapping. Admin only.",
    authScopes: { admin: true },
    errors: { types: [NotFoundError] },
    args: { input: t.arg({ type: UpsertGlMappingInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const spec = specOf(input.mapping, ["input", "mapping"]);
      if (Array.isArray(spec)) {
        throw new ValidationError(spec);
      }
      const { mapping } = await upsertGlMapping(
        ctx.db,
        { connectionId: input.connectionId.id, id: input.id?.id, mapping: spec },
        ctx.principal.name,
      );
      return mapping;
    },
  }),
  deleteGlMapping: t.field({
    type: DeleteGlMappingPayload,
    description: "Delete one GL mapping. Admin only.",
    authScopes: { admin: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.globalID({ for: GlMappingRef, required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const row = await deleteGlMapping(ctx.db, id.id, ctx.principal.name);
      return { id: row.id, connectionId: row.connectionId };
    },
  }),
  importGlMappings: t.field({
    type: ImportGlMappingsPayload,
    description:
      "Import many GL mappings at once (e.g. from a spreadsheet), all or nothing: every row is checked first and each problem names its row. Admin only.",
    authScopes: { admin: true },
    errors: { types: [NotFoundError] },
    args: { input: t.arg({ type: ImportGlMappingsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const specs: GlMappingSpec[] = [];
      const issues: ValidationIssue[] = [];
      input.mappings.forEach((mapping, index) => {
        const spec = specOf(mapping, ["input", "mappings", String(index)]);
        if (Array.isArray(spec)) {
          issues.push(...spec);
        } else {
          specs.push(spec);
        }
      });
      if (issues.length > 0) {
        throw new ValidationError(issues);
      }
      return importGlMappings(
        ctx.db,
        {
          connectionId: input.connectionId.id,
          mappings: specs,
          replaceAll: input.replaceAll ?? false,
        },
        ctx.principal.name,
      );
    },
  }),
}));
