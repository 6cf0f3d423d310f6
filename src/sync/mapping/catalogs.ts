import { DEFAULT_GL_GROUP } from "../domain.js";

import type { AvidCode, GlAccount } from "../domain.js";

/** The AvidXchange enterprise codes of a connection, indexed for lookup. */
export interface AvidCodeCatalog {
  /** The group holding GL accounts (`Accounting Codes` unless the connection says otherwise). */
  readonly glGroup: string;
  lookup(group: string, value: string): AvidCode | undefined;
  hasGroup(group: string): boolean;
}

export function createAvidCodeCatalog(
  codes: readonly AvidCode[],
  glGroup: string = DEFAULT_GL_GROUP,
): AvidCodeCatalog {
  const byKey = new Map<string, AvidCode>();
  const groups = new Set<string>();
  for (const code of codes) {
    const group = code.group.trim();
    const key = codeKey(group, code.value);
    groups.add(group);
    // (group, value) is AvidXchange's upsert key, so a repeat is a stale copy in our list; if either
    // copy is active the code can be used, and the remote system will say otherwise if not.
    const existing = byKey.get(key);
    if (!existing || (!existing.active && code.active)) {
      byKey.set(key, code);
    }
  }
  return {
    glGroup,
    lookup: (group, value) => byKey.get(codeKey(group, value)),
    hasGroup: (group) => groups.has(group.trim()),
  };
}

function codeKey(group: string, value: string): string {
  return `${group.trim()}\u0000${value.trim()}`;
}

/** SYSPRO's pseudo accounts, never real posting targets (contract §3.4). */
export const NON_POSTING_GL_CODES: ReadonlySet<string> = new Set(["FORCED", "RETAINED"]);

export type GlAccountProblem = "UNKNOWN" | "ON_HOLD" | "NOT_POSTABLE";

/** A company's SYSPRO GL accounts (`GenMaster`), indexed for lookup. */
export interface GlAccountIndex {
  get(code: string): GlAccount | undefined;
  /** Why the account cannot take a posting, or `undefined` when it can. */
  problem(code: string): GlAccountProblem | undefined;
  readonly accounts: readonly GlAccount[];
}

export function createGlAccountIndex(accounts: readonly GlAccount[]): GlAccountIndex {
  const byCode = new Map(accounts.map((account) => [account.code.trim(), account]));
  return {
    accounts,
    get: (code) => byCode.get(code.trim()),
    problem: (code) => {
      const trimmed = code.trim();
      if (NON_POSTING_GL_CODES.has(trimmed.toUpperCase())) {
        return "NOT_POSTABLE";
      }
      const account = byCode.get(trimmed);
      if (!account) {
        return "UNKNOWN";
      }
      return account.onHold ? "ON_HOLD" : undefined;
    },
  };
}
