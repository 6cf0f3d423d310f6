import { eq, sql } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { avidDimensions, connections, glAccounts } from "../../db/schema/index.js";
import { mappingReadiness } from "../../read-models/mapping-readiness.js";

import type { AvidEnterpriseCode } from "../../connectors/avidxchange/types.js";
import type { GenMaster } from "../../connectors/syspro/types.js";
import type { ReadinessReport } from "../mapping/readiness.js";
import type { FlowContext } from "./run-context.js";

/**
 * Flow 6, reference data: mirror SYSPRO `GenMaster` (this company, without the `FORCED`/`RETAINED`
 * pseudo accounts) into `gl_accounts` and every AvidXchange enterprise code (GL accounts and
 * dimension values) into `avid_dimensions`, then store the connection's readiness verdict.
 *
 * Upserts by natural key, so a run repeated is a no-op; each page commits on its own, and the
 * readiness verdict is written only once both catalogs are complete.
 */
export async function syncGlCodes(ctx: FlowContext): Promise<ReadinessReport> {
  const { syspro, avid } = ctx.connectors;
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  for await (const page of syspro.odata.genMaster(ctx.connection.sysproCompanyId, signal)) {
    await upsertGlAccounts(ctx, page);
    await ctx.progress(`gl accounts: ${ctx.counts.read} read`);
  }
  for await (const page of avid.enterpriseCodes.list(signal)) {
    await upsertAvidCodes(ctx, page.items);
    await ctx.progress(`enterprise codes: ${ctx.counts.read} read`);
  }
  const report = await mappingReadiness(ctx.db, ctx.connection.id);
  await withTransaction(ctx.db, async (tx) => {
    await tx
      .update(connections)
      .set({
        readiness: report.ready ? "ready" : "not_ready",
        readinessCheckedAt: report.checkedAt,
        readinessReport: report,
      })
      .where(eq(connections.id, ctx.connection.id));
    await ctx.audit(tx, {
      type: "mapping.readiness_checked",
      subjectType: "connection",
      subjectId: ctx.connection.id,
      data: { ready: report.ready, counts: report.counts },
    });
  });
  return report;
}

async function upsertGlAccounts(ctx: FlowContext, page: readonly GenMaster[]): Promise<void> {
  ctx.counts.read += page.length;
  // The filter already drops them; kept here too since a posting to them is never valid.
  const rows = page
    .filter((g) => !["FORCED", "RETAINED"].includes(g.GlCode.trim().toUpperCase()))
    .map((g) => ({
      connectionId: ctx.connection.id,
      glCode: g.GlCode.trim(),
      description: g.Description?.trim() || null,
      accountType: g.AccountType?.trim() || null,
      active: (g.AccOnHldFlag ?? "").trim().toUpperCase() !== "Y",
      raw: g as unknown as Record<string, unknown>,
    }));
  ctx.counts.unchanged += page.length - rows.length;
  if (rows.length === 0) {
    return;
  }
  const result = await ctx.db
    .insert(glAccounts)
    .values(rows)
    .onConflictDoUpdate({
      target: [glAccounts.connectionId, glAccounts.glCode],
      set: {
        description: sql`excluded.description`,
        accountType: sql`excluded.account_type`,
        active: sql`excluded.active`,
        raw: sql`excluded.raw`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  countUpserts(ctx, result);
}

async function upsertAvidCodes(
  ctx: FlowContext,
  page: readonly AvidEnterpriseCode[],
): Promise<void> {
  ctx.counts.read += page.length;
  if (page.length === 0) {
    return;
  }
  // (group, value) is AvidXchange's key: keep one row per key within a page (an active copy wins).
  const byKey = new Map<string, AvidEnterpriseCode>();
  for (const c of page) {
    const key = `${c.GroupName.trim()}\u0000${c.CodeValue.trim()}`;
    const seen = byKey.get(key);
    if (!seen || (!seen.IsActive && c.IsActive)) {
      byKey.set(key, c);
    }
  }
  const rows = [...byKey.values()].map((c) => ({
    connectionId: ctx.connection.id,
    groupName: c.GroupName.trim(),
    code: c.CodeValue.trim(),
    name: c.Description?.trim() || null,
    avidId: typeof c["Id"] === "string" || typeof c["Id"] === "number" ? String(c["Id"]) : null,
    active: c.IsActive,
    raw: c,
  }));
  ctx.counts.unchanged += page.length - rows.length;
  const result = await ctx.db
    .insert(avidDimensions)
    .values(rows)
    .onConflictDoUpdate({
      target: [avidDimensions.connectionId, avidDimensions.groupName, avidDimensions.code],
      set: {
        name: sql`excluded.name`,
        avidId: sql`excluded.avid_id`,
        active: sql`excluded.active`,
        raw: sql`excluded.raw`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  countUpserts(ctx, result);
}

function countUpserts(ctx: FlowContext, result: readonly { inserted: boolean }[]): void {
  for (const r of result) {
    ctx.counts[r.inserted ? "created" : "updated"] += 1;
  }
}
