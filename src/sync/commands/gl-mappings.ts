import { and, eq, isNull } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { connections, glMappings } from "../../db/schema/index.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import { recordAuditEvent } from "../../events/audit.js";
import { isUuid } from "../../read-models/ids.js";
import { validateGlMapping } from "../mapping/resolve.js";

import type { Executor, Tx } from "../../db/client.js";
import type { ValidationIssue } from "../../errors.js";
import type { ExactGlMapping, GlMapping, SegmentGlRule } from "../domain.js";

export type GlMappingRecord = typeof glMappings.$inferSelect;

/** A mapping as a person writes it: the domain mapping without its id, plus a note. */
export type GlMappingSpec = (Omit<ExactGlMapping, "id"> | Omit<SegmentGlRule, "id">) & {
  readonly note?: string | null | undefined;
};

/** The domain mapping a row holds (see the column notes in `src/db/schema/gl-mappings.ts`). */
export function glMappingOfRow(row: GlMappingRecord): GlMapping {
  if (row.kind === "exact") {
    return {
      kind: "exact",
      id: row.id,
      sysproGlCode: row.sysproGlCode ?? "",
      avidGlCode: row.avidGlCode ?? "",
      dimensions: Object.entries(row.dimensions).map(([group, value]) => ({ group, value })),
    };
  }
  return {
    kind: "segment",
    id: row.id,
    separator: row.segmentSeparator,
    segment: (row.segmentIndex ?? 0) + 1,
    target:
      row.dimensionGroup === null
        ? { kind: "glAccount" }
        : { kind: "dimension", group: row.dimensionGroup },
    ...(row.segmentValues ? { values: row.segmentValues } : {}),
    required: row.segmentRequired,
  };
}

/**
 * What identifies a mapping among a connection's: an exact mapping by its SYSPRO GL code, a segment
 * rule by its target (two rules for one target would be a conflict, never a second rule).
 */
export function naturalKeyOf(spec: GlMappingSpec): string {
  return spec.kind === "exact"
    ? `exact:${spec.sysproGlCode.trim()}`
    : spec.target.kind === "glAccount"
      ? "segment:gl-account"
      : `segment:dimension:${spec.target.group.trim()}`;
}

/** Problems with one mapping, with `path` under `prefix`. */
export function validateGlMappingSpec(
  spec: GlMappingSpec,
  prefix: readonly string[],
): ValidationIssue[] {
  const problem = validateGlMapping({ ...spec, id: "new" });
  return problem ? [{ path: [...prefix], message: capitalise(problem) }] : [];
}

export interface UpsertGlMappingInput {
  readonly connectionId: string;
  /** Update this mapping; without it the mapping with the same natural key is updated, or one created. */
  readonly id?: string | undefined;
  readonly mapping: GlMappingSpec;
}

export async function upsertGlMapping(
  executor: Executor,
  input: UpsertGlMappingInput,
  actor: string,
): Promise<{ mapping: GlMappingRecord; created: boolean }> {
  const issues = validateGlMappingSpec(input.mapping, ["input"]);
  if (issues.length > 0) {
    throw new ValidationError(issues);
  }
  return withTransaction(executor, async (tx) => {
    await requireConnection(tx, input.connectionId);
    const existing =
      input.id !== undefined
        ? await mappingById(tx, input.connectionId, input.id)
        : await mappingByKey(tx, input.connectionId, input.mapping);
    const result = await write(tx, input.connectionId, input.mapping, existing);
    await recordAuditEvent(tx, {
      type: "gl_mapping.upserted",
      actor,
      connectionId: input.connectionId,
      subjectType: "gl_mapping",
      subjectId: result.mapping.id,
      data: { created: result.created, mapping: describe(input.mapping) },
    });
    return result;
  });
}

export async function deleteGlMapping(
  executor: Executor,
  id: string,
  actor: string,
): Promise<GlMappingRecord> {
  return withTransaction(executor, async (tx) => {
    const [row] = isUuid(id)
      ? await tx.delete(glMappings).where(eq(glMappings.id, id)).returning()
      : [];
    if (!row) {
      throw new NotFoundError("GL mapping");
    }
    await recordAuditEvent(tx, {
      type: "gl_mapping.deleted",
      actor,
      connectionId: row.connectionId,
      subjectType: "gl_mapping",
      subjectId: row.id,
      data: { mapping: describe(glMappingOfRow(row)) },
    });
    return row;
  });
}

export interface ImportGlMappingsInput {
  readonly connectionId: string;
  readonly mappings: readonly GlMappingSpec[];
  /** Delete the connection's mappings that are not in the import (default: keep them). */
  readonly replaceAll: boolean;
}

export interface ImportedGlMappings {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly mappings: readonly GlMappingRecord[];
}

/**
 * Imports many mappings at once, all or nothing: every row is validated first (each problem named
 * by its row), rows are matched to existing mappings by natural key, and with `replaceAll` the
 * mappings not in the import are deleted. One audit event records the counts.
 */
