import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { id, json, timestamps, timestamptz } from "./columns.js";
import { connections } from "./connections.js";
import { exceptionStateEnum } from "./enums.js";

import type { SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/** The text the API's exception search matches (ILIKE), trigram-indexed below. */
export const exceptionSearchText = (t: {
  subjectRef: AnyPgColumn;
  reasonCode: AnyPgColumn;
  message: AnyPgColumn;
}): SQL => sql`(coalesce(${t.subjectRef}, '') || ' ' || ${t.reasonCode} || ' ' || ${t.message})`;
import { transactions } from "./audit.js";
import { syncRuns } from "./sync.js";

/**
 * A record we will not move until a person acts. At most one active (open or retrying) exception
 * per subject and reason, so a retried job updates it instead of piling up duplicates.
 */
export const exceptions = pgTable(
  "exceptions",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    transactionId: text().references(() => transactions.id, { onDelete: "set null" }),
    syncRunId: uuid().references(() => syncRuns.id, { onDelete: "set null" }),
    /** A stable code, e.g. `UNMAPPED_GL` (see EXCEPTION_REASON_CODES in src/glossary.ts). */
    reasonCode: text().notNull(),
    message: text().notNull(),
    /** e.g. `invoice` + its id; `subject_ref` is what a person recognises (supplier/invoice no.). */
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    subjectRef: text(),
    rawPayload: json(),
    suggestedAction: text(),
    state: exceptionStateEnum().notNull().default("open"),
    attempts: integer().notNull().default(0),
    resolutionNote: text(),
    /** Who resolved it (an API key name or `cli`). */
    actor: text(),
    resolvedAt: timestamptz(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("exceptions_active_once")
      .on(t.connectionId, t.subjectType, t.subjectId, t.reasonCode)
      .where(sql`${t.state} in ('open', 'retrying')`),
    index().on(t.connectionId, t.state, t.createdAt),
    index().on(t.transactionId),
    index("exceptions_search_trgm").using("gin", sql`${exceptionSearchText(t)} gin_trgm_ops`),
  ],
);
