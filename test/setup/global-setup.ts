// vitest globalSetup: one PostgreSQL server for the whole run (DATABASE_URL's, or an embedded one in
// a temp dir), and one migrated template database that every test file clones (test/setup/db.ts).
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import postgres from "postgres";

import { startEmbeddedPostgres } from "../../src/db/embedded.js";
import { migrate } from "../../src/db/migrate.js";

import { withDatabaseName } from "./pg-url.js";

import type { EmbeddedPostgres } from "../../src/db/embedded.js";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of a maintenance database on the test server. */
    pgAdminUrl: string;
    /** The migrated template database to clone. */
    pgTemplateDb: string;
    /** Prefix of every database this run creates (teardown drops leftovers). */
    pgDbPrefix: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString("hex");
  const prefix = `mlc_test_${runId}_`;
  const templateDb = `${prefix}template`;

  let embedded: EmbeddedPostgres | undefined;
  let tmp: string | undefined;
  // The harness is an entry point of its own: it reads DATABASE_URL like src/config.ts would.
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = await mkdtemp(path.join(tmpdir(), "mlc-test-pg-"));
    // PostgreSQL runs as its own user when we are root; it must be able to reach the data dir.
    await chmod(tmp, 0o755);
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(tmp, "data"),
      // Throwaway data: durability off for speed; headroom for many parallel pools.
      settings: {
        fsync: "off",
        synchronous_commit: "off",
        full_page_writes: "off",
        max_connections: "400",
      },
    });
    adminUrl = embedded.url;
  }

  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const templateUrl = withDatabaseName(adminUrl, templateDb);
  try {
    await admin.unsafe(`create database "${templateDb}"`);
    await migrate({ url: templateUrl });
    // Nobody connects to the template again: a clone needs it idle.
    await admin.unsafe(
      `alter database "${templateDb}" with is_template true allow_connections false`,
    );
  } catch (e) {
    await admin.end();
    await embedded?.stop();
    throw e;
  }

  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplateDb", templateDb);
  project.provide("pgDbPrefix", prefix);

  return async () => {
    try {
      await admin.unsafe(`alter database "${templateDb}" with is_template false`);
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where starts_with(datname, ${prefix})`;
      for (const { datname } of leftovers) {
        await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      }
    } finally {
      await admin.end();
      await embedded?.stop();
      if (tmp) {
        await rm(tmp, { recursive: true, force: true });
      }
    }
  };
}