export async function importGlMappings(
  executor: Executor,
  input: ImportGlMappingsInput,
  actor: string,
): Promise<ImportedGlMappings> {
  const issues = checkImport(input.mappings.map((spec, index) => ({ index, spec })));
  if (issues.length > 0) {
    throw new ValidationError(issues);
  }
  return withTransaction(executor, async (tx) => {
    await requireConnection(tx, input.connectionId);
    const current = await tx
      .select()
      .from(glMappings)
      .where(eq(glMappings.connectionId, input.connectionId))
      .for("update");
    const byKey = new Map(current.map((row) => [naturalKeyOf(specOfRow(row)), row]));
    let created = 0;
    let updated = 0;
    const written: GlMappingRecord[] = [];
    for (const spec of input.mappings) {
      const result = await write(tx, input.connectionId, spec, byKey.get(naturalKeyOf(spec)));
      written.push(result.mapping);
      if (result.created) {
        created++;
      } else {
        updated++;
      }
    }
    let deleted = 0;
    if (input.replaceAll) {
      const keep = new Set(written.map((row) => row.id));
      for (const row of current.filter((r) => !keep.has(r.id))) {
        await tx.delete(glMappings).where(eq(glMappings.id, row.id));
        deleted++;
      }
    }
    await recordAuditEvent(tx, {
      type: "gl_mappings.imported",
      actor,
      connectionId: input.connectionId,
      subjectType: "connection",
      subjectId: input.connectionId,
      data: {
        created,
        updated,
        deleted,
        replaceAll: input.replaceAll,
        rows: input.mappings.length,
      },
    });
    return { created, updated, deleted, mappings: written };
  });
}

/**
 * Problems of an import's rows (each mapping valid, no two for the same SYSPRO GL code or segment
 * target), with paths `input.mappings.<row>`. `index` is the row's place in what the person sent.
 */
export function checkImport(
  rows: readonly { readonly index: number; readonly spec: GlMappingSpec }[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  for (const { index, spec } of rows) {
    const path = ["input", "mappings", String(index)];
    issues.push(...validateGlMappingSpec(spec, path));
    const key = naturalKeyOf(spec);
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ path, message: `Repeats the mapping of row ${first} (${describeKey(spec)}).` });
    } else {
      seen.set(key, index);
    }
  }
  return issues;
}

function specOfRow(row: GlMappingRecord): GlMappingSpec {
  const { id: _id, ...spec } = glMappingOfRow(row);
  return { ...spec, note: row.note };
}

async function write(
  tx: Tx,
  connectionId: string,
  spec: GlMappingSpec,
  existing: GlMappingRecord | undefined,
): Promise<{ mapping: GlMappingRecord; created: boolean }> {
  const values = rowValues(spec);
  const [row] = existing
    ? await tx.update(glMappings).set(values).where(eq(glMappings.id, existing.id)).returning()
    : await tx
        .insert(glMappings)
        .values({ connectionId, ...values })
        .returning();
  if (!row) {
    throw new Error("gl mapping write returned no row");
  }
  return { mapping: row, created: !existing };
}

function rowValues(spec: GlMappingSpec) {
  const note = spec.note?.trim() ? spec.note.trim() : null;
  if (spec.kind === "exact") {
    return {
      kind: "exact" as const,
      sysproGlCode: spec.sysproGlCode.trim(),
      avidGlCode: spec.avidGlCode.trim(),
      dimensions: Object.fromEntries(spec.dimensions.map((d) => [d.group.trim(), d.value.trim()])),
      segmentIndex: null,
      segmentSeparator: "-",
      dimensionGroup: null,
      segmentValues: null,
      segmentRequired: true,
      note,
    };
  }
  return {
    kind: "segment" as const,
    sysproGlCode: null,
    avidGlCode: null,
    dimensions: {},
    segmentIndex: spec.segment - 1,
    segmentSeparator: spec.separator,
    dimensionGroup: spec.target.kind === "dimension" ? spec.target.group.trim() : null,
    segmentValues: spec.values
      ? Object.fromEntries(
          Object.entries(spec.values).map(([from, to]) => [from.trim(), to.trim()]),
        )
      : null,
    segmentRequired: spec.required ?? true,
    note,
  };
}

async function mappingById(tx: Tx, connectionId: string, id: string): Promise<GlMappingRecord> {
  const [row] = isUuid(id)
    ? await tx
        .select()
        .from(glMappings)
        .where(and(eq(glMappings.id, id), eq(glMappings.connectionId, connectionId)))
        .for("update")
    : [];
  if (!row) {
    throw new NotFoundError("GL mapping");
  }
  return row;
}

async function mappingByKey(
  tx: Tx,
  connectionId: string,
  spec: GlMappingSpec,
): Promise<GlMappingRecord | undefined> {
  const [row] = await tx
    .select()
    .from(glMappings)
    .where(
      and(
        eq(glMappings.connectionId, connectionId),
        spec.kind === "exact"
          ? and(eq(glMappings.kind, "exact"), eq(glMappings.sysproGlCode, spec.sysproGlCode.trim()))
          : and(
              eq(glMappings.kind, "segment"),
              spec.target.kind === "glAccount"
                ? isNull(glMappings.dimensionGroup)
                : eq(glMappings.dimensionGroup, spec.target.group.trim()),
            ),
      ),
    )
    .for("update");
  return row;
}

async function requireConnection(tx: Tx, connectionId: string): Promise<void> {
  const [row] = isUuid(connectionId)
    ? await tx
        .select({ id: connections.id })
        .from(connections)
        .where(eq(connections.id, connectionId))
    : [];
  if (!row) {
    throw new NotFoundError("Connection");
  }
}

function describe(mapping: GlMappingSpec | GlMapping): Record<string, unknown> {
  const { note: _note, ...rest } = mapping as GlMappingSpec;
  return { ...rest };
}

function describeKey(spec: GlMappingSpec): string {
  return spec.kind === "exact"
    ? `SYSPRO GL code ${spec.sysproGlCode.trim()}`
    : spec.target.kind === "glAccount"
      ? "the segment rule for the GL account"
      : `the segment rule for dimension ${spec.target.group.trim()}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith(".") ? "" : ".");
}
