import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";

import { bytea, timestamps, timestamptz } from "./columns.js";
import { connections } from "./connections.js";
import { remoteSystemEnum } from "./enums.js";

/**
 * State a connector shares across processes: the SYSPRO e.net session (one licence, leased to one
 * holder at a time) and the AvidXchange token cache. The value is encrypted like a credential
 * (absent while a holder has the lease but has not logged on yet). `version` makes updates
 * compare-and-set.
 */
export const remoteSessions = pgTable(
  "remote_sessions",
  {
    /** e.g. `syspro:enet:<connection id>`, `avidxchange:token:<connection id>`. */
    key: text().primaryKey(),
    connectionId: uuid().references(() => connections.id, { onDelete: "cascade" }),
    system: remoteSystemEnum().notNull(),
    ciphertext: bytea(),
    iv: bytea(),
    authTag: bytea(),
    keyId: text(),
    expiresAt: timestamptz(),
    leaseHolder: text(),
    leaseUntil: timestamptz(),
    version: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [
    index().on(t.connectionId),
    index()
      .on(t.keyId)
      .where(sql`${t.keyId} is not null`),
  ],
);

/**
 * Token buckets shared by every worker, so N processes together stay below a remote system's
 * per-company rate (the AvidXchange limit bounds a backfill). Tokens are not money: a double is fine.
 */
export const rateLimitBuckets = pgTable("rate_limit_buckets", {
  /** e.g. `avidxchange:<company id>`. */
  key: text().primaryKey(),
  tokens: doublePrecision().notNull(),
  capacity: doublePrecision().notNull(),
  refillPerSecond: doublePrecision().notNull(),
  /** Set from a 429's Retry-After: nobody sends before this. */
  blockedUntil: timestamptz(),
  updatedAt: timestamptz().notNull().defaultNow(),
});
