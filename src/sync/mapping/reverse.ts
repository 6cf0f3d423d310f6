import { dimensionKey, sameCoding, segmentValue } from "./resolve.js";

import type { AvidCoding, SegmentGlRule } from "../domain.js";
import type { GlAccountIndex } from "./catalogs.js";
import type { GlMappingResolver } from "./resolve.js";

/**
 * The reverse of `resolve`: which SYSPRO GL code does an AvidXchange coding stand for? Needed when
 * an approver re-codes a line and we must debit the new SYSPRO account.
 *
 * Candidates come from exact mappings whose target is the coding, and from the segment rules
 * recomposing the original SYSPRO code with the new segment values (segments no rule covers keep the
 * original's value: the coding says nothing about them). A candidate counts only if it is a postable
 * SYSPRO account and resolves forward to exactly this coding, so exact-wins precedence, value maps
 * and validation are all honoured by construction. Exactly one candidate, or no answer.
 */

export type ReverseResult =
  | { readonly ok: true; readonly sysproGlCode: string }
  | {
      readonly ok: false;
      readonly problem: "IMPOSSIBLE" | "AMBIGUOUS";
      readonly detail: string;
      readonly candidates: readonly string[];
    };

/** Beyond this many recompositions a rule set is too ambiguous to be worth enumerating. */
const MAX_COMPOSITIONS = 256;

export function reverseMapCoding(
  resolver: GlMappingResolver,
  glAccounts: GlAccountIndex,
  coding: AvidCoding,
  originalSysproGlCode: string,
): ReverseResult {
  const proposals = new Set<string>();
  for (const mapping of resolver.exactMappings) {
    if (sameCoding({ glCode: mapping.avidGlCode, dimensions: mapping.dimensions }, coding)) {
      proposals.add(mapping.sysproGlCode.trim());
    }
  }
  const composed = composeFromRules(resolver.segmentRules, coding, originalSysproGlCode.trim());
  if (composed === "TOO_MANY") {
    return {
      ok: false,
      problem: "AMBIGUOUS",
      detail: `segment rules allow more than ${MAX_COMPOSITIONS} SYSPRO codes for ${describe(coding)}`,
      candidates: [],
    };
  }
  for (const code of composed) {
    proposals.add(code);
  }
  const candidates = [...proposals]
    .filter((code) => glAccounts.problem(code) === undefined)
    .filter((code) => {
      const forward = resolver.resolve(code);
      return forward.ok && sameCoding(forward.coding, coding);
    })
    .sort();
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) {
    return { ok: true, sysproGlCode: only };
  }
  if (candidates.length === 0) {
    return {
      ok: false,
      problem: "IMPOSSIBLE",
      detail: `no postable SYSPRO GL code maps to ${describe(coding)}`,
      candidates,
    };
  }
  return {
    ok: false,
    problem: "AMBIGUOUS",
    detail: `SYSPRO GL codes ${candidates.join(", ")} all map to ${describe(coding)}`,
    candidates,
  };
}

function composeFromRules(
  rules: readonly SegmentGlRule[],
  coding: AvidCoding,
  original: string,
): string[] | "TOO_MANY" {
  if (rules.length === 0) {
    return [];
  }
  const separators = new Set(rules.map((rule) => rule.separator));
  const [separator] = separators;
  // Rules splitting by different separators cannot be recomposed into one code.
  if (separators.size !== 1 || separator === undefined) {
    return [];
  }
  let variants: string[][] = [original.split(separator)];
  for (const rule of rules) {
    const target =
      rule.target.kind === "glAccount"
        ? coding.glCode.trim()
        : findDimension(coding, rule.target.group);
    if (target === undefined) {
      if (rule.required !== false) {
        return [];
      }
      continue;
    }
    const options = rule.values ? invert(rule.values, target) : [target];
    const next: string[][] = [];
    for (const segments of variants) {
      // A rule may only replace an existing segment or append the next one, never leave a hole.
      if (rule.segment > segments.length + 1) {
        continue;
      }
      for (const option of options) {
        const copy = [...segments];
        copy[rule.segment - 1] = option;
        next.push(copy);
      }
    }
    if (next.length > MAX_COMPOSITIONS) {
      return "TOO_MANY";
    }
    variants = next;
  }
  return variants
    .map((segments) => segments.join(separator))
    .filter((code) => rules.every((rule) => rule.required === false || segmentValue(code, rule)));
}

function findDimension(coding: AvidCoding, group: string): string | undefined {
  return coding.dimensions.find((d) => d.group.trim() === group.trim())?.value.trim();
}

function invert(values: Readonly<Record<string, string>>, target: string): string[] {
  return Object.entries(values)
    .filter(([, value]) => value.trim() === target)
    .map(([key]) => key);
}

function describe(coding: AvidCoding): string {
  const dims = dimensionKey(coding.dimensions).replaceAll("\u0000", "/").replaceAll("\u0001", ", ");
  return dims ? `GL ${coding.glCode} (${dims})` : `GL ${coding.glCode}`;
}
