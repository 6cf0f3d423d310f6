import { and, asc, eq, inArray, or, sql } from "drizzle-orm";

import {
  isSysproAmbiguousWriteError,
  isSysproBusinessRejectionError,
  isSysproError,
  isSysproInvalidDocumentError,
} from "../../connectors/syspro/index.js";
import { withTransaction } from "../../db/client.js";
import { exceptions, invoiceLines, invoices, postings, watermarks } from "../../db/schema/index.js";
import { loadMappingInputs } from "../../read-models/gl.js";
import { detectRecode } from "../approvals/detect-recode.js";
import { glMappingOfRow } from "../commands/gl-mappings.js";
import { DEFAULT_GL_GROUP } from "../domain.js";
import { syncException } from "../exceptions.js";
import { journalTotals } from "../journal.js";
import { createGlAccountIndex } from "../mapping/catalogs.js";
import { createGlMappingResolver } from "../mapping/resolve.js";
import { formatCents } from "../money.js";
import {
  addDays,
  advanceWatermark,
  pollFromDate,
  splitDateWindows,
  watermarkDate,
} from "../watermarks.js";
import {
  claimPosting,
  findGlJournalByReference,
  glJournalReference,
  markPostingAttempt,
  markPostingFailed,
  markPostingPosted,
  markPostingUnknown,
} from "./posting-ledger.js";

import type { AvidInvoice } from "../../connectors/avidxchange/types.js";
import type { PostGlJournalInput } from "../../connectors/syspro/index.js";
import type { Executor } from "../../db/client.js";
import type { Dimensions } from "../../db/schema/invoices.js";
import type { RecodeDecision, RecodedLine } from "../approvals/detect-recode.js";
import type { AvidInvoiceLine, Dimension, JournalPlan, ReturnedInvoiceLine } from "../domain.js";
import type { SyncException } from "../exceptions.js";
import type { GlAccountIndex } from "../mapping/catalogs.js";
import type { GlMappingResolver } from "../mapping/resolve.js";
import type { DateWindow, Watermark } from "../watermarks.js";
import type { FlowContext } from "./run-context.js";
import type { PostingRow } from "./posting-ledger.js";

const STREAM = "avidxchange.invoices.modified";
/** Re-read this many days before the watermark's date: a late-stamped change is read twice, never missed. */
const LOOKBACK_DAYS = 2;
/** A stream with no watermark starts this far back (or at the first invoice we sent, if earlier). */
const FIRST_POLL_DAYS = 90;
/** An approver's coding on an invoice in these states will never be paid, so it is not reclassified. */
const NO_RECODE_STATES = new Set(["Rejected", "Void"]);

type InvoiceRow = typeof invoices.$inferSelect;
type LineRow = typeof invoiceLines.$inferSelect;

interface RecodeInputs {
  readonly resolver: GlMappingResolver;
  readonly glAccounts: GlAccountIndex;
}

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
  const [mark] = await ctx.db
    .select()
    .from(watermarks)
    .where(and(eq(watermarks.connectionId, ctx.connection.id), eq(watermarks.stream, STREAM)));
  const current: Watermark | undefined =
    mark && !ctx.run.fullResync
      ? { timestamp: mark.changedAt.toISOString(), key: mark.tieBreakKey }
      : undefined;
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

