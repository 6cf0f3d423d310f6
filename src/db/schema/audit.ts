import { bigint, index, pgTable, text, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { ulid } from "ulid";

import { json, timestamps, timestamptz } from "./columns.js";
import { connections } from "./connections.js";
import { transactionStateEnum } from "./enums.js";

/**
 * One record movement (vendor upsert, invoice send, approval received, payment posted) with the
 * input it started from, so it can be replayed through the same guards.
 */
export const transactions = pgTable(
  "transactions",
  {
    /** A ULID: sortable by start time, and safe to tag outbound requests with. */
    id: text()
      .primaryKey()
      .$defaultFn(() => ulid()),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    /** e.g. `vendor.upsert`, `invoice.send`, `approval.receive`, `payment.post`. */
    kind: text().notNull(),
    subjectType: text(),
    subjectId: text(),
    input: json().notNull(),
    state: transactionStateEnum().notNull().default("pending"),
    result: json(),
    error: text(),
    replayOf: text().references((): AnyPgColumn => transactions.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    index().on(t.connectionId, t.createdAt),
    index().on(t.connectionId, t.subjectType, t.subjectId),
  ],
);

/**
 * The audit trail. Append-only: a trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE.
 * No foreign keys on purpose: the trail outlives the rows it describes, and a cascading delete or
 * SET NULL would be an update the trigger must refuse.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    connectionId: uuid(),
    transactionId: text(),
    /** e.g. `vendor.created`, `invoice.sent`, `invoice.approval_state`, `payment.posted`. */
    type: text().notNull(),
    /** An API key name, `worker`, `schedule` or `cli`. */
    actor: text().notNull(),
    subjectType: text(),
    subjectId: text(),
    data: json().notNull().default({}),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    index().on(t.connectionId, t.id),
    index().on(t.transactionId),
    index().on(t.subjectType, t.subjectId),
    index().on(t.type, t.id),
  ],
);
