/**
 * Editing GL mappings (admin): one at a time (`upsertGlMapping`, `deleteGlMapping`) or many at
 * once (`importGlMappings`, all or nothing, every problem named by its row).
 */
import { encodeGlobalID } from "@pothos/plugin-relay";
import { z } from "zod";

import { NotFoundError, ValidationError } from "../errors.js";
import {
  checkImport,
  deleteGlMapping,
  importGlMappings,
  upsertGlMapping,
} from "../sync/commands/gl-mappings.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { GlMappingKindEnum } from "./enums.js";
import { GlMappingRef } from "./gl-mapping.js";
import { outcome } from "./results.js";

import type { ValidationIssue } from "../errors.js";
import type { GlMappingRow } from "../read-models/gl.js";
import type { GlMappingSpec } from "../sync/commands/gl-mappings.js";

const code = z.string().trim().min(1, "Required.").max(100, "Use at most 100 characters.");

const DimensionInput = builder.inputType("DimensionInput", {
  description: "An AvidXchange dimension value, e.g. Department = 210.",
  fields: (t) => ({
    group: t.string({
      description: "The dimension, e.g. Department.",
      required: true,
      validate: code,
    }),
    value: t.string({ description: "Its code, e.g. 210.", required: true, validate: code }),
  }),
});

const SegmentValueInput = builder.inputType("SegmentValueInput", {
  description: "One entry of a segment rule's value table.",
  fields: (t) => ({
    from: t.string({
      description: "The SYSPRO segment value, e.g. 210.",
      required: true,
      validate: code,
    }),
    to: t.string({
      description: "The AvidXchange code it becomes, e.g. OPS.",
      required: true,
      validate: code,
    }),
  }),
});

const GlMappingInput = builder.inputType("GlMappingInput", {
  description:
    "A GL mapping. EXACT needs sysproGlCode and avidGlCode (and optional dimensions); SEGMENT needs segment, and dimensionGroup unless the segment gives the GL code.",
  fields: (t) => ({
    kind: t.field({ description: "EXACT or SEGMENT.", type: GlMappingKindEnum, required: true }),
    sysproGlCode: t.string({
      description: "EXACT: the SYSPRO GL code, e.g. 6100-210.",
      required: false,
      validate: code.nullish(),
    }),
    avidGlCode: t.string({
      description: "EXACT: the AvidXchange GL code it becomes.",
      required: false,
      validate: code.nullish(),
    }),
    dimensions: t.field({
      description: "EXACT: AvidXchange dimensions to set on the line.",
      type: [DimensionInput],
      required: false,
    }),
    segment: t.int({
      description: "SEGMENT: which segment, counting from 1.",
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
    values: t.field({
      description: "SEGMENT: a value table; without it the segment value is used as it is.",
      type: [SegmentValueInput],
      required: false,
    }),
    required: t.boolean({ required: false, description: "Default true." }),
    note: t.string({
      description: "Why, for the next person.",
      required: false,
      validate: z.string().max(500).nullish(),
    }),
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
    connectionId: t.globalID({
      description: "The connection the mapping belongs to.",
      for: ConnectionRef,
      required: true,
    }),
    id: t.globalID({
      description: "The mapping to change; leave out to match by GL code or target.",
      for: GlMappingRef,
      required: false,
    }),
    mapping: t.field({ description: "The mapping.", type: GlMappingInput, required: true }),
  }),
});

const ImportGlMappingsInput = builder.inputType("ImportGlMappingsInput", {
  description: "Many mappings at once, all or nothing.",
  fields: (t) => ({
    connectionId: t.globalID({
      description: "The connection to import into.",
      for: ConnectionRef,
      required: true,
    }),
    mappings: t.field({
      description: "The mappings, e.g. one per spreadsheet row.",
      type: [GlMappingInput],
      required: true,
    }),
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
      created: t.exposeInt("created", { description: "Mappings created." }),
      updated: t.exposeInt("updated", { description: "Existing mappings replaced." }),
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
      connection: t.field({
        description: "The connection it belonged to.",
        type: ConnectionRef,
        resolve: (payload) => payload.connectionId,
      }),
    }),
  });

builder.mutationFields((t) => ({
  upsertGlMapping: t.field({
    type: GlMappingRef,
    description: "Create or change one GL mapping. Admin only.",
    authScopes: { admin: true },
    errors: outcome("saving the GL mapping", [NotFoundError]),
    args: {
      input: t.arg({
        description: "The connection and the mapping.",
        type: UpsertGlMappingInput,
        required: true,
      }),
    },
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
    errors: outcome("deleting the GL mapping", [NotFoundError]),
    args: {
      id: t.arg.globalID({
        description: "The mapping to delete.",
        for: GlMappingRef,
        required: true,
      }),
    },
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
    errors: outcome("importing the GL mappings", [NotFoundError]),
    args: {
      input: t.arg({
        description: "The connection and its mappings.",
        type: ImportGlMappingsInput,
        required: true,
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const specs: GlMappingSpec[] = [];
      const issues: ValidationIssue[] = [];
      const rows: { index: number; spec: GlMappingSpec }[] = [];
      input.mappings.forEach((mapping, index) => {
        const spec = specOf(mapping, ["input", "mappings", String(index)]);
        if (Array.isArray(spec)) {
          issues.push(...spec);
        } else {
          specs.push(spec);
          rows.push({ index, spec });
        }
      });
      // Every problem at once: the incomplete rows and the conflicts among the others.
      issues.push(...checkImport(rows));
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
