import { and, eq, inArray, notInArray, sql } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { purchaseOrderLines, purchaseOrders, suppliers } from "../../db/schema/index.js";
import { syncException } from "../exceptions.js";
import { extendToCents, formatCents, isDecimalString } from "../money.js";
import { toAvidPurchaseOrder } from "../purchase-orders/to-avid-po.js";
import { advanceWatermark, pollFromDate } from "../watermarks.js";
import { loadStreamWatermark, saveStreamWatermark } from "./stream-watermark.js";

import type { AvidPurchaseOrderInput } from "../../connectors/avidxchange/types.js";
import type { PorMasterDetail, PorMasterHdr } from "../../connectors/syspro/types.js";
import type { Executor } from "../../db/client.js";
import type { PurchaseOrder, TransactionId } from "../domain.js";
import type { AvidPurchaseOrder } from "../purchase-orders/to-avid-po.js";
import type { Watermark } from "../watermarks.js";
import type { FlowContext } from "./run-context.js";

const STREAM = "syspro.PorMasterHdr";
/**
 * `OrderEntryDate` is a day; an order keyed late (or amended under its entry date) lands behind
 * the watermark. Three days covers a weekend; the content hash makes the re-read a no-op. No
 * watermark or schedule column holds a per-stream lookback yet.
 */
const LOOKBACK_DAYS = 3;
const INITIAL_FROM = "2000-01-01";

/**
 * Flow 2, purchase orders → AvidXchange: `PorMasterHdr` + `PorMasterDetail` by `OrderEntryDate`
 * watermark (inclusive, minus a lookback), upserted by PO number and re-sent only when the content
 * hash changed. AvidXchange upserts by `ExternalCode`, so a repeated send updates, never duplicates.
 * The page's rows, audits and watermark commit in one transaction.
 */
export async function syncPurchaseOrders(ctx: FlowContext): Promise<void> {
  const current = await loadStreamWatermark(ctx, STREAM);
  const since = pollFromDate({
    ...(current ? { watermark: current } : {}),
    lookbackDays: LOOKBACK_DAYS,
    initialFrom: INITIAL_FROM,
  });
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  let watermark = current;
  for await (const page of ctx.connectors.syspro.odata.porMasterHdrs({ since, ...signal })) {
    watermark = await syncPoPage(ctx, page, watermark);
    await ctx.progress(`purchase orders: ${ctx.counts.read} read`);
  }
}

async function syncPoPage(
  ctx: FlowContext,
  page: readonly PorMasterHdr[],
  watermark: Watermark | undefined,
): Promise<Watermark | undefined> {
  const connectionId = ctx.connection.id;
  const next = advanceWatermark(
    watermark,
    page
      .filter((p) => p.OrderEntryDate)
      .map((p) => ({ timestamp: p.OrderEntryDate!, key: p.PurchaseOrder.trim() })),
  );
  await movePurchaseOrders(ctx, page, {}, async (tx) => {
    if (next) {
      await saveStreamWatermark(tx, connectionId, STREAM, next);
    }
  });
  return next;
}

export interface PurchaseOrderMoveOptions {
  /** Compute the requests and send nothing, write nothing. */
  readonly dryRun?: boolean;
  /** Move under this transaction id (a replay) instead of minting one. */
  readonly transactionId?: TransactionId;
}

export type PurchaseOrderMove =
  | { readonly outcome: "unchanged" | "held"; readonly poNumber: string }
  | {
      readonly outcome: "would_send";
      readonly poNumber: string;
      readonly request: AvidPurchaseOrderInput;
    }
  | {
      readonly outcome: "sent" | "failed";
      readonly poNumber: string;
      readonly transactionId: TransactionId;
      readonly request: AvidPurchaseOrderInput;
      readonly error?: string;
    };

/**
 * One purchase order from its stored header, through the same guards as the page loop (content
 * hash against the last send, upsert by `ExternalCode`). Its lines are read from SYSPRO again: the
 * stored input keeps the header and the PO as sent, not the raw lines.
 */
export async function upsertPurchaseOrder(
  ctx: FlowContext,
  header: PorMasterHdr,
  options: PurchaseOrderMoveOptions = {},
): Promise<PurchaseOrderMove> {
  const [move] = await movePurchaseOrders(ctx, [header], options);
  return move!;
}

