import { mkdir } from "node:fs/promises";
import path from "node:path";

import postgres from "postgres";

import { createDb } from "../db/client.js";
import { startEmbeddedPostgres } from "../db/embedded.js";
import { migrate } from "../db/migrate.js";
import { DEMO_KEY_FILE, loadOrCreateDemoKey } from "../secrets/key-file.js";
import { createVault } from "../secrets/vault.js";

import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { EmbeddedPostgres } from "../db/embedded.js";
import type { Vault } from "../secrets/vault.js";
import type { Logger } from "pino";
import type { Sql } from "postgres";

/** The embedded demo's application database (the cluster also has `postgres`). */
const EMBEDDED_DATABASE = "ml_connector";

/** What every command that touches the database stands on. */
export interface Runtime {
  /** The database URL (embedded or DATABASE_URL): for graphile-worker and child processes. */
  readonly databaseUrl: string;
  readonly db: Db;
  readonly sql: Sql;
  readonly vault: Vault;
  /** Where the generated demo encryption key is kept, when ENCRYPTION_KEY is not set. */
  readonly demoKeyFile: string | undefined;
  /** Set when we started PostgreSQL ourselves (no DATABASE_URL). */
  readonly embedded: EmbeddedPostgres | undefined;
  /** Closes the pool, then stops the embedded PostgreSQL if any. Idempotent. */
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /** Apply pending migrations first (default true). */
  readonly migrate?: boolean;
}

/**
 * Database (embedded under `<DATA_DIR>/pg`, reused across starts, or DATABASE_URL), migrations,
 * the pool and the credential vault.
 */
export async function openRuntime(
  config: Config,
  logger: Logger,
  options: OpenRuntimeOptions = {},
): Promise<Runtime> {
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl: string;
  if (config.database.kind === "url") {
    databaseUrl = config.database.url;
  } else {
    await mkdir(config.dataDir, { recursive: true });
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, "pg"),
      logger,
      // The composition root stops workers and servers first, then the cluster.
      handleSignals: false,
    });
    try {
      await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
    } catch (e) {
      await embedded.stop();
      throw e;
    }
    databaseUrl = embedded.urlFor(EMBEDDED_DATABASE);
  }

  try {
    if (options.migrate ?? true) {
      await migrate({ url: databaseUrl, logger });
    }
    const currentKey =
      config.encryption.current ?? (await loadOrCreateDemoKey(config.dataDir, logger));
    const demoKeyFile = config.encryption.current
      ? undefined
      : path.join(config.dataDir, DEMO_KEY_FILE);
    const vault = createVault({
      keys: [currentKey, ...config.encryption.previous],
      currentKeyId: currentKey.id,
    });
    const handle = createDb({ url: databaseUrl, max: config.database.poolMax });
    let closing: Promise<void> | undefined;
    return {
      databaseUrl,
      db: handle.db,
      sql: handle.sql,
      vault,
      demoKeyFile,
      embedded,
      close: () =>
        (closing ??= (async () => {
          try {
            await handle.close();
          } finally {
            await embedded?.stop();
          }
        })()),
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      await admin.unsafe(`create database "${name}"`);
    }
  } finally {
    await admin.end();
  }
}
