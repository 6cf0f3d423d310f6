/**
 * `mappingReadiness`: can every SYSPRO GL code in use reach a valid AvidXchange coding? Checked
 * live by the pure readiness module (src/sync/mapping/readiness.ts) over the mirrored data.
 */

import { connectionsByIds } from "../read-models/connections.js";
import { mappingReadiness } from "../read-models/mapping-readiness.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { optList } from "./filters.js";
import { GlMappingRef } from "./gl-mapping.js";

import type { ReadinessReport } from "../sync/mapping/readiness.js";

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
    reason: t.expose("reason", {
      description: "What kind of problem.",
      type: MappingProblemReasonEnum,
    }),
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
    glCode: t.exposeString("glCode", { description: "The SYSPRO GL code." }),
    reason: t.expose("reason", {
      description: "The first reason it does not map.",
      type: MappingProblemReasonEnum,
    }),
    problems: t.field({
      description: "Every reason, with the mappings involved.",
      type: [MappingProblemRef],
      resolve: (u) => [...u.problems],
    }),
  }),
});

const InvalidMappingRef = builder.objectRef<Invalid>("InvalidMapping").implement({
  description: "A mapping that points at a code AvidXchange does not have, or has switched off.",
  fields: (t) => ({
    mapping: t.field({
      description: "The mapping.",
      type: GlMappingRef,
      nullable: true,
      resolve: (m) => m.mappingId,
    }),
    reason: t.expose("reason", { description: "What is wrong.", type: MappingProblemReasonEnum }),
    detail: t.exposeString("detail", { description: "Exactly what is wrong, in plain words." }),
  }),
});

const ReadinessWarningRef = builder.objectRef<Warning>("ReadinessWarning").implement({
  description: "A finding on the SYSPRO side that does not block invoices (e.g. a code on hold).",
  fields: (t) => ({
    glCode: t.exposeString("glCode", { description: "The SYSPRO GL code." }),
    detail: t.exposeString("detail", { description: "What was found." }),
  }),
});

const MappingReadinessRef = builder.objectRef<Report>("MappingReadiness").implement({
  description:
    "Can every SYSPRO GL code in use reach a valid AvidXchange GL code and dimensions? Checked now, from the GL accounts, AvidXchange codes and mappings as last loaded. Invoice sync waits for a ready connection unless forced.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection checked.",
      type: ConnectionRef,
      resolve: (r) => r.connectionId,
    }),
    ready: t.exposeBoolean("ready", {
      description: "Every GL code in use maps to a valid coding.",
    }),
    checkedAt: t.expose("checkedAt", { description: "When this check ran.", type: "DateTime" }),
    glCodesInUse: t.int({
      description: "SYSPRO GL codes in use (on invoice lines, and accounts of the given types).",
      resolve: (r) => r.counts.glCodesInUse,
    }),
    mappedCount: t.int({
      description: "GL codes in use that map to a valid coding.",
      resolve: (r) => r.counts.mapped,
    }),
    unmappedCount: t.int({
      description: "GL codes in use that do not.",
      resolve: (r) => r.counts.unmapped,
    }),
    mappingCount: t.int({
      description: "Mappings and rules in all.",
      resolve: (r) => r.counts.mappings,
    }),
    invalidMappingCount: t.int({
      description: "Mappings pointing at unknown or inactive codes.",
      resolve: (r) => r.counts.invalidMappings,
    }),
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
    warnings: t.field({
      description: "SYSPRO-side findings that do not hold invoices back.",
      type: [ReadinessWarningRef],
      resolve: (r) => [...r.warnings],
    }),
  }),
});

builder.queryFields((t) => ({
  mappingReadiness: t.field({
    type: MappingReadinessRef,
    nullable: true,
    description:
      "Check a connection's GL mapping now: every GL code in use without a valid target, and every mapping pointing at an unknown or inactive code. Null for an unknown connection.",
    args: {
      connectionId: t.arg.globalID({
        description: "The connection to check.",
        for: ConnectionRef,
        required: true,
      }),
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
