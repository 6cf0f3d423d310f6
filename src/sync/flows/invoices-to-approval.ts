import { and, eq, inArray } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { invoices } from "../../db/schema/index.js";
import { syncException } from "../exceptions.js";
import { externalInvoiceId } from "../invoices/external-invoice-id.js";
import { toAvidInvoice } from "../invoices/to-avid-invoice.js";
import { advanceWatermark, pollFromDate } from "../watermarks.js";
import { avidInvoiceWire } from "./avid-invoice-wire.js";
import { withDistribution } from "./invoice-distribution.js";
import { evaluationHash, heldUnchangedOf, loadInvoiceMapping } from "./invoice-evaluation.js";
import { linkSuppliers, upsertInvoice } from "./invoice-rows.js";
import { vendorsFirst } from "./invoice-vendors-first.js";
import { loadStreamWatermark, saveStreamWatermark } from "./stream-watermark.js";

import type { AvidInvoiceInput, AvidVendorInput } from "../../connectors/avidxchange/types.js";
import type { ApInvoice } from "../../connectors/syspro/types.js";
import type { Executor } from "../../db/client.js";
import type { AvidInvoice, Invoice, TransactionId } from "../domain.js";
import type { Watermark } from "../watermarks.js";
import type { InvoiceMapping } from "./invoice-evaluation.js";
import type { PageInvoice } from "./invoice-distribution.js";
import type { FlowContext } from "./run-context.js";

const STREAM = "syspro.ApInvoice";
/**
 * Polls re-read from the watermark date minus this many days. `JournalDate` is day-granular and an
 * AP journal can be entered (or released from a held batch) a day or two after the date it carries,
 * across a weekend: three days covers a Friday entry posted on Monday. Re-reading costs only the
 * rows of those days, recognised as already sent. No watermark or schedule column holds a
 * per-stream lookback yet; when one is added, read it here.
 */
const LOOKBACK_DAYS = 3;
const INITIAL_FROM = "2000-01-01";
const BATCH = 100;

/** Thrown when invoice sync is asked of a connection whose mappings are not ready. */
export class ConnectionNotReadyError extends Error {
  override readonly name = "ConnectionNotReadyError";
  readonly code = "CONNECTION_NOT_READY";
}
export const isConnectionNotReadyError = (e: unknown): e is ConnectionNotReadyError =>
  e instanceof ConnectionNotReadyError;

/**
 * Flow 3, invoices → approval: open `ApInvoice`s by `JournalDate` watermark (inclusive, minus a
 * lookback), with their GL distribution; every line mapped (an unmapped line is an exception naming
 * the code, never a guess); a supplier without a vendor gets one first. Exactly once: the intent (invoice row and
 * pending transaction) commits before the post, AvidXchange dedups on `ExternalInvoiceId`, and an
 * invoice already carrying its AvidXchange id is never posted again. The page's effects and the
 * watermark commit in one transaction.
 */
export async function syncInvoicesToApproval(ctx: FlowContext): Promise<void> {
  if (ctx.connection.readiness === "not_ready" && !ctx.run.force && !ctx.run.fullResync) {
    throw new ConnectionNotReadyError(
      "mapping readiness is not_ready: fix the unmapped GL codes or force the run",
    );
  }
  await linkSuppliers(ctx.db, ctx.connection.id);
  const { resolver, mappingKey } = await loadInvoiceMapping(ctx);
  const current = await loadStreamWatermark(ctx, STREAM);
  const since = pollFromDate({
    ...(current ? { watermark: current } : {}),
    lookbackDays: LOOKBACK_DAYS,
    initialFrom: INITIAL_FROM,
  });
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  let watermark = current;
  for await (const page of ctx.connectors.syspro.odata.apInvoices({
    since,
    openOnly: true,
    ...signal,
  })) {
    watermark = await syncInvoicePage(ctx, { resolver, mappingKey }, page, watermark);
    await ctx.progress(`invoices: ${ctx.counts.read} read`);
  }
}

async function syncInvoicePage(
  ctx: FlowContext,
  mapping: InvoiceMapping,
  page: readonly ApInvoice[],
  watermark: Watermark | undefined,
): Promise<Watermark | undefined> {
  ctx.counts.read += page.length;
  const invoicesOfPage = await withDistribution(ctx, page);
  const next = advanceWatermark(
    watermark,
    page
      .filter((p) => p.JournalDate)
      .map((p) => ({ timestamp: p.JournalDate!, key: `${p.Supplier.trim()}/${p.Invoice.trim()}` })),
  );
  const options = { skipHeldUnchangedUnder: mapping.mappingKey };
  await moveInvoices(ctx, mapping, invoicesOfPage, options, async (tx) => {
    if (next) {
      await saveStreamWatermark(tx, ctx.connection.id, STREAM, next);
    }
  });
  return next;
}

