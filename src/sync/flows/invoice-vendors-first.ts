import { and, eq, inArray, sql } from "drizzle-orm";

import { suppliers } from "../../db/schema/index.js";
import { moveSuppliers } from "./suppliers-to-vendors.js";

import type { AvidVendorInput } from "../../connectors/avidxchange/types.js";
import type { ApSupplier } from "../../connectors/syspro/types.js";
import type { FlowContext } from "./run-context.js";

/**
 * "Vendor first if missing": suppliers of these invoices without an AvidXchange vendor get one
 * (through the suppliers flow's own guards) before their invoices are considered; only a supplier
 * whose vendor still cannot be sent leaves its invoices as SUPPLIER_NOT_SYNCED. The vendor moves
 * are counted apart: the run's counters stay about invoices (their audits and transactions are
 * recorded as usual).
 */
export async function vendorsFirst(
  ctx: FlowContext,
  supplierCodes: readonly string[],
  dryRun: boolean,
): Promise<{ synced: Set<string>; wouldSend: Map<string, AvidVendorInput> }> {
  const codes = [...new Set(supplierCodes)];
  const synced = new Set(
    (
      await ctx.db
        .select({ code: suppliers.sysproCode })
        .from(suppliers)
        .where(
          and(
            eq(suppliers.connectionId, ctx.connection.id),
            inArray(suppliers.sysproCode, codes.length ? codes : [""]),
            sql`${suppliers.avidVendorId} is not null`,
          ),
        )
    ).map((r) => r.code),
  );
  const wouldSend = new Map<string, AvidVendorInput>();
  const missing = new Set(codes.filter((c) => !synced.has(c)));
  if (missing.size === 0) {
    return { synced, wouldSend };
  }
  const raws: ApSupplier[] = [];
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  for await (const page of ctx.connectors.syspro.odata.apSuppliers(signal)) {
    raws.push(...page.filter((s) => missing.has(s.Supplier.trim())));
    if (raws.length === missing.size) {
      break;
    }
  }
  if (raws.length === 0) {
    return { synced, wouldSend };
  }
  const counts = { read: 0, created: 0, updated: 0, unchanged: 0, exceptions: 0 };
  const moves = await moveSuppliers({ ...ctx, counts }, raws, { dryRun });
  for (const move of moves) {
    if (move.outcome === "sent" || (move.outcome === "unchanged" && move.avidVendorId)) {
      synced.add(move.code);
    } else if (move.outcome === "would_send") {
      synced.add(move.code);
      wouldSend.set(move.code, move.request);
    }
  }
  return { synced, wouldSend };
}