/** Journals an earlier run left claimed or unknown, whether or not their invoice changed since. */
async function settleOpenClaims(ctx: FlowContext): Promise<void> {
  const open = await ctx.db
    .select({ posting: postings, invoice: invoices })
    .from(postings)
    .innerJoin(invoices, eq(invoices.id, postings.invoiceId))
    .where(
      and(
        eq(postings.connectionId, ctx.connection.id),
        eq(postings.kind, "reclass"),
        inArray(postings.state, ["claimed", "unknown"]),
      ),
    )
    .orderBy(asc(postings.createdAt), asc(postings.id));
  for (const { posting, invoice } of open) {
    await settleReclass(ctx, invoice, posting);
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

async function loadRecodeInputs(ctx: FlowContext): Promise<RecodeInputs> {
  const { mappings, accounts, codes } = await loadMappingInputs(ctx.db, ctx.connection.id);
  return {
    resolver: createGlMappingResolver({
      mappings: mappings.map(glMappingOfRow),
      avidCodes: codes.map((c) => ({ group: c.groupName, value: c.code, active: c.active })),
      glGroup: DEFAULT_GL_GROUP,
    }),
    glAccounts: createGlAccountIndex(accounts.map((a) => ({ code: a.glCode, onHold: !a.active }))),
  };
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

function stampsOf(items: readonly AvidInvoice[]): Watermark[] {
  return items
    .filter((i) => typeof i.LastModifiedDate === "string" && isTimestamp(i.LastModifiedDate))
    .map((i) => ({ timestamp: i.LastModifiedDate!, key: String(i.InvoiceId) }));
}

function isTimestamp(value: string): boolean {
  try {
    watermarkDate(value);
    return !Number.isNaN(Date.parse(asIsoInstant(value)));
  } catch {
    return false;
  }
}

/** `2026-01-22 14:03:11` and zone-less date-times are UTC, as `compareWatermarks` reads them. */
function asIsoInstant(timestamp: string): string {
  const text = timestamp.trim().replace(/^(\d{4}-\d{2}-\d{2}) /, "$1T");
  if (!text.includes("T")) {
    return `${text}T00:00:00Z`;
  }
  return /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
}

interface Matched {
  readonly item: AvidInvoice;
  readonly row: InvoiceRow;
  readonly state: string;
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
      const changedAt = new Date(asIsoInstant(target.timestamp));
      await tx
        .insert(watermarks)
        .values({
          connectionId: ctx.connection.id,
          stream: STREAM,
          changedAt,
          tieBreakKey: target.key,
        })
        .onConflictDoUpdate({
          target: [watermarks.connectionId, watermarks.stream],
          set: { changedAt, tieBreakKey: target.key, updatedAt: sql`now()` },
          // Never backwards, even if two runs overlap.
          setWhere: sql`${watermarks.changedAt} <= ${changedAt.toISOString()}::timestamptz`,
        });
    }
  });
  return target;
}

/** The page's invoices that we sent, by AvidXchange id or our `ExternalInvoiceId`. */
async function matchOurs(ctx: FlowContext, items: readonly AvidInvoice[]): Promise<Matched[]> {
  if (items.length === 0) {
    return [];
  }
  const avidIds = items.map((i) => String(i.InvoiceId));
  const externalIds = items.flatMap((i) => (i.ExternalInvoiceId ? [i.ExternalInvoiceId] : []));
  const rows = await ctx.db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.connectionId, ctx.connection.id),
        or(
          inArray(invoices.avidInvoiceId, avidIds),
          externalIds.length > 0 ? inArray(invoices.externalInvoiceId, externalIds) : sql`false`,
        ),
      ),
    );
  const byAvidId = new Map(rows.filter((r) => r.avidInvoiceId).map((r) => [r.avidInvoiceId!, r]));
  const byExternalId = new Map(rows.map((r) => [r.externalInvoiceId, r]));
  return items.flatMap((item) => {
    const row =
      byAvidId.get(String(item.InvoiceId)) ??
      (item.ExternalInvoiceId ? byExternalId.get(item.ExternalInvoiceId) : undefined);
    const state = item.Status?.Description?.trim() ?? "";
    return row && state ? [{ item, row, state }] : [];
  });
}

async function linesOf(ctx: FlowContext, invoiceIds: readonly string[]) {
  const out = new Map<string, LineRow[]>();
  if (invoiceIds.length === 0) {
    return out;
  }
  const rows = await ctx.db
    .select()
    .from(invoiceLines)
    .where(inArray(invoiceLines.invoiceId, [...invoiceIds]))
    .orderBy(asc(invoiceLines.lineNumber));
  for (const row of rows) {
    out.set(row.invoiceId, [...(out.get(row.invoiceId) ?? []), row]);
  }
  return out;
}

async function reclassPostingsOf(ctx: FlowContext, invoiceIds: readonly string[]) {
  const out = new Map<string, PostingRow[]>();
  if (invoiceIds.length === 0) {
    return out;
  }
  const rows = await ctx.db
    .select()
    .from(postings)
    .where(
      and(
        eq(postings.connectionId, ctx.connection.id),
        eq(postings.kind, "reclass"),
        inArray(postings.invoiceId, [...invoiceIds]),
      ),
    )
    .orderBy(asc(postings.createdAt), asc(postings.id));
  for (const row of rows) {
    out.set(row.invoiceId, [...(out.get(row.invoiceId) ?? []), row]);
  }
  return out;
}

/** What a reclass posting's `request` holds: the journal, and the coding it leaves the invoice in. */
interface ReclassRequest {
  readonly recodeKey: string;
  readonly plan: JournalPlan;
  readonly newBaseline: readonly AvidInvoiceLine[];
  readonly recodedLines: readonly RecodedLine[];
}

