import { and, eq } from "drizzle-orm";

import { avidDimensions, glAccounts, glMappings } from "../../src/db/schema/index.js";
import { DEFAULT_GL_GROUP } from "../../src/sync/domain.js";

import type { SyncHarness } from "./harness.js";

/**
 * Loads reference data and maps every SYSPRO GL code exactly (to itself where AvidXchange has it),
 * except `leaveUnmapped`.
 */
export async function mapGlCodes(h: SyncHarness, leaveUnmapped?: string): Promise<void> {
  await h.sync("reference_data");
  const accounts = await h.t.db.select().from(glAccounts);
  const avidGl = [
    ...new Set(
      (
        await h.t.db
          .select()
          .from(avidDimensions)
          .where(
            and(eq(avidDimensions.groupName, DEFAULT_GL_GROUP), eq(avidDimensions.active, true)),
          )
      ).map((c) => c.code),
    ),
  ].sort();
  await h.t.db.insert(glMappings).values(
    accounts
      .filter((a) => a.glCode !== leaveUnmapped)
      .map((a, i) => ({
        connectionId: h.connectionId,
        kind: "exact" as const,
        sysproGlCode: a.glCode,
        avidGlCode: avidGl.includes(a.glCode) ? a.glCode : avidGl[i % avidGl.length]!,
      })),
  );
}

/** The distribution's GL codes, least used first (ties by code). */
export function glCodesByUse(h: SyncHarness): string[] {
  const used = new Map<string, number>();
  for (const d of h.syspro.control.rows("ApJnlDistrib", {}, 100_000)) {
    const code = String(d["ExpenseGlCode"]).trim();
    used.set(code, (used.get(code) ?? 0) + 1);
  }
  return [...used].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([code]) => code);
}

/** Maps one more SYSPRO GL code (to any active AvidXchange GL code). */
export async function mapGlCode(h: SyncHarness, sysproGlCode: string): Promise<void> {
  const [target] = await h.t.db
    .select()
    .from(avidDimensions)
    .where(and(eq(avidDimensions.groupName, DEFAULT_GL_GROUP), eq(avidDimensions.active, true)))
    .limit(1);
  await h.t.db.insert(glMappings).values({
    connectionId: h.connectionId,
    kind: "exact",
    sysproGlCode,
    avidGlCode: target!.code,
  });
}
