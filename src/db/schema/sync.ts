import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, time, unique, uuid } from "drizzle-orm/pg-core";

import { id, json, timestamps, timestamptz } from "./columns.js";
import { connections } from "./connections.js";
import { syncKindEnum, syncRunStateEnum } from "./enums.js";

/**
 * Per connection and stream, the last change fully processed. Advanced only in the transaction
 * that commits the page's effects.
 */
export const watermarks = pgTable(
  "watermarks",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    /** e.g. `syspro.ApInvoice`, `avidxchange.payments` (see the glossary's Stream). */
    stream: text().notNull(),
    changedAt: timestamptz().notNull(),
    /** Orders rows that share `changed_at` (e.g. the record key). */
    tieBreakKey: text().notNull().default(""),
    ...timestamps,
  },
  (t) => [unique("watermarks_connection_id_stream_unique").on(t.connectionId, t.stream)],
);

/** When each sync kind runs for a connection: every N seconds, or daily at a UTC time. */
export const schedules = pgTable(
  "schedules",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    kind: syncKindEnum().notNull(),
    intervalSeconds: integer(),
    dailyAt: time(),
    /** IANA zone `daily_at` is read in, e.g. `America/Chicago` (payments run at end of the local day). */
    timeZone: text().notNull().default("UTC"),
    paused: boolean().notNull().default(false),
    nextRunAt: timestamptz(),
    lastRunAt: timestamptz(),
    ...timestamps,
  },
  (t) => [
    unique("schedules_connection_id_kind_unique").on(t.connectionId, t.kind),
    index()
      .on(t.nextRunAt)
      .where(sql`not ${t.paused}`),
  ],
);

/** One execution of a sync kind for a connection, with its counts. */
export const syncRuns = pgTable(
  "sync_runs",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    kind: syncKindEnum().notNull(),
    state: syncRunStateEnum().notNull().default("queued"),
    dryRun: boolean().notNull().default(false),
    fullResync: boolean().notNull().default(false),
    /** Run even though the connection's mapping is not ready (unmapped lines still become exceptions). */
    force: boolean().notNull().default(false),
    countRead: integer().notNull().default(0),
    countCreated: integer().notNull().default(0),
    countUpdated: integer().notNull().default(0),
    countUnchanged: integer().notNull().default(0),
    countExceptions: integer().notNull().default(0),
    /** What a dry run would have done (requests, GL lines). */
    plan: json(),
    error: text(),
    /** Who started it: an API key name, `schedule`, or `cli`. */
    actor: text().notNull(),
    /** Replay runs only: the transaction this run replays. */
    replayTransactionId: text(),
    startedAt: timestamptz(),
    finishedAt: timestamptz(),
    ...timestamps,
  },
  (t) => [
    index().on(t.connectionId, t.createdAt),
    index().on(t.state),
    index()
      .on(t.replayTransactionId)
      .where(sql`${t.replayTransactionId} is not null`),
  ],
);
