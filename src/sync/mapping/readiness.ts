import { NON_POSTING_GL_CODES } from "./catalogs.js";

import type { GlAccount } from "../domain.js";
import type { GlAccountIndex } from "./catalogs.js";
import type { GlMappingResolver, MappingFailureReason, MappingProblem } from "./resolve.js";

/**
 * Mapping readiness of a connection: can every SYSPRO GL code in use reach a valid AvidXchange
 * target, and which mappings point at codes AvidXchange does not have (or has switched off)?
 *
 * `ready` means every GL code in use resolves. Invalid mappings that no code in use reaches are
 * listed so someone can tidy them, but they do not hold invoices back: a mapping that is reached and
 * invalid already shows up as an unmapped code.
 */

export interface UnmappedGlCode {
  readonly glCode: string;
  readonly reason: MappingFailureReason;
  readonly problems: readonly MappingProblem[];
}

export interface InvalidMapping {
  readonly mappingId: string;
  readonly reason: MappingFailureReason;
  readonly detail: string;
}

export interface ReadinessWarning {
  readonly glCode: string;
  readonly detail: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly counts: {
    readonly glCodesInUse: number;
    readonly mapped: number;
    readonly unmapped: number;
    readonly mappings: number;
    readonly invalidMappings: number;
  };
  readonly unmapped: readonly UnmappedGlCode[];
  readonly invalidMappings: readonly InvalidMapping[];
  /** SYSPRO-side findings that do not block: codes in use missing or on hold in `GenMaster`,
   * exact mappings for codes `GenMaster` does not have. */
  readonly warnings: readonly ReadinessWarning[];
}

export interface ReadinessInput {
  readonly resolver: GlMappingResolver;
  readonly glAccounts: GlAccountIndex;
  /** SYSPRO GL codes in use, see `glCodesInUse`. */
  readonly glCodesInUse: Iterable<string>;
}

export function checkMappingReadiness(input: ReadinessInput): ReadinessReport {
  const { resolver, glAccounts } = input;
  const codes = [
    ...new Set([...input.glCodesInUse].map((code) => code.trim()).filter(Boolean)),
  ].sort();
  const unmapped: UnmappedGlCode[] = [];
  const warnings: ReadinessWarning[] = [];
  for (const glCode of codes) {
    const result = resolver.resolve(glCode);
    if (!result.ok) {
      unmapped.push({ glCode, reason: result.reason, problems: result.problems });
    }
    const problem = glAccounts.problem(glCode);
    if (problem === "UNKNOWN") {
      warnings.push({ glCode, detail: `GL code ${glCode} is in use but not in GenMaster` });
    } else if (problem === "ON_HOLD") {
      warnings.push({ glCode, detail: `GL code ${glCode} is in use but on hold in GenMaster` });
    }
  }

  const invalidMappings: InvalidMapping[] = [];
  for (const mapping of resolver.exactMappings) {
    const result = resolver.resolve(mapping.sysproGlCode);
    if (!result.ok) {
      for (const problem of result.problems.filter((p) => p.mappingIds.includes(mapping.id))) {
        invalidMappings.push({
          mappingId: mapping.id,
          reason: problem.reason,
          detail: problem.detail,
        });
      }
    }
    if (glAccounts.problem(mapping.sysproGlCode) === "UNKNOWN") {
      warnings.push({
        glCode: mapping.sysproGlCode.trim(),
        detail: `mapping ${mapping.id} is for GL code ${mapping.sysproGlCode.trim()}, which GenMaster does not have`,
      });
    }
  }
  for (const conflict of resolver.ruleConflicts) {
    for (const mappingId of conflict.mappingIds) {
      invalidMappings.push({ mappingId, reason: conflict.reason, detail: conflict.detail });
    }
  }
  invalidMappings.push(...checkRuleValues(resolver));

  return {
    ready: unmapped.length === 0,
    counts: {
      glCodesInUse: codes.length,
      mapped: codes.length - unmapped.length,
      unmapped: unmapped.length,
      mappings: resolver.exactMappings.length + resolver.segmentRules.length,
      invalidMappings: new Set(invalidMappings.map((m) => m.mappingId)).size,
    },
    unmapped,
    invalidMappings,
    warnings,
  };
}

/** Every target a rule's value table names must exist and be active; identity rules can only be
 * checked per code in use. */
function checkRuleValues(resolver: GlMappingResolver): InvalidMapping[] {
  const { catalog } = resolver;
  const out: InvalidMapping[] = [];
  for (const rule of resolver.segmentRules) {
    const group = rule.target.kind === "glAccount" ? catalog.glGroup : rule.target.group.trim();
    if (rule.target.kind === "dimension" && !catalog.hasGroup(group)) {
      out.push({
        mappingId: rule.id,
        reason: "UNKNOWN_DIMENSION",
        detail: `dimension group ${group} does not exist`,
      });
      continue;
    }
    for (const [from, to] of Object.entries(rule.values ?? {})) {
      const code = catalog.lookup(group, to);
      if (!code) {
        out.push({
          mappingId: rule.id,
          reason: rule.target.kind === "glAccount" ? "UNKNOWN_TARGET" : "UNKNOWN_DIMENSION",
          detail: `segment value ${from} maps to ${group}/${to.trim()}, which does not exist`,
        });
      } else if (!code.active) {
        out.push({
          mappingId: rule.id,
          reason: "INACTIVE_TARGET",
          detail: `segment value ${from} maps to ${group}/${to.trim()}, which is inactive`,
        });
      }
    }
  }
  return out;
}

export interface GlCodesInUseInput {
  /** GL codes of mirrored invoice lines. */
  readonly invoiceGlCodes: Iterable<string>;
  /** GenMaster accounts, used only with `accountTypes`. */
  readonly genMaster?: readonly GlAccount[];
  /** GenMaster account types AP invoices can hit (e.g. `["E"]`): lets a connection with no
   * invoices mirrored yet check its expense accounts. Absent: invoice lines only. */
  readonly accountTypes?: readonly string[];
}

/** The GL codes whose mapping matters: those on invoice lines, plus GenMaster accounts of the given
 * types (never SYSPRO's `FORCED`/`RETAINED` pseudo accounts, never accounts on hold). */
export function glCodesInUse(input: GlCodesInUseInput): string[] {
  const codes = new Set<string>();
  for (const code of input.invoiceGlCodes) {
    if (code.trim()) {
      codes.add(code.trim());
    }
  }
  if (input.accountTypes && input.genMaster) {
    const types = new Set(input.accountTypes.map((t) => t.trim().toUpperCase()));
    for (const account of input.genMaster) {
      const code = account.code.trim();
      if (
        !account.onHold &&
        !NON_POSTING_GL_CODES.has(code.toUpperCase()) &&
        types.has((account.accountType ?? "").trim().toUpperCase())
      ) {
        codes.add(code);
      }
    }
  }
  return [...codes].sort();
}
