import { fileURLToPath } from "node:url";

import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations } from "graphile-worker";
import postgres from "postgres";

import { toGraphileLogger } from "../worker/graphile-logger.js";

import type { Logger } from "pino";

/** The committed drizzle-kit migrations (SQL + meta/_journal.json). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

// One key for the whole project: every process that starts migrates, and they take turns.
const MIGRATION_LOCK = "ml-connector:migrate";

export interface MigrateOptions {
  readonly url: string;
  readonly logger?: Logger;
  /** Override for tests; default the repository's `migrations/`. */
  readonly migrationsFolder?: string;
}

/**
 * Brings a database up to date: our drizzle migrations, then graphile-worker's own schema.
 * Idempotent; safe when several api/worker processes start at once (a session advisory lock
 * serialises them, and the ones that wait find nothing left to do).
 */
export async function migrate(options: MigrateOptions): Promise<void> {
  // One connection: the advisory lock is held by a session, so everything runs on it.
  const sql = postgres(options.url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: "ml-connector:migrate" },
  });
  try {
    await sql`select pg_advisory_lock(hashtext(${MIGRATION_LOCK}))`;
    try {
      const db = drizzle({ client: sql, casing: "snake_case" });
      await drizzleMigrate(db, {
        migrationsFolder: options.migrationsFolder ?? MIGRATIONS_FOLDER,
      });
      await runMigrations({
        connectionString: options.url,
        ...(options.logger ? { logger: toGraphileLogger(options.logger) } : {}),
      });
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${MIGRATION_LOCK}))`;
    }
    options.logger?.debug("database migrated");
  } finally {
    await sql.end({ timeout: 5 });
  }
}
