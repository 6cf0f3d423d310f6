import { and, eq, inArray, or, sql } from "drizzle-orm";

import { invoices } from "../../db/schema/index.js";
import { watermarkDate } from "../watermarks.js";
import { watermarkInstant } from "./stream-watermark.js";

import type { AvidInvoice } from "../../connectors/avidxchange/types.js";
import type { Executor } from "../../db/client.js";
import type { Watermark } from "../watermarks.js";
import type { FlowContext } from "./run-context.js";

export type InvoiceRow = typeof invoices.$inferSelect;

/** An AvidXchange invoice of the listing that we sent, with its approval state. */
export interface Matched {
  readonly item: AvidInvoice;
  readonly row: InvoiceRow;
  readonly state: string;
}

/** The items' watermark stamps; an item without a readable last-modified time cannot move it. */
export function stampsOf(items: readonly AvidInvoice[]): Watermark[] {
  return items
    .filter((i) => typeof i.LastModifiedDate === "string" && isTimestamp(i.LastModifiedDate))
    .map((i) => ({ timestamp: i.LastModifiedDate!, key: String(i.InvoiceId) }));
}

function isTimestamp(value: string): boolean {
  try {
    watermarkDate(value);
    return !Number.isNaN(Date.parse(watermarkInstant(value)));
  } catch {
    return false;
  }
}

/** The page's invoices that we sent, by AvidXchange id or our `ExternalInvoiceId`. */
export async function matchOurs(
  ctx: FlowContext,
  items: readonly AvidInvoice[],
): Promise<Matched[]> {
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

/** Records a state change once: the conditional update is the guard against a re-read. */
export async function recordState(tx: Executor, ctx: FlowContext, m: Matched): Promise<boolean> {
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

export const subjectOf = (row: InvoiceRow) => ({
  type: "invoice",
  id: row.id,
  ref: `${row.sysproSupplierCode}/${row.invoiceNumber}`,
});