export interface InvoiceMoveOptions {
  /** Compute the requests and GL lines and send nothing, write nothing. */
  readonly dryRun?: boolean;
  /** Move under this transaction id (a replay) instead of the row's or a new one. */
  readonly transactionId?: TransactionId;
  /**
   * The page loop only: an invoice held by an evaluation with this mapping key, whose content and
   * vendor have not changed since, stays held without being evaluated again. Replay and exception
   * retry leave it unset: they always evaluate.
   */
  readonly skipHeldUnchangedUnder?: string;
}

/** What happened to one invoice. */
export type InvoiceMove =
  | { readonly outcome: "unchanged"; readonly avidInvoiceId: string | null }
  | {
      readonly outcome: "held";
      readonly transactionId?: TransactionId;
      readonly reasons: readonly string[];
    }
  | {
      readonly outcome: "would_send";
      /** The vendor upsert that would go first (its supplier has no vendor yet), then the invoice. */
      readonly vendorRequest?: AvidVendorInput;
      readonly request: AvidInvoiceInput;
      readonly glLines: AvidInvoice["lines"];
    }
  | {
      readonly outcome: "sent";
      readonly transactionId: TransactionId;
      readonly avidInvoiceId: string;
      readonly request: AvidInvoiceInput;
    }
  | { readonly outcome: "failed"; readonly transactionId: TransactionId; readonly error: string };

/** The stored input of an `invoice.send` transaction. */
export interface InvoiceSendInput {
  readonly apInvoice: ApInvoice;
  readonly invoice: Invoice;
}

/**
 * One invoice from its stored input, through the same guards as the page loop (already sent, vendor
 * first, every line mapped, AvidXchange's ExternalInvoiceId dedup): replay and exception retry.
 */
export async function sendInvoice(
  ctx: FlowContext,
  input: InvoiceSendInput,
  options: InvoiceMoveOptions = {},
): Promise<InvoiceMove> {
  const mapping = await loadInvoiceMapping(ctx);
  const supplier = input.invoice.supplier;
  const [move] = await moveInvoices(
    ctx,
    mapping,
    [
      {
        raw: input.apInvoice,
        invoice: input.invoice,
        externalId: externalInvoiceId(ctx.connection.id, supplier, input.invoice.invoiceNumber),
        distribution: [],
      },
    ],
    options,
  );
  return move!;
}

/**
 * Invoices with their GL lines: the intent (rows, lines, pending transactions) commits first, then
 * one post per batch, then the outcomes (and the caller's `finally`, e.g. the watermark) commit
 * together. Returns one move per item, in order.
 */
