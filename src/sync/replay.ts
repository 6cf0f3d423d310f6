import { and, desc, eq, gt } from "drizzle-orm";
import { z } from "zod";

import { transactions } from "../db/schema/index.js";
import { sendInvoice } from "./flows/invoices-to-approval.js";
import { paymentPostReplay, paymentReverseReplay } from "./flows/payment-replay.js";
import { upsertPurchaseOrder } from "./flows/purchase-orders.js";
import { reclassPostReplay } from "./flows/reclass-replay.js";
import { RECLASS_POST } from "./flows/recode-journals.js";
import { upsertVendorForSupplier } from "./flows/suppliers-to-vendors.js";
import {
  SUPPLIER_CREATE,
  moveVendorOnlyInAvid,
  sysproSupplierExists,
} from "./flows/vendors-only-in-avid.js";

import type { AvidVendor } from "../connectors/avidxchange/types.js";
import type { ApSupplier, PorMasterHdr } from "../connectors/syspro/types.js";
import type { InvoiceSendInput } from "./flows/invoices-to-approval.js";
import type { FlowContext } from "./flows/run-context.js";

/**
 * Replay: one transaction again, from its stored input, through the same guards as its flow. An
 * applied transaction is a no-op that says why; a dry run returns the requests (and GL lines) it
 * would send and writes nothing.
 *
 * Adding a kind: write a `ReplayHandler` next to the flow (it calls the flow's one-record function
 * with `dryRun` and the transaction's id) and add one line to `REPLAY_HANDLERS`, keyed by the
 * `transactions.kind` the flow records.
 */

export type TransactionRow = typeof transactions.$inferSelect;

export type ReplayOutcome = "noop" | "applied" | "would_apply" | "failed";

/** A request a replay sent or would send (a dry run's plan), as the operator reads it. */
export interface ReplayRequest {
  readonly system: "avidxchange" | "syspro";
  /** e.g. `vendors.upsert`, `invoices.post`, `APSSSP Setup/Add`. */
  readonly operation: string;
  readonly body: unknown;
}

export interface ReplayResult {
  readonly outcome: ReplayOutcome;
  /** One sentence for the operator: why nothing happened, what was applied, or why it failed. */
  readonly detail: string;
  readonly requests?: readonly ReplayRequest[];
  readonly glLines?: readonly unknown[];
}

export interface ReplayOptions {
  readonly dryRun: boolean;
  readonly transaction: TransactionRow;
}

export interface ReplayHandler {
  /** `input` is the stored `transactions.input`: validate it, it may predate the code. */
  apply(ctx: FlowContext, input: unknown, options: ReplayOptions): Promise<ReplayResult>;
}

/** Thrown when a stored input does not have the shape its handler needs. */
export class ReplayInputError extends Error {
  override readonly name = "ReplayInputError";
  readonly code = "REPLAY_INPUT_INVALID";
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown, kind: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ReplayInputError(`the stored input of this ${kind} transaction is not replayable`);
  }
  return parsed.data;
}

const apSupplierShape = z.looseObject({ Supplier: z.string(), SupplierName: z.string() });

export const vendorUpsertReplay: ReplayHandler = {
  async apply(ctx, input, { dryRun, transaction }) {
    const { supplier } = parseInput(
      z.looseObject({ supplier: apSupplierShape }),
      input,
      transaction.kind,
    );
    const raw = supplier as unknown as ApSupplier;
    const move = await upsertVendorForSupplier(ctx, raw, { dryRun, transactionId: transaction.id });
    const code = raw.Supplier.trim();
    switch (move.outcome) {
      case "unchanged":
        return {
          outcome: "noop",
          detail: `already applied: AvidXchange holds vendor ${code} as sent${move.avidVendorId ? ` (id ${move.avidVendorId})` : ""}`,
        };
      case "would_send":
        return {
          outcome: "would_apply",
          detail: `would ${move.action} vendor ${code}`,
          requests: [{ system: "avidxchange", operation: "vendors.upsert", body: move.request }],
        };
      case "sent":
        return {
          outcome: "applied",
          detail: `${move.created ? "created" : "updated"} vendor ${code} (id ${move.avidVendorId ?? "unknown"})`,
          requests: [{ system: "avidxchange", operation: "vendors.upsert", body: move.request }],
        };
      case "failed":
        return { outcome: "failed", detail: `AvidXchange refused vendor ${code}: ${move.error}` };
    }
  },
};

