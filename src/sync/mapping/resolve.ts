import { InvalidConfigurationError } from "../errors.js";
import { createAvidCodeCatalog } from "./catalogs.js";

import type {
  AvidCode,
  AvidCoding,
  Dimension,
  ExactGlMapping,
  GlMapping,
  SegmentGlRule,
} from "../domain.js";
import type { AvidCodeCatalog } from "./catalogs.js";

/**
 * Resolves a SYSPRO GL code (e.g. `6100-210`) to an AvidXchange GL code and dimensions through the
 * connection's mappings: an exact mapping for the code wins; otherwise the segment rules compose the
 * result; either way the result must exist and be active among the loaded AvidXchange codes. A code
 * that does not resolve cleanly comes back with typed reasons; nothing is ever guessed.
 */

export type MappingFailureReason =
  "UNMAPPED_GL" | "UNKNOWN_TARGET" | "INACTIVE_TARGET" | "UNKNOWN_DIMENSION" | "MAPPING_CONFLICT";

export interface MappingProblem {
  readonly reason: MappingFailureReason;
  readonly detail: string;
  readonly mappingIds: readonly string[];
}

export type ResolveResult =
  | {
      readonly ok: true;
      readonly sysproGlCode: string;
      readonly coding: AvidCoding;
      readonly source: "exact" | "segment";
      readonly mappingIds: readonly string[];
    }
  | {
      readonly ok: false;
      readonly sysproGlCode: string;
      /** The first problem's reason; `problems` has them all. */
      readonly reason: MappingFailureReason;
      readonly problems: readonly MappingProblem[];
    };

export interface GlMappingResolver {
  resolve(sysproGlCode: string): ResolveResult;
  readonly catalog: AvidCodeCatalog;
  readonly exactMappings: readonly ExactGlMapping[];
  readonly segmentRules: readonly SegmentGlRule[];
  /** Problems of the rule set itself (two rules for one target), reported once by readiness. */
  readonly ruleConflicts: readonly MappingProblem[];
}

export interface GlMappingResolverInput {
  readonly mappings: readonly GlMapping[];
  readonly avidCodes: readonly AvidCode[] | AvidCodeCatalog;
  /** Enterprise-code group of GL accounts; ignored when `avidCodes` is already a catalog. */
  readonly glGroup?: string;
}

/** Throws `InvalidConfigurationError` when a mapping row is malformed (see `validateGlMapping`). */
export function createGlMappingResolver(input: GlMappingResolverInput): GlMappingResolver {
  const catalog = isCatalog(input.avidCodes)
    ? input.avidCodes
    : createAvidCodeCatalog(input.avidCodes, input.glGroup);
  for (const mapping of input.mappings) {
    const problem = validateGlMapping(mapping);
    if (problem) {
      throw new InvalidConfigurationError(`GL mapping ${mapping.id}: ${problem}`);
    }
  }
  const exactMappings = input.mappings.filter((m): m is ExactGlMapping => m.kind === "exact");
  const segmentRules = input.mappings.filter((m): m is SegmentGlRule => m.kind === "segment");
  const exactByCode = new Map<string, ExactGlMapping[]>();
  for (const mapping of exactMappings) {
    const code = mapping.sysproGlCode.trim();
    exactByCode.set(code, [...(exactByCode.get(code) ?? []), mapping]);
  }
  const ruleConflicts = findRuleConflicts(segmentRules);
  // GL-account rule first, then dimensions in segment order, so results are deterministic.
  const orderedRules = [...segmentRules].sort(
    (a, b) =>
      Number(a.target.kind !== "glAccount") - Number(b.target.kind !== "glAccount") ||
      a.segment - b.segment,
  );

  function resolve(sysproGlCode: string): ResolveResult {
    const code = sysproGlCode.trim();
    const exact = exactByCode.get(code) ?? [];
    if (exact.length > 1) {
      return failure(code, [
        {
          reason: "MAPPING_CONFLICT",
          detail: `${exact.length} exact mappings for GL code ${code}`,
          mappingIds: exact.map((m) => m.id),
        },
      ]);
    }
    const [single] = exact;
    if (single) {
      const problems = validateCoding(catalog, single, [single.id]);
      return problems.length > 0
        ? failure(code, problems)
        : {
            ok: true,
            sysproGlCode: code,
            coding: {
              glCode: single.avidGlCode.trim(),
              dimensions: trimDimensions(single.dimensions),
            },
            source: "exact",
            mappingIds: [single.id],
          };
    }
    return resolveBySegments(code);
  }

  function resolveBySegments(code: string): ResolveResult {
    if (!orderedRules.some((rule) => rule.target.kind === "glAccount")) {
      return failure(code, [
        {
          reason: "UNMAPPED_GL",
          detail: `GL code ${code} has no exact mapping and no segment rule gives a GL account`,
          mappingIds: [],
        },
      ]);
    }
    if (ruleConflicts.length > 0) {
      return failure(code, ruleConflicts);
    }
    const problems: MappingProblem[] = [];
    let glCode: string | undefined;
    const dimensions: Dimension[] = [];
    for (const rule of orderedRules) {
      const value = segmentValue(code, rule);
      if (value === undefined) {
        if (rule.required !== false) {
          problems.push({
            reason: "UNMAPPED_GL",
            detail: `GL code ${code} has no segment ${rule.segment} (separator "${rule.separator}") for rule ${rule.id}`,
            mappingIds: [rule.id],
          });
        }
        continue;
      }
      const mapped = rule.values ? lookupValue(rule.values, value) : value;
      if (!mapped) {
        problems.push({
          reason: "UNMAPPED_GL",
          detail: `segment ${rule.segment} value "${value}" of GL code ${code} has no entry in rule ${rule.id}`,
          mappingIds: [rule.id],
        });
        continue;
      }
      if (rule.target.kind === "glAccount") {
        glCode = mapped;
      } else {
        dimensions.push({ group: rule.target.group.trim(), value: mapped });
      }
    }
    if (glCode === undefined && problems.length === 0) {
      problems.push({
        reason: "UNMAPPED_GL",
        detail: `no segment rule gives GL code ${code} a GL account`,
        mappingIds: [],
      });
    }
    if (problems.length > 0 || glCode === undefined) {
      return failure(code, problems);
    }
    const ids = orderedRules.map((rule) => rule.id);
    const validation = validateCoding(catalog, { avidGlCode: glCode, dimensions }, ids);
    return validation.length > 0
      ? failure(code, validation)
      : {
          ok: true,
          sysproGlCode: code,
          coding: { glCode, dimensions },
          source: "segment",
          mappingIds: ids,
        };
  }

  return { resolve, catalog, exactMappings, segmentRules, ruleConflicts };
}

