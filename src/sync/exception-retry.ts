import { and, eq } from "drizzle-orm";

import { purchaseOrders, suppliers, transactions } from "../db/schema/index.js";
import { upsertPurchaseOrder } from "./flows/purchase-orders.js";
import { upsertVendorForSupplier } from "./flows/suppliers-to-vendors.js";
import {
  createSupplierDefaultsTally,
  moveVendorOnlyInAvid,
  sysproSupplierExists,
} from "./flows/vendors-only-in-avid.js";
import { replayTransaction, vendorOnlyResult } from "./replay.js";

import type { ApSupplier, PorMasterHdr } from "../connectors/syspro/types.js";
import type { exceptions } from "../db/schema/index.js";
import type { FlowContext } from "./flows/run-context.js";
import type { ReplayResult } from "./replay.js";

/**
 * Exception retry: the exception's record moves again through its flow's guards — by replaying its
 * transaction when it has one, else by moving its subject (a supplier, a vendor only in
 * AvidXchange, a purchase order) from what the mirror holds. `noop` and `applied` settle it.
 */

export type ExceptionRow = typeof exceptions.$inferSelect;

export async function retryException(
  ctx: FlowContext,
  exception: ExceptionRow,
): Promise<ReplayResult> {
  if (exception.transactionId) {
    const [transaction] = await ctx.db
      .select()
      .from(transactions)
      .where(eq(transactions.id, exception.transactionId));
    if (transaction) {
      return replayTransaction(ctx, transaction, { dryRun: false });
    }
  }
  switch (exception.subjectType) {
    case "supplier":
      return retrySupplier(ctx, exception);
    case "vendor":
      return retryVendorOnlyInAvid(ctx, exception);
    case "purchase_order":
      return retryPurchaseOrder(ctx, exception);
    default:
      return {
        outcome: "failed",
        detail: `a ${exception.subjectType} without a transaction cannot be retried; fix it at the source`,
      };
  }
}

async function retrySupplier(ctx: FlowContext, exception: ExceptionRow): Promise<ReplayResult> {
  const [row] = await ctx.db
    .select()
    .from(suppliers)
    .where(
      and(eq(suppliers.connectionId, ctx.connection.id), eq(suppliers.id, exception.subjectId)),
    );
  const raw = row?.raw as ApSupplier | null | undefined;
  if (!raw) {
    return {
      outcome: "failed",
      detail: "the supplier is not in the mirror; run the supplier sync",
    };
  }
  const move = await upsertVendorForSupplier(ctx, raw);
  return move.outcome === "sent" || move.outcome === "unchanged"
    ? {
        outcome: move.outcome === "sent" ? "applied" : "noop",
        detail: `vendor ${move.code} synced`,
      }
    : { outcome: "failed", detail: move.outcome === "failed" ? move.error : move.outcome };
}

async function retryPurchaseOrder(
  ctx: FlowContext,
  exception: ExceptionRow,
): Promise<ReplayResult> {
  const [row] = await ctx.db
    .select()
    .from(purchaseOrders)
    .where(
      and(
        eq(purchaseOrders.connectionId, ctx.connection.id),
        eq(purchaseOrders.id, exception.subjectId),
      ),
    );
  const header = row?.raw as PorMasterHdr | null | undefined;
  if (!header) {
    return { outcome: "failed", detail: "the purchase order is not in the mirror" };
  }
  const move = await upsertPurchaseOrder(ctx, header);
  if (move.outcome === "held") {
    return { outcome: "failed", detail: `PO ${move.poNumber} is still held` };
  }
  return move.outcome === "unchanged" || move.outcome === "sent"
    ? {
        outcome: move.outcome === "sent" ? "applied" : "noop",
        detail: `PO ${move.poNumber} synced`,
      }
    : {
        outcome: "failed",
        detail: move.outcome === "failed" ? (move.error ?? "refused") : move.outcome,
      };
}

async function retryVendorOnlyInAvid(
  ctx: FlowContext,
  exception: ExceptionRow,
): Promise<ReplayResult> {
  const code = exception.subjectRef ?? "";
  if (code && (await sysproSupplierExists(ctx, code))) {
    return { outcome: "noop", detail: `SYSPRO has supplier ${code} now` };
  }
  let vendor;
  for await (const page of ctx.connectors.avid.vendors.list({
    externalVendorCodes: [code],
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  })) {
    vendor ??= page.items.find((v) => v.ExternalVendorCode.trim() === code);
  }
  if (!vendor) {
    return { outcome: "noop", detail: `AvidXchange has no vendor ${code} any more` };
  }
  const usual = createSupplierDefaultsTally();
  for await (const page of ctx.connectors.syspro.odata.apSuppliers(
    ctx.signal ? { signal: ctx.signal } : {},
  )) {
    page.forEach((s) => usual.add(s));
  }
  return vendorOnlyResult(await moveVendorOnlyInAvid(ctx, vendor, usual.defaults()));
}
