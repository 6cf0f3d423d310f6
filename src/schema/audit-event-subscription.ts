import { filter, map, pipe } from "graphql-yoga";

import { AuditEventRef } from "./audit-event.js";
import { builder } from "./builder.js";
import { uuidOf } from "./global-id.js";

import type { AuditEventNotice } from "../events/topics.js";

/**
 * New audit events as they are written, from any process. The notice is small on purpose; the
 * full event (with its data) is read through the `auditEvents` query by id.
 */
export const AuditEventNoticeRef = builder
  .objectRef<AuditEventNotice>("AuditEventNotice")
  .implement({
    description: "A new entry in the audit trail.",
    fields: (t) => ({
      id: t.exposeID("id", { description: "The audit event's database id." }),
      event: t.field({
        type: AuditEventRef,
        nullable: true,
        description: "The full audit event, with its details and the records it concerns.",
        resolve: (notice) => notice.id,
      }),
      type: t.exposeString("type", { description: "e.g. invoice.sent, payment.posted." }),
      actor: t.exposeString("actor", {
        description: "Who caused it: an API key name, worker, schedule or cli.",
      }),
      connectionId: t.exposeID("connectionId", {
        nullable: true,
        description: "The connection's database id; empty for gateway-wide events (API keys).",
      }),
      transactionId: t.exposeString("transactionId", {
        nullable: true,
        description: "The record movement it belongs to (a ULID); `transaction(id)` has its trail.",
      }),
      subjectType: t.exposeString("subjectType", {
        nullable: true,
        description: "What it is about, e.g. invoice, payment, connection.",
      }),
      subjectId: t.exposeString("subjectId", {
        nullable: true,
        description: "The gateway's id of the record it is about.",
      }),
      at: t.field({
        type: "DateTime",
        description: "When it happened.",
        resolve: (event) => event.at,
      }),
    }),
  });

builder.subscriptionField("auditEvents", (t) =>
  t.field({
    type: AuditEventNoticeRef,
    description:
      "Audit events as they happen: of one connection, or of all (including gateway-wide events such as API key changes) when connectionId is omitted.",
    args: {
      connectionId: t.arg.id({
        required: false,
        description: "Only this connection's events: its id, or its database id.",
      }),
      types: t.arg.stringList({
        required: false,
        description: 'Only these event types, e.g. ["invoice.sent"].',
      }),
    },
    subscribe: (_root, args, ctx) => {
      const connectionId = args.connectionId
        ? uuidOf(String(args.connectionId), "Connection")
        : null;
      const types = args.types && args.types.length > 0 ? new Set(args.types) : null;
      return pipe(
        ctx.pubsub.subscribe("auditEvents"),
        filter(
          (event: AuditEventNotice) =>
            (connectionId === null || event.connectionId === connectionId) &&
            (types === null || types.has(event.type)),
        ),
        // Each event shows the records as they are now, not as the first event loaded them.
        map((event: AuditEventNotice) => {
          ctx.renewCaches();
          return event;
        }),
      );
    },
    resolve: (event) => event,
  }),
);