function decide(
  ctx: FlowContext,
  inputs: RecodeInputs,
  m: Matched,
  lines: readonly LineRow[],
  reclasses: readonly PostingRow[],
): RecodeDecision | undefined {
  const returned: ReturnedInvoiceLine[] = (m.item.Lines ?? []).map((line) => ({
    lineNumber: line.LineNumber,
    amount: line.Amount,
    glCode: line.GLCode.CodeValue,
    dimensions: (line.Dimensions ?? []).map((d) => ({ group: d.GroupName, value: d.CodeValue })),
  }));
  if (returned.length === 0 || lines.length === 0) {
    return undefined;
  }
  // The coding last accounted for: as of the last posted reclassification, else as sent.
  const posted = reclasses.filter((p) => p.state === "posted");
  const last = posted.at(-1)?.request as ReclassRequest | undefined;
  const baseline = last?.newBaseline ?? asSent(inputs.resolver, lines);
  if (!baseline) {
    ctx.logger.warn(
      { invoiceId: m.row.id },
      "the coding this invoice was sent with no longer resolves; re-codes are not checked",
    );
    return undefined;
  }
  return detectRecode({
    connection: ctx.connection.id,
    avidInvoiceId: String(m.item.InvoiceId),
    supplier: m.row.sysproSupplierCode,
    invoiceNumber: m.row.invoiceNumber,
    baseline,
    baselineVersion: posted.length,
    returned,
    policy: ctx.connection.recodePolicy,
    resolver: inputs.resolver,
    glAccounts: inputs.glAccounts,
  });
}

/** The lines as flow 3 sent them: their stored AvidXchange coding, else the mapping resolved now. */
function asSent(
  resolver: GlMappingResolver,
  lines: readonly LineRow[],
): AvidInvoiceLine[] | undefined {
  const out: AvidInvoiceLine[] = [];
  for (const line of lines) {
    let glCode = line.avidGlCode;
    let dimensions: Dimension[] = dimensionList(line.avidDimensions);
    if (glCode === null) {
      const resolved = resolver.resolve(line.sysproGlCode);
      if (!resolved.ok) {
        return undefined;
      }
      glCode = resolved.coding.glCode;
      dimensions = [...resolved.coding.dimensions];
    }
    out.push({
      lineNumber: line.lineNumber,
      amount: line.amount,
      sysproGlCode: line.sysproGlCode,
      glCode,
      dimensions,
    });
  }
  return out;
}

const dimensionList = (dims: Dimensions | null): Dimension[] =>
  Object.entries(dims ?? {}).map(([group, value]) => ({ group, value }));

const dimensionRecord = (dims: readonly Dimension[]): Dimensions =>
  Object.fromEntries(dims.map((d) => [d.group, d.value]));

/** Records a state change once: the conditional update is the guard against a re-read. */
async function recordState(tx: Executor, ctx: FlowContext, m: Matched): Promise<boolean> {
  const avidInvoiceId = String(m.item.InvoiceId);
  const [updated] = await tx
    .update(invoices)
    .set({
      approvalState: m.state,
      approvalStateAt: sql`now()`,
      avidInvoiceId: sql`coalesce(${invoices.avidInvoiceId}, ${avidInvoiceId})`,
    })
    .where(
      and(eq(invoices.id, m.row.id), sql`${invoices.approvalState} is distinct from ${m.state}`),
    )
    .returning({ id: invoices.id });
  if (!updated) {
    return false;
  }
  const from = m.row.approvalState;
  const transactionId = ctx.newTransactionId();
  const lastStep = m.item.ApprovalHistory?.at(-1);
  await ctx.recordTransaction(tx, {
    id: transactionId,
    kind: "approval.received",
    subjectType: "invoice",
    subjectId: m.row.id,
    input: { avidInvoice: m.item },
    state: "succeeded",
    result: { from, to: m.state },
  });
  await ctx.audit(tx, {
    type: "invoice.approval_state",
    transactionId,
    subjectType: "invoice",
    subjectId: m.row.id,
    data: {
      from,
      to: m.state,
      avidInvoiceId,
      supplier: m.row.sysproSupplierCode,
      invoice: m.row.invoiceNumber,
      ...(m.item.LastModifiedDate ? { lastModified: m.item.LastModifiedDate } : {}),
      ...(lastStep ? { approver: lastStep.Approver ?? null, action: lastStep.Action } : {}),
    },
  });
  ctx.counts.updated += 1;
  return true;
}

