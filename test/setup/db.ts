import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";

import { createDb } from "../../src/db/client.js";

import { withDatabaseName } from "./pg-url.js";

import type { CreateDbOptions, Db } from "../../src/db/client.js";
import type { Sql } from "postgres";

export interface TestDatabase {
  /** Connection URL of this database (hand it to child processes, graphile-worker…). */
  readonly url: string;
  readonly name: string;
  readonly db: Db;
  readonly sql: Sql;
  /**
   * Closes the pool and drops the database. Fails the test when another connection to it is
   * still open after a short grace period: something (a pool, a worker, a server) leaked.
   */
  close(): Promise<void>;
}

/**
 * A fresh, migrated database cloned from the run's template (milliseconds, not a migration).
 * Call once per test file, in `beforeAll`, and `close()` it in `afterAll`; or use
 * `useTestDatabase()`, which does both.
 */
export async function createTestDatabase(
  options: Pick<CreateDbOptions, "onQuery" | "max"> = {},
): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const name = `${inject("pgDbPrefix")}${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${inject("pgTemplateDb")}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabaseName(adminUrl, name);
  const { db, sql, close } = createDb({ url, applicationName: "test", ...options });

  let closing: Promise<void> | undefined;
  return {
    url,
    name,
    db,
    sql,
    close: () =>
      (closing ??= (async () => {
        await close();
        const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
        try {
          const leaked = await waitForNoConnections(admin, name);
          await admin.unsafe(`drop database if exists "${name}" with (force)`);
          if (leaked.length > 0) {
            throw new Error(
              `test database ${name} still had ${leaked.length} open connection(s) after the test file: ${leaked.join(", ")}. Close every pool, worker and server you start.`,
            );
          }
        } finally {
          await admin.end();
        }
      })()),
  };
}

/**
 * Registers `beforeAll`/`afterAll` for a per-file test database; read its fields inside tests.
 * `const t = useTestDatabase(); it("…", async () => { await t.db.select()… })`
 */
export function useTestDatabase(options: Pick<CreateDbOptions, "onQuery" | "max"> = {}) {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  const get = (): TestDatabase => {
    if (!current) {
      throw new Error("useTestDatabase(): read the database inside a test or hook, not at import");
    }
    return current;
  };
  return {
    get url() {
      return get().url;
    },
    get name() {
      return get().name;
    },
    get db() {
      return get().db;
    },
    get sql() {
      return get().sql;
    },
  };
}

async function waitForNoConnections(admin: Sql, database: string): Promise<string[]> {
  for (let i = 0; ; i++) {
    const rows = await admin<{ app: string }[]>`
      select coalesce(nullif(application_name, ''), 'unnamed') as app
      from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
    if (rows.length === 0 || i >= 40) {
      return rows.map((r) => r.app);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
