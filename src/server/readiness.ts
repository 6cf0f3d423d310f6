import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { MIGRATIONS_FOLDER } from "../db/migrate.js";

import type { Sql } from "postgres";

export interface ReadinessReport {
  readonly ready: boolean;
  readonly database: "ok" | "unreachable";
  readonly migrations: "ok" | "pending" | "unknown";
}

export type ReadinessCheck = () => Promise<ReadinessReport>;

export interface ReadinessOptions {
  readonly sql: Sql;
  /** Default: the repository's `migrations/`. */
  readonly migrationsFolder?: string;
  /** A database slower than this counts as unreachable. Default 2000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Ready means: the database answers, and it has every migration this build ships (drizzle's
 * `__drizzle_migrations` has reached the newest journal entry). A process started against a
 * database another process has not migrated yet reports `pending` until it has.
 */
export function createReadinessCheck(options: ReadinessOptions): ReadinessCheck {
  const folder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let newestMigration: Promise<number> | undefined;

  const check = async (): Promise<ReadinessReport> => {
    newestMigration ??= readNewestMigration(folder);
    try {
      await options.sql`select 1`;
    } catch {
      return { ready: false, database: "unreachable", migrations: "unknown" };
    }
    let applied: number | null;
    try {
      const [row] = await options.sql<{ last: string | null }[]>`
        select max(created_at)::text as last from drizzle.__drizzle_migrations`;
      applied = row?.last ? Number(row.last) : null;
    } catch {
      applied = null; // no migrations table yet
    }
    const migrations = applied !== null && applied >= (await newestMigration) ? "ok" : "pending";
    return { ready: migrations === "ok", database: "ok", migrations };
  };

  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ReadinessReport>((resolve) => {
      timer = setTimeout(
        () => resolve({ ready: false, database: "unreachable", migrations: "unknown" }),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([check(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

async function readNewestMigration(folder: string): Promise<number> {
  const journal = JSON.parse(await readFile(join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  return Math.max(0, ...journal.entries.map((entry) => entry.when));
}