/** Shows the approver's coding on the invoice's lines. */
async function showRecode(
  tx: Executor,
  invoiceId: string,
  recoded: readonly RecodedLine[],
): Promise<void> {
  for (const line of recoded) {
    const dims = dimensionRecord(line.to.dimensions);
    await tx
      .update(invoiceLines)
      .set({ recodedGlCode: line.to.glCode, recodedDimensions: dims, recodedAt: sql`now()` })
      .where(
        and(
          eq(invoiceLines.invoiceId, invoiceId),
          eq(invoiceLines.lineNumber, line.lineNumber),
          or(
            sql`${invoiceLines.recodedGlCode} is distinct from ${line.to.glCode}`,
            sql`${invoiceLines.recodedDimensions} is distinct from ${JSON.stringify(dims)}::jsonb`,
          ),
        ),
      );
  }
}

/** Raised once per re-code: a re-read, or a re-code a person already skipped, raises nothing. */
async function raiseRecodeException(
  tx: Executor,
  ctx: FlowContext,
  m: Matched,
  decision: Extract<RecodeDecision, { action: "exception" }>,
): Promise<void> {
  const [seen] = await tx
    .select({ id: exceptions.id })
    .from(exceptions)
    .where(
      and(
        eq(exceptions.connectionId, ctx.connection.id),
        eq(exceptions.subjectType, "invoice"),
        eq(exceptions.subjectId, m.row.id),
        eq(exceptions.reasonCode, decision.exception.reason),
        sql`${exceptions.rawPayload} -> 'details' ->> 'recodeKey' = ${decision.recodeKey}`,
      ),
    )
    .limit(1);
  if (seen) {
    return;
  }
  const exception: SyncException = {
    ...decision.exception,
    details: { ...decision.exception.details, recodeKey: decision.recodeKey },
  };
  await ctx.raiseException(tx, exception, subjectOf(m.row), m.item);
}

const subjectOf = (row: InvoiceRow) => ({
  type: "invoice",
  id: row.id,
  ref: `${row.sysproSupplierCode}/${row.invoiceNumber}`,
});

/** Claims the journal (committed), then posts it; a claim found again is settled instead. */
async function reclassify(
  ctx: FlowContext,
  row: InvoiceRow,
  decision: Extract<RecodeDecision, { action: "journal" }>,
): Promise<void> {
  const request: ReclassRequest = {
    recodeKey: decision.recodeKey,
    plan: decision.plan,
    newBaseline: decision.newBaseline,
    recodedLines: decision.recodedLines,
  };
  const transactionId = ctx.newTransactionId();
  const { fresh, posting } = await claimPosting(ctx.db, {
    connectionId: ctx.connection.id,
    key: { kind: "reclass", invoiceId: row.id, recodeRef: decision.ledgerKey.reference },
    transactionId,
    method: "GENTJL",
    amount: formatCents(journalTotals(decision.plan.lines).debit),
    currency: row.currency,
    request,
  });
  if (fresh) {
    await ctx.recordTransaction(ctx.db, {
      id: transactionId,
      kind: "reclass.post",
      subjectType: "invoice",
      subjectId: row.id,
      input: request,
      state: "pending",
    });
    await postReclass(ctx, row, posting, request);
  }
  // A claim found again was made earlier in this run (the run's start settles older ones): asking
  // SYSPRO seconds after an ambiguous post could miss a journal still being written, so the next
  // run asks.
}

/** A claim an earlier attempt left open: posted already if SYSPRO has its reference, else post it. */
async function settleReclass(ctx: FlowContext, row: InvoiceRow, posting: PostingRow) {
  const request = posting.request as ReclassRequest;
  let found: string | undefined;
  try {
    found = await findGlJournalByReference(
      ctx.connectors.syspro.enet,
      request.plan.reference,
      signalOf(ctx),
    );
  } catch (thrown) {
    if (isSysproError(thrown) && thrown.transient) {
      ctx.logger.warn({ err: thrown, postingId: posting.id }, "journal lookup failed; later");
      return;
    }
    // Without an answer from SYSPRO the journal is never posted again: a person decides.
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    await withTransaction(ctx.db, async (tx) => {
      await markPostingUnknown(tx, posting.id, message);
      await ctx.raiseException(
        tx,
        syncException(
          "POSTING_OUTCOME_UNKNOWN",
          `reclassification journal ${request.plan.reference} may be in SYSPRO, and SYSPRO could not be asked (${message}); check GL journals for this reference before posting by hand`,
          { reference: request.plan.reference, postingId: posting.id },
        ),
        subjectOf(row),
        request,
        posting.transactionId,
      );
    });
    return;
  }
  if (found !== undefined) {
    await settled(ctx, row, posting, request, { sysproReference: found, response: { found } });
    return;
  }
  await postReclass(ctx, row, posting, request);
}

