import { eq, sql } from "drizzle-orm";

import { invoiceLines, invoices, suppliers } from "../../db/schema/index.js";

import type { Executor } from "../../db/client.js";
import type { AvidInvoice, TransactionId } from "../domain.js";
import type { PageInvoice } from "./invoice-distribution.js";
import type { FlowContext } from "./run-context.js";

/**
 * Invoices written before their supplier was mirrored get its row now: the supplier flow owns
 * `suppliers` and knows nothing of invoices, so each invoice run closes the gap.
 */
export async function linkSuppliers(db: Executor, connectionId: string): Promise<void> {
  await db.execute(sql`
    update ${invoices} set supplier_id = s.id
    from ${suppliers} s
    where ${invoices.connectionId} = ${connectionId}
      and ${invoices.supplierId} is null
      and s.connection_id = ${invoices.connectionId}
      and s.syspro_code = ${invoices.sysproSupplierCode}`);
}

/** Writes the invoice row and its lines, with the coding each line goes out with. */
export async function upsertInvoice(
  tx: Executor,
  ctx: FlowContext,
  item: PageInvoice,
  transactionId: TransactionId,
  syncState: "pending" | "exception",
  /** The coding the invoice goes out with, kept as the baseline re-codes are detected against. */
  sentLines: AvidInvoice["lines"],
  /** What a held invoice was evaluated against (see invoice-evaluation.ts); null when it goes out. */
  evaluatedHash: string | null,
): Promise<string> {
  const inv = item.invoice;
  const values = {
    connectionId: ctx.connection.id,
    supplierId: sql<
      string | null
    >`(select ${suppliers.id} from ${suppliers} where ${suppliers.connectionId} = ${ctx.connection.id} and ${suppliers.sysproCode} = ${inv.supplier})`,
    sysproSupplierCode: inv.supplier,
    invoiceNumber: inv.invoiceNumber,
    invoiceDate: inv.invoiceDate || null,
    dueDate: inv.dueDate ?? null,
    journalDate: inv.journalDate ?? null,
    currency: inv.currency,
    amount: inv.amount,
    taxAmount: inv.taxAmount,
    openBalance: inv.openBalance,
    externalInvoiceId: item.externalId,
    transactionId,
    raw: item.raw as unknown as Record<string, unknown>,
    syncState,
    contentHash: evaluatedHash,
  };
  const [row] = await tx
    .insert(invoices)
    .values(values)
    .onConflictDoUpdate({
      target: [invoices.connectionId, invoices.sysproSupplierCode, invoices.invoiceNumber],
      set: values,
    })
    .returning({ id: invoices.id });
  const id = row!.id;
  await tx.delete(invoiceLines).where(eq(invoiceLines.invoiceId, id));
  if (inv.lines.length > 0) {
    const coding = new Map(sentLines.map((l) => [l.lineNumber, l]));
    await tx.insert(invoiceLines).values(
      inv.lines.map((l) => {
        const sent = coding.get(l.lineNumber);
        return {
          invoiceId: id,
          lineNumber: l.lineNumber,
          sysproGlCode: l.glCode,
          amount: l.amount,
          avidGlCode: sent?.glCode ?? null,
          avidDimensions: sent
            ? Object.fromEntries<string>(sent.dimensions.map((d) => [d.group, d.value]))
            : null,
        };
      }),
    );
  }
  return id;
}
