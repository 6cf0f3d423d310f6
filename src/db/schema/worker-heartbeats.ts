import { integer, pgTable, text } from "drizzle-orm/pg-core";

import { timestamptz } from "./columns.js";

/**
 * One row per live graphile-worker pool, refreshed every few seconds. graphile-worker (0.17)
 * keeps a crashed pool's job and queue locks for 4 hours; a row that stops being refreshed is how
 * the other workers learn the pool is dead and release its locks (src/worker/heartbeat.ts).
 */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  /** The pool id graphile-worker writes into `locked_by` of the jobs and queues it holds. */
  workerId: text().primaryKey(),
  /** Where the process ran, for people reading the table. */
  host: text().notNull(),
  pid: integer().notNull(),
  startedAt: timestamptz().notNull().defaultNow(),
  lastSeenAt: timestamptz().notNull().defaultNow(),
});
