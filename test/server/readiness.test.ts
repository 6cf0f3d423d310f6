import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { MIGRATIONS_FOLDER } from "../../src/db/migrate.js";
import { createReadinessCheck } from "../../src/server/readiness.js";
import { createTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";

import type { TestDatabase } from "../setup/db.js";

guardLeaks();

let database: TestDatabase;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), "mlc-readiness-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
  await database.close();
});

describe("readiness", () => {
  it("is ready on a migrated database", async () => {
    const check = createReadinessCheck({ sql: database.sql });
    expect(await check()).toEqual({ ready: true, database: "ok", migrations: "ok" });
  });

  it("reports pending migrations when this build ships one the database lacks", async () => {
    const journal = JSON.parse(
      await readFile(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
    ) as { entries: { when: number; tag: string }[] };
    const newest = Math.max(...journal.entries.map((e) => e.when));
    journal.entries.push({ ...journal.entries[0]!, when: newest + 1, tag: "9999_future" });
    await mkdir(join(folder, "meta"), { recursive: true });
    await writeFile(join(folder, "meta", "_journal.json"), JSON.stringify(journal));

    const check = createReadinessCheck({ sql: database.sql, migrationsFolder: folder });
    expect(await check()).toEqual({ ready: false, database: "ok", migrations: "pending" });
  });

  it("reports an unreachable database as not ready", async () => {
    // Nothing listens on port 1; the connection is refused at once.
    const nowhere = postgres("postgres://nobody:nothing@127.0.0.1:1/none", {
      max: 1,
      connect_timeout: 2,
      onnotice: () => {},
    });
    try {
      const check = createReadinessCheck({ sql: nowhere });
      expect(await check()).toEqual({
        ready: false,
        database: "unreachable",
        migrations: "unknown",
      });
    } finally {
      await nowhere.end({ timeout: 0 });
    }
  });
});
