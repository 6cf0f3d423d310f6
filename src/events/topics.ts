import { z } from "zod";

/**
 * The event bus's topics. Events cross process boundaries as Postgres NOTIFY payloads, so each
 * one is small (ids and counters, never whole records; subscribers load details through
 * GraphQL) and checked with zod on arrival, because the sender may run an older or newer build.
 */

/** Progress of one sync run, published by the worker running it. */
export const syncProgressEventSchema = z.object({
  runId: z.string().min(1),
  connectionId: z.string().min(1),
  /** What the run syncs, e.g. `suppliers`, `invoices`, `payments`. */
  kind: z.string().min(1),
  /** Run state, e.g. `queued`, `running`, `succeeded`, `failed`. */
  state: z.string().min(1),
  /** Named counters so far, e.g. `{ read: 120, sent: 100, exceptions: 2 }`. */
  counts: z.record(z.string(), z.number().int()),
  message: z.string().nullable(),
  /** ISO-8601 timestamp of the event. */
  at: z.iso.datetime({ offset: true }),
});
export type SyncProgressEvent = z.infer<typeof syncProgressEventSchema>;

/** A new row in the audit trail; subscribers fetch the full event by id if they need it. */
export const auditEventNoticeSchema = z.object({
  /** `audit_events.id` (a bigint, as a string). */
  id: z.string().min(1),
  connectionId: z.string().nullable(),
  /** Dotted event type, e.g. `invoice.sent`, `api_key.created`. */
  type: z.string().min(1),
  /** Who caused it: an API key name, `worker`, `schedule` or `cli`. */
  actor: z.string(),
  transactionId: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  at: z.iso.datetime({ offset: true }),
});
export type AuditEventNotice = z.infer<typeof auditEventNoticeSchema>;

export const topicSchemas = {
  syncProgress: syncProgressEventSchema,
  auditEvents: auditEventNoticeSchema,
} as const;

export type EventTopics = {
  [T in keyof typeof topicSchemas]: z.infer<(typeof topicSchemas)[T]>;
};
export type Topic = keyof EventTopics;

export const TOPICS = Object.keys(topicSchemas) as Topic[];

export function isTopic(value: unknown): value is Topic {
  return typeof value === "string" && Object.hasOwn(topicSchemas, value);
}

/** The one Postgres channel every process LISTENs on; the topic travels inside the payload. */
export const EVENT_CHANNEL = "ml_connector_events";

/**
 * Postgres refuses NOTIFY payloads of 8000 bytes or more (default build). We stay well below so a
 * payload never fails at the last step.
 */
export const MAX_PAYLOAD_BYTES = 7_900;