async function movePurchaseOrders(
  ctx: FlowContext,
  page: readonly PorMasterHdr[],
  options: PurchaseOrderMoveOptions,
  commitAlso?: (tx: Executor) => Promise<void>,
): Promise<PurchaseOrderMove[]> {
  ctx.counts.read += page.length;
  const connectionId = ctx.connection.id;
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const numbers = page.map((p) => p.PurchaseOrder.trim());
  const details = await ctx.connectors.syspro.odata.porMasterDetailsFor(
    page.map((p) => p.PurchaseOrder),
    signal,
  );
  const existing = new Map(
    (
      await ctx.db
        .select()
        .from(purchaseOrders)
        .where(
          and(
            eq(purchaseOrders.connectionId, connectionId),
            inArray(purchaseOrders.poNumber, numbers.length ? numbers : [""]),
          ),
        )
    ).map((r) => [r.poNumber, r]),
  );
  const supplierIds = new Map(
    (
      await ctx.db
        .select({ code: suppliers.sysproCode, id: suppliers.id })
        .from(suppliers)
        .where(eq(suppliers.connectionId, connectionId))
    ).map((r) => [r.code, r.id]),
  );
  const plans = page.map((raw) => {
    const lines = details.filter((d) => d.PurchaseOrder.trim() === raw.PurchaseOrder.trim());
    const po = fromPor(raw, lines);
    return { raw, lines, po, result: toAvidPurchaseOrder(po) };
  });
  const toSend = plans.flatMap((p) =>
    p.result.ok && existing.get(p.po.poNumber)?.lastSentHash !== p.result.hash
      ? [
          {
            ...p,
            avid: p.result.purchaseOrder,
            hash: p.result.hash,
            tx: options.transactionId ?? ctx.newTransactionId(),
          },
        ]
      : [],
  );
  const moves = new Map<string, PurchaseOrderMove>();
  if (options.dryRun) {
    for (const p of plans) {
      const send = toSend.find((t) => t.po.poNumber === p.po.poNumber);
      moves.set(
        p.po.poNumber,
        send
          ? { outcome: "would_send", poNumber: p.po.poNumber, request: toWire(send.avid) }
          : { outcome: p.result.ok ? "unchanged" : "held", poNumber: p.po.poNumber },
      );
    }
    return numbers.map((n) => moves.get(n)!);
  }
  const results =
    toSend.length > 0
      ? await ctx.connectors.avid.purchaseOrders.upsert(
          toSend.map((s) => toWire(s.avid)),
          signal,
        )
      : [];

  await withTransaction(ctx.db, async (tx) => {
    for (const p of plans) {
      const sentIndex = toSend.findIndex((s) => s.po.poNumber === p.po.poNumber);
      const base = {
        connectionId,
        supplierId: supplierIds.get(p.po.supplier) ?? null,
        poNumber: p.po.poNumber,
        sysproSupplierCode: p.po.supplier,
        orderEntryDate: p.po.orderDate || null,
        status: p.po.status,
        totalAmount: p.result.ok ? p.result.purchaseOrder.totalAmount : null,
        raw: p.raw as unknown as Record<string, unknown>,
        contentHash: p.result.ok ? p.result.hash : null,
      };
      const send = toSend[sentIndex];
      const result = results[sentIndex];
      const ok = send ? result?.ok === true : p.result.ok;
      const remoteKey = result?.ok
        ? (result.item["PurchaseOrderId"] ?? result.item["Id"])
        : undefined;
      const remoteId =
        typeof remoteKey === "string" || typeof remoteKey === "number" ? String(remoteKey) : null;
      const values = {
        ...base,
        syncState: ok ? ("synced" as const) : ("exception" as const),
        ...(send && ok ? { lastSentHash: send.hash, lastSyncedAt: new Date() } : {}),
        ...(remoteId ? { avidPurchaseOrderId: remoteId } : {}),
      };
      const [row] = await tx
        .insert(purchaseOrders)
        .values(values)
        .onConflictDoUpdate({
          target: [purchaseOrders.connectionId, purchaseOrders.poNumber],
          set: values,
        })
        .returning({ id: purchaseOrders.id });
      const id = row!.id;
      await mirrorLines(tx, id, p.lines);
      const subject = { type: "purchase_order", id, ref: p.po.poNumber };
      if (!p.result.ok) {
        moves.set(p.po.poNumber, { outcome: "held", poNumber: p.po.poNumber });
        for (const exception of p.result.exceptions) {
          await ctx.raiseException(tx, exception, subject, p.raw);
        }
        continue;
      }
      if (!send) {
        ctx.counts.unchanged += 1;
        moves.set(p.po.poNumber, { outcome: "unchanged", poNumber: p.po.poNumber });
        continue;
      }
      const input = { porMasterHdr: p.raw, purchaseOrder: send.avid };
      const request = toWire(send.avid);
      if (ok) {
        const created = !existing.get(p.po.poNumber)?.lastSentHash;
        ctx.counts[created ? "created" : "updated"] += 1;
        moves.set(p.po.poNumber, {
          outcome: "sent",
          poNumber: p.po.poNumber,
          transactionId: send.tx,
          request,
        });
        await ctx.recordTransaction(tx, {
          id: send.tx,
          kind: "purchase_order.upsert",
          subjectType: "purchase_order",
          subjectId: id,
          input,
          state: "succeeded",
          result: { avidPurchaseOrderId: remoteId },
        });
        await ctx.audit(tx, {
          type: "purchase_order.sent",
          transactionId: send.tx,
          subjectType: "purchase_order",
          subjectId: id,
          data: { purchaseOrder: p.po.poNumber, avidPurchaseOrderId: remoteId, created },
        });
      } else {
        const messages = result && !result.ok ? result.messages.join("; ") : "no result";
        moves.set(p.po.poNumber, {
          outcome: "failed",
          poNumber: p.po.poNumber,
          transactionId: send.tx,
          request,
          error: messages,
        });
        await ctx.recordTransaction(tx, {
          id: send.tx,
          kind: "purchase_order.upsert",
          subjectType: "purchase_order",
          subjectId: id,
          input,
          state: "exception",
          error: messages,
        });
        await ctx.raiseException(
          tx,
          syncException("REMOTE_REJECTED", `AvidXchange refused PO ${p.po.poNumber}: ${messages}`),
          subject,
          input,
          send.tx,
        );
      }
    }
    await commitAlso?.(tx);
  });
  return numbers.map((n) => moves.get(n)!);
}

