import { and, eq, sql } from "drizzle-orm";

import { watermarks } from "../../db/schema/index.js";

import type { Executor } from "../../db/client.js";
import type { Watermark } from "../watermarks.js";
import type { FlowContext } from "./run-context.js";

/**
 * The stream's stored watermark, or none on a full resync: a full resync re-reads from the start
 * but, through `saveStreamWatermark`, never moves the stored mark back.
 */
export async function loadStreamWatermark(
  ctx: FlowContext,
  stream: string,
): Promise<Watermark | undefined> {
  const [mark] = await ctx.db
    .select()
    .from(watermarks)
    .where(and(eq(watermarks.connectionId, ctx.connection.id), eq(watermarks.stream, stream)));
  return mark && !ctx.run.fullResync
    ? { timestamp: mark.changedAt.toISOString(), key: mark.tieBreakKey }
    : undefined;
}

/**
 * Stores `mark` in `tx`, the transaction that commits the page's effects. Never backwards, even if
 * two runs overlap or a full resync re-reads older pages.
 */
export async function saveStreamWatermark(
  tx: Executor,
  connectionId: string,
  stream: string,
  mark: Watermark,
): Promise<void> {
  const changedAt = new Date(watermarkInstant(mark.timestamp));
  await tx
    .insert(watermarks)
    .values({ connectionId, stream, changedAt, tieBreakKey: mark.key })
    .onConflictDoUpdate({
      target: [watermarks.connectionId, watermarks.stream],
      set: { changedAt, tieBreakKey: mark.key, updatedAt: sql`now()` },
      setWhere: sql`${watermarks.changedAt} <= excluded.changed_at`,
    });
}

/** `2026-01-22 14:03:11`, zone-less date-times and bare dates are UTC, as `compareWatermarks` reads them. */
export function watermarkInstant(timestamp: string): string {
  const text = timestamp.trim().replace(/^(\d{4}-\d{2}-\d{2}) /, "$1T");
  if (!text.includes("T")) {
    return `${text}T00:00:00Z`;
  }
  return /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
}