async function postReclass(
  ctx: FlowContext,
  row: InvoiceRow,
  posting: PostingRow,
  request: ReclassRequest,
): Promise<void> {
  await markPostingAttempt(ctx.db, posting.id);
  let result;
  try {
    result = await ctx.connectors.syspro.enet.postGlJournal(toGentjl(request.plan), signalOf(ctx));
  } catch (thrown) {
    if (isSysproAmbiguousWriteError(thrown)) {
      // The next run asks SYSPRO for the reference before posting again.
      await markPostingUnknown(ctx.db, posting.id, thrown.message);
      return;
    }
    if (isSysproBusinessRejectionError(thrown) || isSysproInvalidDocumentError(thrown)) {
      await withTransaction(ctx.db, async (tx) => {
        await markPostingFailed(tx, posting.id, thrown.message, {
          messages: isSysproBusinessRejectionError(thrown) ? thrown.messages : [],
        });
        await ctx.recordTransaction(tx, {
          id: posting.transactionId,
          kind: "reclass.post",
          subjectType: "invoice",
          subjectId: row.id,
          input: request,
          state: "exception",
          error: thrown.message,
        });
        await ctx.raiseException(
          tx,
          syncException("REMOTE_REJECTED", thrown.message, {
            reference: request.plan.reference,
            postingId: posting.id,
          }),
          subjectOf(row),
          request,
          posting.transactionId,
        );
      });
      return;
    }
    if (isSysproError(thrown) && thrown.transient) {
      // Nothing was sent; the claim stays and the next run settles it.
      ctx.logger.warn({ err: thrown, postingId: posting.id }, "journal not sent; later");
      return;
    }
    throw thrown;
  }
  await settled(ctx, row, posting, request, {
    sysproReference: glJournalReference(result) ?? request.plan.reference,
    response: result,
  });
}

async function settled(
  ctx: FlowContext,
  row: InvoiceRow,
  posting: PostingRow,
  request: ReclassRequest,
  outcome: { readonly sysproReference: string; readonly response: unknown },
): Promise<void> {
  await withTransaction(ctx.db, async (tx) => {
    await markPostingPosted(tx, posting.id, outcome);
    await ctx.recordTransaction(tx, {
      id: posting.transactionId,
      kind: "reclass.post",
      subjectType: "invoice",
      subjectId: row.id,
      input: request,
      state: "succeeded",
      result: { sysproReference: outcome.sysproReference },
    });
    await ctx.audit(tx, {
      type: "invoice.reclassified",
      transactionId: posting.transactionId,
      subjectType: "invoice",
      subjectId: row.id,
      data: {
        supplier: row.sysproSupplierCode,
        invoice: row.invoiceNumber,
        journalReference: request.plan.reference,
        sysproReference: outcome.sysproReference,
        amount: posting.amount,
        lines: request.recodedLines.map((l) => ({
          lineNumber: l.lineNumber,
          amount: l.amount,
          fromSysproGlCode: l.fromSysproGlCode,
          toGlCode: l.to.glCode,
        })),
        journal: request.plan.lines.map((l) => ({
          glCode: l.glCode,
          side: l.side,
          amount: l.amount,
        })),
      },
    });
    await showRecode(tx, row.id, request.recodedLines);
  });
  ctx.counts.created += 1;
}

function toGentjl(plan: JournalPlan): PostGlJournalInput {
  return {
    JournalReference: plan.reference,
    Notation: plan.notation.slice(0, 100),
    ...(plan.journalDate ? { JournalDate: plan.journalDate } : {}),
    JournalDetails: plan.lines.map((line) => ({
      LedgerCode: line.glCode,
      EntryAmount: line.side === "debit" ? line.amount : `-${line.amount}`,
      Reference: line.reference.slice(0, 30),
      ...(line.comment ? { Comment: line.comment.slice(0, 100) } : {}),
    })),
  };
}

const signalOf = (ctx: FlowContext) => (ctx.signal ? { signal: ctx.signal } : {});