/** `PorMasterDetail` → `purchase_order_lines`, upserted by (PO, line); lines gone from SYSPRO go. */
async function mirrorLines(
  tx: Executor,
  purchaseOrderId: string,
  lines: readonly PorMasterDetail[],
): Promise<void> {
  const numbers = lines.map((d) => d.Line);
  await tx
    .delete(purchaseOrderLines)
    .where(
      and(
        eq(purchaseOrderLines.purchaseOrderId, purchaseOrderId),
        ...(numbers.length > 0 ? [notInArray(purchaseOrderLines.lineNumber, numbers)] : []),
      ),
    );
  if (lines.length === 0) {
    return;
  }
  const decimal = (v: string) => (isDecimalString(v.trim()) ? v.trim() : null);
  const text = (v: string) => v.trim() || null;
  await tx
    .insert(purchaseOrderLines)
    .values(
      lines.map((d) => ({
        purchaseOrderId,
        lineNumber: d.Line,
        stockCode: text(d.MStockCode),
        description: text(d.MStockDes),
        warehouse: text(d.MWarehouse),
        glCode: text(d.MGlCode),
        quantity: decimal(d.MOrderQty),
        unitPrice: decimal(d.MPrice),
        amount:
          decimal(d.MOrderQty) !== null && decimal(d.MPrice) !== null
            ? formatCents(extendToCents(d.MOrderQty.trim(), d.MPrice.trim()))
            : null,
        raw: d as unknown as Record<string, unknown>,
      })),
    )
    .onConflictDoUpdate({
      target: [purchaseOrderLines.purchaseOrderId, purchaseOrderLines.lineNumber],
      set: {
        stockCode: sql`excluded.stock_code`,
        description: sql`excluded.description`,
        warehouse: sql`excluded.warehouse`,
        glCode: sql`excluded.gl_code`,
        quantity: sql`excluded.quantity`,
        unitPrice: sql`excluded.unit_price`,
        amount: sql`excluded.amount`,
        raw: sql`excluded.raw`,
        updatedAt: sql`now()`,
      },
    });
}

function fromPor(h: PorMasterHdr, lines: readonly PorMasterDetail[]): PurchaseOrder {
  const opt = <K extends string>(key: K, value: string | null | undefined) =>
    value && value.trim() ? ({ [key]: value.trim() } as Record<K, string>) : {};
  return {
    poNumber: h.PurchaseOrder.trim(),
    supplier: h.Supplier.trim(),
    orderDate: (h.OrderEntryDate ?? "").slice(0, 10),
    ...(h.OrderDueDate ? { dueDate: h.OrderDueDate.slice(0, 10) } : {}),
    status: h.OrderStatus.trim(),
    lines: lines.map((d) => ({
      line: d.Line,
      ...opt("stockCode", d.MStockCode),
      ...opt("description", d.MStockDes),
      quantity: d.MOrderQty,
      unitPrice: d.MPrice,
      ...opt("uom", d.MOrderUom),
      ...opt("glCode", d.MGlCode),
    })),
  };
}

function toWire(po: AvidPurchaseOrder): AvidPurchaseOrderInput {
  return {
    ExternalCode: po.externalCode,
    OrderNumber: po.orderNumber,
    VendorExternalCode: po.vendorExternalCode,
    EndDate: po.endDate,
    TotalAmount: po.totalAmount,
    LineItems: po.lines.map((l) => ({
      ExternalCode: l.externalCode,
      Item: {
        ProductCode: l.productCode,
        ProductDesc: l.description,
        Quantity: l.quantity,
        UOM: l.uom,
      },
      Amount: l.amount,
      PricePer: l.pricePer,
    })),
  };
}
