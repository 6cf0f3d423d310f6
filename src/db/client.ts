import { drizzle } from "drizzle-orm/postgres-js";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import * as schema from "./schema/index.js";

import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgTransaction } from "drizzle-orm/pg-core";
import type { PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";

/** The drizzle database over our schema; `db.$client` is the postgres.js instance. */
export type Db = PostgresJsDatabase<typeof schema> & { $client: Sql };

/** A drizzle transaction handle, as passed to `withTransaction` callbacks. */
export type Tx = PgTransaction<
  PostgresJsQueryResultHKT,
  typeof schema,
  ExtractTablesWithRelations<typeof schema>
>;

/** Anything that can run a drizzle query: the database itself or an open transaction. */
export type Executor = Db | Tx;

export interface CreateDbOptions {
  /** A PostgreSQL connection URL. */
  readonly url: string;
  /** Pool size (postgres.js opens connections lazily, up to this many). Default 10. */
  readonly max?: number;
  /** Called for every statement sent, drizzle-built or raw `sql` (tests count statements with it). */
  readonly onQuery?: (query: string, params: readonly unknown[]) => void;
  /** Reported to PostgreSQL as `application_name`, visible in `pg_stat_activity`. */
  readonly applicationName?: string;
}

export interface DbHandle {
  readonly db: Db;
  readonly sql: Sql;
  /** Ends the pool, waiting up to `timeoutSeconds` (default 5) for running queries. */
  readonly close: (timeoutSeconds?: number) => Promise<void>;
}

/**
 * Opens a postgres.js pool and a drizzle database over it. Nothing connects until the first query.
 */
export function createDb(options: CreateDbOptions): DbHandle {
  const { onQuery } = options;
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    // NOTICE messages (e.g. "relation already exists, skipping") are noise in our logs.
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "ml-connector" },
    ...(onQuery
      ? { debug: (_conn: number, query: string, params: unknown[]) => onQuery(query, params) }
      : {}),
  });
  const db = drizzle({ client: sql, schema, casing: "snake_case" });
  let closed: Promise<void> | undefined;
  return {
    db,
    sql,
    close: (timeoutSeconds = 5) => (closed ??= sql.end({ timeout: timeoutSeconds })),
  };
}

/**
 * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
 * Nested calls (passing a `Tx`) open a savepoint.
 */
export function withTransaction<T>(db: Executor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