async function moveInvoices(
  ctx: FlowContext,
  { resolver, mappingKey }: InvoiceMapping,
  items: readonly PageInvoice[],
  options: InvoiceMoveOptions,
  commitAlso?: (tx: Executor) => Promise<void>,
): Promise<InvoiceMove[]> {
  const connectionId = ctx.connection.id;
  const existing = new Map(
    (
      await ctx.db
        .select()
        .from(invoices)
        .where(
          and(
            eq(invoices.connectionId, connectionId),
            inArray(
              invoices.externalInvoiceId,
              items.map((i) => i.externalId),
            ),
          ),
        )
    ).map((r) => [r.externalInvoiceId, r]),
  );
  const moves = new Map<string, InvoiceMove>();
  const heldUnchanged = await heldUnchangedOf(ctx, items, existing, options.skipHeldUnchangedUnder);
  const pending = items.filter((item) => {
    const row = existing.get(item.externalId);
    if (row?.avidInvoiceId || heldUnchanged.has(item.externalId)) {
      ctx.counts.unchanged += 1;
      moves.set(item.externalId, {
        outcome: "unchanged",
        avidInvoiceId: row?.avidInvoiceId ?? null,
      });
      return false;
    }
    return true;
  });
  const vendors = await vendorsFirst(
    ctx,
    pending.map((i) => i.invoice.supplier),
    options.dryRun ?? false,
  );

  type Ready = { raw: ApInvoice; invoice: Invoice; avid: AvidInvoice; id: string };
  const ready: Ready[] = [];
  const plan = pending.map((item) => {
    const row = existing.get(item.externalId);
    // A pending intent from an earlier attempt keeps its transaction id (same outbound record).
    const transactionId = options.transactionId ?? row?.transactionId ?? ctx.newTransactionId();
    const result = toAvidInvoice({
      connection: connectionId,
      invoice: item.invoice,
      vendorSynced: vendors.synced.has(item.invoice.supplier),
      resolver,
      transactionId,
    });
    return { item, transactionId, result };
  });
  if (options.dryRun) {
    for (const { item, result } of plan) {
      const vendorRequest = vendors.wouldSend.get(item.invoice.supplier);
      moves.set(
        item.externalId,
        result.ok
          ? {
              outcome: "would_send",
              ...(vendorRequest ? { vendorRequest } : {}),
              request: avidInvoiceWire(result.invoice),
              glLines: result.invoice.lines,
            }
          : { outcome: "held", reasons: result.exceptions.map((e) => e.message) },
      );
    }
    return items.map((i) => moves.get(i.externalId)!);
  }

  // The intent first: invoice rows, lines and pending transactions commit before any post.
  await withTransaction(ctx.db, async (tx) => {
    for (const { item, transactionId, result } of plan) {
      const id = await upsertInvoice(
        tx,
        ctx,
        item,
        transactionId,
        result.ok ? "pending" : "exception",
        result.ok ? result.invoice.lines : [],
        result.ok
          ? null
          : evaluationHash(item.invoice, vendors.synced.has(item.invoice.supplier), mappingKey),
      );
      await ctx.recordTransaction(tx, {
        id: transactionId,
        kind: "invoice.send",
        subjectType: "invoice",
        subjectId: id,
        input: { apInvoice: item.raw, invoice: item.invoice },
        state: result.ok ? "pending" : "exception",
      });
      if (result.ok) {
        ready.push({ raw: item.raw, invoice: item.invoice, avid: result.invoice, id });
      } else {
        moves.set(item.externalId, {
          outcome: "held",
          transactionId,
          reasons: result.exceptions.map((e) => e.message),
        });
        for (const exception of result.exceptions) {
          await ctx.raiseException(
            tx,
            exception,
            { type: "invoice", id, ref: `${item.invoice.supplier}/${item.invoice.invoiceNumber}` },
            item.raw,
            transactionId,
          );
        }
      }
    }
  });

  const sent: { item: Ready; ok: boolean; remoteId?: string; messages?: string }[] = [];
  for (let i = 0; i < ready.length; i += BATCH) {
    const batch = ready.slice(i, i + BATCH);
    const results = await ctx.connectors.avid.invoices.post(
      batch.map((r) => avidInvoiceWire(r.avid)),
      ctx.signal ? { signal: ctx.signal } : {},
    );
    batch.forEach((item, j) => {
      const result = results[j];
      if (result?.ok) {
        sent.push({ item, ok: true, remoteId: String(result.item.InvoiceId) });
      } else {
        sent.push({
          item,
          ok: false,
          messages: result?.messages.join("; ") ?? "no result for this invoice",
        });
      }
    });
  }

  await withTransaction(ctx.db, async (tx) => {
    for (const s of sent) {
      const transactionId = s.item.avid.transactionId;
      const externalId = s.item.avid.externalInvoiceId;
      if (s.ok) {
        moves.set(externalId, {
          outcome: "sent",
          transactionId,
          avidInvoiceId: s.remoteId ?? "",
          request: avidInvoiceWire(s.item.avid),
        });
        await tx
          .update(invoices)
          .set({
            avidInvoiceId: s.remoteId ?? null,
            syncState: "synced",
            sentAt: new Date(),
            lastSyncedAt: new Date(),
          })
          .where(eq(invoices.id, s.item.id));
        ctx.counts.created += 1;
        await ctx.resolveExceptions(tx, { type: "invoice", id: s.item.id });
        await ctx.recordTransaction(tx, {
          id: transactionId,
          kind: "invoice.send",
          subjectType: "invoice",
          subjectId: s.item.id,
          input: { apInvoice: s.item.raw, invoice: s.item.invoice },
          state: "succeeded",
          result: { avidInvoiceId: s.remoteId },
        });
        await ctx.audit(tx, {
          type: "invoice.sent",
          transactionId,
          subjectType: "invoice",
          subjectId: s.item.id,
          data: {
            supplier: s.item.invoice.supplier,
            invoice: s.item.invoice.invoiceNumber,
            externalInvoiceId: s.item.avid.externalInvoiceId,
            avidInvoiceId: s.remoteId,
          },
        });
      } else {
        moves.set(externalId, { outcome: "failed", transactionId, error: s.messages ?? "" });
        await tx.update(invoices).set({ syncState: "exception" }).where(eq(invoices.id, s.item.id));
        await ctx.recordTransaction(tx, {
          id: transactionId,
          kind: "invoice.send",
          subjectType: "invoice",
          subjectId: s.item.id,
          input: { apInvoice: s.item.raw, invoice: s.item.invoice },
          state: "exception",
          error: s.messages ?? "",
        });
        await ctx.raiseException(
          tx,
          syncException(
            "REMOTE_REJECTED",
            `AvidXchange refused invoice ${s.item.invoice.supplier}/${s.item.invoice.invoiceNumber}: ${s.messages ?? ""}`,
          ),
          {
            type: "invoice",
            id: s.item.id,
            ref: `${s.item.invoice.supplier}/${s.item.invoice.invoiceNumber}`,
          },
          s.item.raw,
          transactionId,
        );
      }
    }
    await commitAlso?.(tx);
  });
  return items.map((i) => moves.get(i.externalId)!);
}