/** Why a mapping row cannot be used, or `undefined`. For the upsert mutation and the resolver. */
export function validateGlMapping(mapping: GlMapping): string | undefined {
  if (mapping.kind === "exact") {
    if (!mapping.sysproGlCode.trim()) {
      return "SYSPRO GL code is empty";
    }
    if (!mapping.avidGlCode.trim()) {
      return "AvidXchange GL code is empty";
    }
    const groups = mapping.dimensions.map((d) => d.group.trim());
    if (groups.some((g) => !g) || mapping.dimensions.some((d) => !d.value.trim())) {
      return "a dimension has an empty group or value";
    }
    if (new Set(groups).size !== groups.length) {
      return "a dimension group appears twice";
    }
    return undefined;
  }
  if (!Number.isInteger(mapping.segment) || mapping.segment < 1) {
    return `segment must be a whole number from 1, not ${mapping.segment}`;
  }
  if (mapping.separator.length === 0) {
    return "separator is empty";
  }
  if (mapping.target.kind === "dimension" && !mapping.target.group.trim()) {
    return "dimension group is empty";
  }
  return undefined;
}

/** The trimmed value of a rule's segment in `code`, or `undefined` when the code has no such segment. */
export function segmentValue(code: string, rule: SegmentGlRule): string | undefined {
  const value = code.split(rule.separator)[rule.segment - 1]?.trim();
  return value ? value : undefined;
}

/** Same GL code and the same set of dimensions, whatever their order. */
export function sameCoding(a: AvidCoding, b: AvidCoding): boolean {
  return (
    a.glCode.trim() === b.glCode.trim() && dimensionKey(a.dimensions) === dimensionKey(b.dimensions)
  );
}

export function dimensionKey(dimensions: readonly Dimension[]): string {
  return dimensions
    .map((d) => `${d.group.trim()}\u0000${d.value.trim()}`)
    .sort()
    .join("\u0001");
}

function validateCoding(
  catalog: AvidCodeCatalog,
  target: { readonly avidGlCode: string; readonly dimensions: readonly Dimension[] },
  mappingIds: readonly string[],
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const gl = catalog.lookup(catalog.glGroup, target.avidGlCode);
  if (!gl) {
    problems.push({
      reason: "UNKNOWN_TARGET",
      detail: `AvidXchange GL code ${target.avidGlCode} does not exist`,
      mappingIds,
    });
  } else if (!gl.active) {
    problems.push({
      reason: "INACTIVE_TARGET",
      detail: `AvidXchange GL code ${target.avidGlCode} is inactive`,
      mappingIds,
    });
  }
  for (const dimension of target.dimensions) {
    const code = catalog.lookup(dimension.group, dimension.value);
    const name = `${dimension.group.trim()}/${dimension.value.trim()}`;
    if (!code) {
      problems.push({
        reason: "UNKNOWN_DIMENSION",
        detail: catalog.hasGroup(dimension.group)
          ? `dimension ${name} does not exist`
          : `dimension group ${dimension.group.trim()} does not exist`,
        mappingIds,
      });
    } else if (!code.active) {
      problems.push({
        reason: "INACTIVE_TARGET",
        detail: `dimension ${name} is inactive`,
        mappingIds,
      });
    }
  }
  return problems;
}

function findRuleConflicts(rules: readonly SegmentGlRule[]): MappingProblem[] {
  const byTarget = new Map<string, SegmentGlRule[]>();
  for (const rule of rules) {
    const key =
      rule.target.kind === "glAccount" ? "GL account" : `dimension ${rule.target.group.trim()}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), rule]);
  }
  return [...byTarget]
    .filter(([, group]) => group.length > 1)
    .map(([target, group]) => ({
      reason: "MAPPING_CONFLICT" as const,
      detail: `${group.length} segment rules map to the ${target}`,
      mappingIds: group.map((rule) => rule.id),
    }));
}

function failure(code: string, problems: readonly MappingProblem[]): ResolveResult {
  const [first] = problems;
  return {
    ok: false,
    sysproGlCode: code,
    reason: first?.reason ?? "UNMAPPED_GL",
    problems,
  };
}

/** Own keys only: a segment value `constructor` must not find Object.prototype's. */
function lookupValue(values: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(values, key) ? values[key]?.trim() || undefined : undefined;
}

function trimDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return dimensions.map((d) => ({ group: d.group.trim(), value: d.value.trim() }));
}

function isCatalog(value: readonly AvidCode[] | AvidCodeCatalog): value is AvidCodeCatalog {
  return !Array.isArray(value);
}
