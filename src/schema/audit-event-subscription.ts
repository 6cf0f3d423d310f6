import { filter, pipe } from "graphql-yoga";

import { builder } from "./builder.js";
import { rawIdOf } from "./global-id.js";

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
      id: t.exposeID("id", { description: "The audit event's id." }),
      type: t.exposeString("type", { description: "e.g. invoice.sent, payment.posted." }),
      actor: t.exposeString("actor", {
        description: "Who caused it: an API key name, worker, schedule or cli.",
      }),
      connectionId: t.exposeID("connectionId", { nullable: true }),
      transactionId: t.exposeString("transactionId", { nullable: true }),
      subjectType: t.exposeString("subjectType", { nullable: true }),
      subjectId: t.exposeString("subjectId", { nullable: true }),
      at: t.field({ type: "DateTime", resolve: (event) => event.at }),
    }),
  });

builder.subscriptionField("auditEvents", (t) =>
  t.field({
    type: AuditEventNoticeRef,
    description:
      "Audit events as they happen: of one connection, or of all (including gateway-wide events such as API key changes) when connectionId is omitted.",
    args: {
      connectionId: t.arg.id({ required: false }),
      types: t.arg.stringList({
        required: false,
        description: 'Only these event types, e.g. ["invoice.sent"].',
      }),
    },
    subscribe: (_root, args, ctx) => {
      const connectionId = args.connectionId
        ? rawIdOf(String(args.connectionId), "Connection")
        : null;
      const types = args.types && args.types.length > 0 ? new Set(args.types) : null;
      return pipe(
        ctx.pubsub.subscribe("auditEvents"),
        filter(
          (event: AuditEventNotice) =>
            (connectionId === null || event.connectionId === connectionId) &&
            (types === null || types.has(event.type)),
        ),
      );
    },
    resolve: (event) => event,
  }),
);
