import { customType, jsonb, numeric, text, timestamp, uuid } from "drizzle-orm/pg-core";

import { syncStateEnum } from "./enums.js";

/** Row id: a random UUID made by PostgreSQL. */
export const id = () => uuid().primaryKey().defaultRandom();

/** A point in time, always with time zone. */
export const timestamptz = () => timestamp({ withTimezone: true });

/** `created_at` / `updated_at`, spread into every mutable table. */
export const timestamps = {
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz()
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};

/** Money: numeric(18,2), read and written as a decimal string, never a float. */
export const money = () => numeric({ precision: 18, scale: 2 });

/** Quantities and unit prices carry more places than money. */
export const quantity = () => numeric({ precision: 18, scale: 6 });

/** Free-form JSON; the type parameter documents what we put there. */
export const json = <T = unknown>() => jsonb().$type<T>();

/** Raw bytes (ciphertext, IVs, GCM tags). drizzle 0.45 has no built-in `bytea`. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

/**
 * What every mirrored record keeps: the raw remote payload, a hash of the content we map from it,
 * the hash we last sent to the other side (so unchanged records are not re-sent), and its state.
 */
export const mirror = () => ({
  raw: json<Record<string, unknown>>(),
  contentHash: text(),
  lastSentHash: text(),
  syncState: syncStateEnum().notNull().default("pending"),
  lastSyncedAt: timestamptz(),
});
