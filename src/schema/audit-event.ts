import {
  auditEventsByIds,
  auditEventsBySubjects,
  countAuditEvents,
  listAuditEvents,
} from "../read-models/audit-events.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { SyncExceptionRef } from "./exception.js";
import { DateTimeRangeInput, instantRangeOf, opt, optList } from "./filters.js";
import { InvoiceRef } from "./invoice.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";
import { PaymentRef } from "./payment.js";
import { PurchaseOrderRef } from "./purchase-order.js";
import { SupplierRef } from "./supplier.js";
import { SyncRunRef } from "./sync-run.js";

import type { AuditEventRow } from "../read-models/audit-events.js";
import type { Context } from "../server/context.js";

export const AuditEventRef = builder.loadableNodeRef("AuditEvent", {
  id: { resolve: (event: AuditEventRow) => String(event.id) },
  load: (ids: string[], ctx) => auditEventsByIds(ctx.db, ids),
  sort: (event) => String(event.id),
});

AuditEventRef.implement({
  description:
    "One entry of the audit trail: what happened, to what, by whom, and under which transaction. The trail is append-only.",
  fields: (t) => ({
    type: t.exposeString("type", {
      description: "What happened, e.g. invoice.sent, payment.posted, connection.updated.",
    }),
    actor: t.exposeString("actor", {
      description: "Who caused it: an API key name, worker, schedule or cli.",
    }),
    connection: t.field({
      type: ConnectionRef,
      nullable: true,
      description: "The connection it concerns; empty for gateway-wide events (API keys).",
      resolve: (event) => event.connectionId,
    }),
    transactionId: t.exposeString("transactionId", {
      nullable: true,
      description: "The record movement it belongs to; `transaction(id)` shows the whole trail.",
    }),
    subjectType: t.exposeString("subjectType", {
      nullable: true,
      description: "What it is about, e.g. invoice, payment, connection.",
    }),
    subjectId: t.exposeString("subjectId", {
      description: "Its id in the gateway (or the remote system's, for records not mirrored).",
      nullable: true,
    }),
    data: t.expose("data", {
      type: "JSON",
      description: "Details, e.g. SYSPRO's reference of a posting or the fields changed.",
    }),
    occurredAt: t.expose("createdAt", { description: "When it happened.", type: "DateTime" }),
  }),
});

/** How many of a record's latest events its `auditTrail` field shows. */
const TRAIL_LIMIT = 100;

function trailField(subjectType: string, types?: readonly string[]) {
  return {
    type: AuditEventRef,
    load: async (keys: string[], ctx: Context) => {
      const rows = await auditEventsBySubjects(
        ctx.db,
        keys.map((subjectId) => ({ subjectType, subjectId })),
        TRAIL_LIMIT,
        types,
      );
      return keys.map((key) => rows.filter((row) => row.subjectId === key));
    },
  };
}

const TRAIL_DESCRIPTION = `The record's audit trail, oldest first (its latest ${TRAIL_LIMIT} events; \`auditEvents\` has them all).`;

builder.objectFields(InvoiceRef, (t) => ({
  auditTrail: t.loadableList({
    ...trailField("invoice"),
    description: TRAIL_DESCRIPTION,
    resolve: (invoice) => invoice.id,
  }),
  approvalHistory: t.loadableList({
    ...trailField("invoice", ["invoice.approval_state"]),
    description: "Each AvidXchange approval state the invoice went through, oldest first.",
    resolve: (invoice) => invoice.id,
  }),
}));
builder.objectField(PaymentRef, "auditTrail", (t) =>
  t.loadableList({
    ...trailField("payment"),
    description: TRAIL_DESCRIPTION,
    resolve: (p) => p.id,
  }),
);
builder.objectField(SupplierRef, "auditTrail", (t) =>
  t.loadableList({
    ...trailField("supplier"),
    description: TRAIL_DESCRIPTION,
    resolve: (s) => s.id,
  }),
);
builder.objectField(PurchaseOrderRef, "auditTrail", (t) =>
  t.loadableList({
    ...trailField("purchase_order"),
    description: TRAIL_DESCRIPTION,
    resolve: (po) => po.id,
  }),
);
builder.objectField(SyncExceptionRef, "auditTrail", (t) =>
  t.loadableList({
    ...trailField("exception"),
    description: "Who retried, skipped or aborted it, and when.",
    resolve: (e) => e.id,
  }),
);
builder.objectField(SyncRunRef, "auditTrail", (t) =>
  t.loadableList({
    ...trailField("sync_run"),
    description: TRAIL_DESCRIPTION,
    resolve: (r) => r.id,
  }),
);

const AuditEventFilterInput = builder.inputType("AuditEventFilter", {
  description: "Which audit events to list. Filters combine (all must match).",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only events of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    transactionId: t.string({
      description: "Only events of this transaction (a ULID).",
      required: false,
    }),
    types: t.stringList({ required: false, description: 'Exact types, e.g. ["payment.posted"].' }),
    typePrefix: t.string({
      required: false,
      description: "Types starting with this, e.g. invoice. for everything about invoices.",
    }),
    actor: t.string({ required: false, description: "An API key name, worker, schedule or cli." }),
    subjectType: t.string({
      description: "Only events about this kind of record, e.g. invoice.",
      required: false,
    }),
    subjectId: t.string({
      description: "Only events about this record (give subjectType too).",
      required: false,
    }),
    occurredAt: t.field({
      description: "Only events in this period.",
      type: DateTimeRangeInput,
      required: false,
    }),
  }),
});

builder.queryFields((t) => ({
  auditEvents: t.connection(
    {
      type: AuditEventRef,
      description: "The audit trail, newest first.",
      args: {
        filter: t.arg({
          description: "Which events; all when left out.",
          type: AuditEventFilterInput,
          required: false,
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          transactionId: opt(f?.transactionId),
          types: optList(f?.types),
          typePrefix: opt(f?.typePrefix),
          actor: opt(f?.actor),
          subjectType: opt(f?.subjectType),
          subjectId: opt(f?.subjectId),
          occurredAt: instantRangeOf(f?.occurredAt),
        };
        return keysetConnection(
          args,
          (page) => listAuditEvents(ctx.db, filter, page),
          () => countAuditEvents(ctx.db, filter),
        );
      },
    },
    {
      name: "AuditEventConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
}));