export const invoiceSendReplay: ReplayHandler = {
  async apply(ctx, input, { dryRun, transaction }) {
    const stored = parseInput(
      z.looseObject({
        apInvoice: z.looseObject({ Supplier: z.string(), Invoice: z.string() }),
        invoice: z.looseObject({
          supplier: z.string(),
          invoiceNumber: z.string(),
          lines: z.array(z.unknown()),
        }),
      }),
      input,
      transaction.kind,
    ) as unknown as InvoiceSendInput;
    const ref = `${stored.invoice.supplier}/${stored.invoice.invoiceNumber}`;
    const move = await sendInvoice(ctx, stored, { dryRun, transactionId: transaction.id });
    switch (move.outcome) {
      case "unchanged":
        return {
          outcome: "noop",
          detail: `already applied: invoice ${ref} is in AvidXchange (id ${move.avidInvoiceId ?? "unknown"})`,
        };
      case "would_send":
        return {
          outcome: "would_apply",
          detail: `would send invoice ${ref}${move.vendorRequest ? ", its vendor first" : ""}`,
          requests: [
            ...(move.vendorRequest
              ? [
                  {
                    system: "avidxchange" as const,
                    operation: "vendors.upsert",
                    body: move.vendorRequest,
                  },
                ]
              : []),
            { system: "avidxchange", operation: "invoices.post", body: move.request },
          ],
          glLines: move.glLines,
        };
      case "sent":
        return {
          outcome: "applied",
          detail: `sent invoice ${ref} (id ${move.avidInvoiceId})`,
          requests: [{ system: "avidxchange", operation: "invoices.post", body: move.request }],
        };
      case "held":
        return {
          outcome: "failed",
          detail: `invoice ${ref} ${dryRun ? "would be" : "is"} held: ${move.reasons.join("; ")}`,
        };
      case "failed":
        return { outcome: "failed", detail: `AvidXchange refused invoice ${ref}: ${move.error}` };
    }
  },
};

export const purchaseOrderUpsertReplay: ReplayHandler = {
  async apply(ctx, input, { dryRun, transaction }) {
    const { porMasterHdr } = parseInput(
      z.looseObject({
        porMasterHdr: z.looseObject({ PurchaseOrder: z.string(), Supplier: z.string() }),
      }),
      input,
      transaction.kind,
    );
    const header = porMasterHdr as unknown as PorMasterHdr;
    const move = await upsertPurchaseOrder(ctx, header, { dryRun, transactionId: transaction.id });
    const po = move.poNumber;
    switch (move.outcome) {
      case "unchanged":
        return { outcome: "noop", detail: `already applied: AvidXchange holds PO ${po} as sent` };
      case "held":
        return { outcome: "failed", detail: `PO ${po} is held (see its exception)` };
      case "would_send":
        return {
          outcome: "would_apply",
          detail: `would send PO ${po}`,
          requests: [
            { system: "avidxchange", operation: "purchaseOrders.upsert", body: move.request },
          ],
        };
      case "sent":
        return {
          outcome: "applied",
          detail: `sent PO ${po}`,
          requests: [
            { system: "avidxchange", operation: "purchaseOrders.upsert", body: move.request },
          ],
        };
      case "failed":
        return { outcome: "failed", detail: `AvidXchange refused PO ${po}: ${move.error ?? ""}` };
    }
  },
};

