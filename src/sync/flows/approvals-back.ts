import { eq, sql } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { invoices } from "../../db/schema/index.js";
import { addDays, advanceWatermark, pollFromDate, splitDateWindows } from "../watermarks.js";
import { matchOurs, recordState, stampsOf } from "./approval-states.js";
import {
  decide,
  linesOf,
  loadRecodeInputs,
  raiseRecodeException,
  reclassPostingsOf,
  showRecode,
} from "./recode-decisions.js";
import { reclassify, settleOpenClaims } from "./recode-journals.js";
import { loadStreamWatermark, saveStreamWatermark } from "./stream-watermark.js";

import type { AvidInvoice } from "../../connectors/avidxchange/types.js";
import type { RecodeDecision } from "../approvals/detect-recode.js";
import type { DateWindow, Watermark } from "../watermarks.js";
import type { RecodeInputs } from "./recode-decisions.js";
import type { FlowContext } from "./run-context.js";

const STREAM = "avidxchange.invoices.modified";
/** Re-read this many days before the watermark's date: a late-stamped change is read twice, never missed. */
const LOOKBACK_DAYS = 2;
/** A stream with no watermark starts this far back (or at the first invoice we sent, if earlier). */
const FIRST_POLL_DAYS = 90;
/** An approver's coding on an invoice in these states will never be paid, so it is not reclassified. */
const NO_RECODE_STATES = new Set(["Rejected", "Void"]);

/**
 * Flow 4, approval states back: AvidXchange invoices by last-modified window (≤ 31-day windows,
 * overlapping, so a re-read changes nothing). Each state change of an invoice we sent is recorded on
 * it and audited (`invoice.approval_state`) under its own transaction id. An approver's re-code
 * becomes, by connection policy, a GENTJL reclassification journal (claimed in the posting ledger
 * before the call; after an ambiguous failure SYSPRO is asked for the journal reference before any
 * second post) or an exception for a person.
 */
export async function syncApprovalsBack(ctx: FlowContext): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const current = await loadStreamWatermark(ctx, STREAM);
  const from = current
    ? pollFromDate({ watermark: current, lookbackDays: LOOKBACK_DAYS, initialFrom: today })
    : await firstPollFrom(ctx, today);
  // One day past our today: the remote's clock or time zone may be ahead of ours.
  const windows = splitDateWindows(from, addDays(today, 1));
  const inputs = await loadRecodeInputs(ctx);
  await settleOpenClaims(ctx);
  let watermark = current;
  for (const window of windows) {
    watermark = await syncWindow(ctx, inputs, window, watermark);
  }
}

async function firstPollFrom(ctx: FlowContext, today: string): Promise<string> {
  const fallback = addDays(today, -FIRST_POLL_DAYS);
  const [first] = await ctx.db
    .select({ at: sql<Date | null>`min(${invoices.sentAt})` })
    .from(invoices)
    .where(eq(invoices.connectionId, ctx.connection.id));
  const sent = first?.at
    ? addDays(new Date(first.at).toISOString().slice(0, 10), -LOOKBACK_DAYS)
    : undefined;
  return sent !== undefined && sent < fallback ? sent : fallback;
}

/**
 * One window, page by page. The listing is not ordered by date, so the watermark moves only with the
 * window's last page (to the newest change of the whole window); a run cut short re-reads the window.
 * The next page is fetched before a page is committed to know whether it is the last.
 */
async function syncWindow(
  ctx: FlowContext,
  inputs: RecodeInputs,
  window: DateWindow,
  watermark: Watermark | undefined,
): Promise<Watermark | undefined> {
  const listing = ctx.connectors.avid.invoices.listModified({
    from: window.from,
    to: window.to,
    ...signalOf(ctx),
  });
  const pages = listing[Symbol.asyncIterator]();
  let seen: Watermark | undefined;
  let next = await pages.next();
  while (!next.done) {
    const page = next.value;
    next = await pages.next();
    seen = advanceWatermark(seen, stampsOf(page.items));
    const target = next.done ? advanceWatermark(watermark, seen ? [seen] : []) : watermark;
    watermark = await syncPage(ctx, inputs, page.items, target);
    await ctx.progress(`approvals: ${ctx.counts.read} read`);
  }
  return watermark;
}

async function syncPage(
  ctx: FlowContext,
  inputs: RecodeInputs,
  items: readonly AvidInvoice[],
  target: Watermark | undefined,
): Promise<Watermark | undefined> {
  ctx.counts.read += items.length;
  const matched = await matchOurs(ctx, items);
  const ids = matched.map((m) => m.row.id);
  const lines = await linesOf(ctx, ids);
  const reclasses = await reclassPostingsOf(ctx, ids);

  const decisions = new Map<string, RecodeDecision>();
  for (const m of matched) {
    if (NO_RECODE_STATES.has(m.state)) {
      continue;
    }
    const decision = decide(
      ctx,
      inputs,
      m,
      lines.get(m.row.id) ?? [],
      reclasses.get(m.row.id) ?? [],
    );
    if (decision) {
      decisions.set(m.row.id, decision);
    }
  }

  for (const m of matched) {
    const decision = decisions.get(m.row.id);
    if (decision?.action === "journal") {
      await reclassify(ctx, m.row, decision);
    }
  }

  await withTransaction(ctx.db, async (tx) => {
    for (const m of matched) {
      const changed = await recordState(tx, ctx, m);
      const decision = decisions.get(m.row.id);
      if (decision && decision.action !== "none") {
        await showRecode(tx, m.row.id, decision.recodedLines);
      }
      if (decision?.action === "exception") {
        await raiseRecodeException(tx, ctx, m, decision);
      }
      if (!changed && decision?.action !== "journal" && decision?.action !== "exception") {
        ctx.counts.unchanged += 1;
      }
    }
    if (target) {
      await saveStreamWatermark(tx, ctx.connection.id, STREAM, target);
    }
  });
  return target;
}

const signalOf = (ctx: FlowContext) => (ctx.signal ? { signal: ctx.signal } : {});
