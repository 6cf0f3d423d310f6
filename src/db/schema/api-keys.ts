import { sql } from "drizzle-orm";
import { index, pgTable, text } from "drizzle-orm/pg-core";

import { id, timestamptz } from "./columns.js";
import { roleEnum } from "./enums.js";

/**
 * API keys. Only the SHA-256 of a key is stored (keys are long random strings, so a fast hash is
 * enough); `prefix` is the key's first characters, shown so people can tell keys apart.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    name: text().notNull(),
    prefix: text().notNull(),
    /** Hex SHA-256 of the whole key. */
    keyHash: text().notNull().unique("api_keys_key_hash_unique"),
    role: roleEnum().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    revokedAt: timestamptz(),
    lastUsedAt: timestamptz(),
  },
  (t) => [
    index()
      .on(t.name)
      .where(sql`${t.revokedAt} is null`),
  ],
);