export const supplierCreateReplay: ReplayHandler = {
  async apply(ctx, input, { dryRun, transaction }) {
    const stored = parseInput(
      z.looseObject({
        vendor: z.looseObject({ ExternalVendorCode: z.string() }),
        defaults: z.looseObject({}).optional(),
      }),
      input,
      transaction.kind,
    );
    const vendor = stored.vendor as unknown as AvidVendor;
    const code = vendor.ExternalVendorCode.trim();
    if (await sysproSupplierExists(ctx, code)) {
      return { outcome: "noop", detail: `already applied: SYSPRO has supplier ${code}` };
    }
    return vendorOnlyResult(
      await moveVendorOnlyInAvid(ctx, vendor, stored.defaults ?? {}, {
        dryRun,
        transactionId: transaction.id,
      }),
    );
  },
};

export function vendorOnlyResult(
  move: Awaited<ReturnType<typeof moveVendorOnlyInAvid>>,
): ReplayResult {
  switch (move.outcome) {
    case "would_create":
      return {
        outcome: "would_apply",
        detail: move.detail,
        requests: [{ system: "syspro", operation: "APSSSP Setup/Add", body: move.request }],
      };
    case "created":
      return {
        outcome: "applied",
        detail: move.detail,
        requests: [{ system: "syspro", operation: "APSSSP Setup/Add", body: move.request }],
      };
    case "skipped":
      return { outcome: "noop", detail: move.detail };
    case "held":
    case "failed":
      return { outcome: "failed", detail: move.detail };
  }
}

/** The replay handler of each transaction kind (`transactions.kind`). */
export const REPLAY_HANDLERS: Readonly<Record<string, ReplayHandler>> = {
  "vendor.upsert": vendorUpsertReplay,
  "invoice.send": invoiceSendReplay,
  "purchase_order.upsert": purchaseOrderUpsertReplay,
  [SUPPLIER_CREATE]: supplierCreateReplay,
  "payment.post": paymentPostReplay,
  "payment.reverse": paymentReverseReplay,
  [RECLASS_POST]: reclassPostReplay,
};

export function replayHandlerFor(kind: string): ReplayHandler | undefined {
  return Object.hasOwn(REPLAY_HANDLERS, kind) ? REPLAY_HANDLERS[kind] : undefined;
}

/**
 * Replays one transaction. A later succeeded movement of the same subject supersedes it (replaying
 * the older input would undo a newer one), which is reported as a no-op like any applied one.
 */
export async function replayTransaction(
  ctx: FlowContext,
  transaction: TransactionRow,
  options: { readonly dryRun: boolean },
): Promise<ReplayResult> {
  const handler = replayHandlerFor(transaction.kind);
  if (!handler) {
    return {
      outcome: "failed",
      detail: `transactions of kind "${transaction.kind}" cannot be replayed yet`,
    };
  }
  if (transaction.subjectType && transaction.subjectId) {
    const [later] = await ctx.db
      .select({ id: transactions.id })
      .from(transactions)
      .where(
        and(
          eq(transactions.connectionId, transaction.connectionId),
          eq(transactions.kind, transaction.kind),
          eq(transactions.subjectType, transaction.subjectType),
          eq(transactions.subjectId, transaction.subjectId),
          eq(transactions.state, "succeeded"),
          gt(transactions.id, transaction.id),
        ),
      )
      .orderBy(desc(transactions.id))
      .limit(1);
    if (later) {
      return {
        outcome: "noop",
        detail: `superseded: transaction ${later.id} moved this ${transaction.subjectType} since`,
      };
    }
  }
  try {
    return await handler.apply(ctx, transaction.input, { dryRun: options.dryRun, transaction });
  } catch (err) {
    // A malformed stored input fails the same way every time: report it, do not retry it.
    if (err instanceof ReplayInputError) {
      return { outcome: "failed", detail: err.message };
    }
    throw err;
  }
}
