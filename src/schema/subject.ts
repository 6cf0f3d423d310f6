import { brandWithType, getTypeBrand } from "@pothos/core";

import { AuditEventRef } from "./audit-event.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { SyncExceptionRef } from "./exception.js";
import { GlMappingRef } from "./gl-mapping.js";
import { InvoiceRef } from "./invoice.js";
import { PaymentRef, PostingRef } from "./payment.js";
import { PurchaseOrderRef } from "./purchase-order.js";
import { ScheduleRef } from "./schedule.js";
import { SupplierRef } from "./supplier.js";
import { SyncRunRef } from "./sync-run.js";
import { TransactionRef } from "./transaction.js";

import type { Context } from "../server/context.js";

/**
 * `subject` on audit events, exceptions and transactions: the record a `subject_type` and
 * `subject_id` name, loaded through that type's own per-request loader (so a page of events costs
 * one statement per subject type, not one per event). API keys are left out: only admins may see
 * them, and a trail is readable by every role.
 */
const SUBJECT_REFS = {
  connection: ConnectionRef,
  supplier: SupplierRef,
  purchase_order: PurchaseOrderRef,
  invoice: InvoiceRef,
  payment: PaymentRef,
  posting: PostingRef,
  gl_mapping: GlMappingRef,
  sync_run: SyncRunRef,
  schedule: ScheduleRef,
  exception: SyncExceptionRef,
  transaction: TransactionRef,
} as const;

function loadSubject(
  ctx: Context,
  subjectType: string | null,
  subjectId: string | null,
): Promise<unknown> | null {
  if (!subjectType || !subjectId || !Object.hasOwn(SUBJECT_REFS, subjectType)) {
    return null;
  }
  const ref = SUBJECT_REFS[subjectType as keyof typeof SUBJECT_REFS];
  const loader = ref.getDataloader(ctx) as { load(id: string): Promise<unknown> };
  // The Node interface tells types apart by a brand, which loaders used directly do not set.
  return loader.load(subjectId).then((record) => {
    // Loaders cache records: brand once (the brand property cannot be redefined).
    if (record !== null && typeof record === "object" && getTypeBrand(record) === null) {
      brandWithType(record, ref.name as never);
    }
    return record;
  });
}

const subjectField = {
  type: builder.nodeInterfaceRef(),
  nullable: true as const,
  description:
    "The record it is about (an invoice, payment, supplier…), if it still exists and may be shown.",
};

builder.objectField(AuditEventRef, "subject", (t) =>
  t.field({
    ...subjectField,
    resolve: (event, _args, ctx) => loadSubject(ctx, event.subjectType, event.subjectId) as never,
  }),
);
builder.objectField(SyncExceptionRef, "subject", (t) =>
  t.field({
    ...subjectField,
    resolve: (e, _args, ctx) => loadSubject(ctx, e.subjectType, e.subjectId) as never,
  }),
);
builder.objectField(TransactionRef, "subject", (t) =>
  t.field({
    ...subjectField,
    resolve: (tx, _args, ctx) => loadSubject(ctx, tx.subjectType, tx.subjectId) as never,
  }),
);
