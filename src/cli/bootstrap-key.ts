import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { and, eq, isNull } from "drizzle-orm";

import { generateApiKey } from "../auth/api-key-format.js";
import { ensureApiKey } from "../auth/api-keys.js";
import { apiKeys } from "../db/schema/index.js";

import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { Logger } from "pino";

export const DEMO_API_KEY_FILE = "demo-api-key";

/** The key to show at start, and whether showing it in full is safe. */
export type BootstrapKey =
  | { readonly source: "ADMIN_API_KEY"; readonly prefix: string }
  | { readonly source: "demo"; readonly key: string; readonly file: string }
  | { readonly source: "none"; readonly adminKeys: number };

/**
 * Makes sure a person can reach the API:
 * - ADMIN_API_KEY set: it exists as an admin key (idempotent; a revoked one stays revoked);
 * - else in the embedded demo: a demo admin key, kept in `<DATA_DIR>/demo-api-key` so the same
 *   key is printed on every start;
 * - else (a real database): nothing is created; we report how many admin keys exist.
 */
export async function bootstrapApiKey(
  db: Db,
  config: Config,
  logger: Logger,
): Promise<BootstrapKey> {
  if (config.adminApiKey) {
    const record = await ensureApiKey(db, {
      key: config.adminApiKey,
      name: "bootstrap-admin",
      role: "admin",
    });
    if (record.revokedAt) {
      logger.warn("ADMIN_API_KEY was revoked; it stays revoked. Set a new one or unset it.");
    }
    return { source: "ADMIN_API_KEY", prefix: record.prefix };
  }
  if (config.database.kind === "embedded") {
    const file = path.join(config.dataDir, DEMO_API_KEY_FILE);
    let key = await readFile(file, "utf8").then(
      (s) => s.trim(),
      () => undefined,
    );
    if (!key) {
      key = generateApiKey().key;
      await writeFile(file, `${key}\n`, { mode: 0o600 });
    }
    const record = await ensureApiKey(db, { key, name: "demo-admin", role: "admin" });
    if (record.revokedAt) {
      // Someone revoked the demo key: mint a new one rather than print a dead key.
      key = generateApiKey().key;
      await writeFile(file, `${key}\n`, { mode: 0o600 });
      await ensureApiKey(db, { key, name: "demo-admin", role: "admin" });
    }
    return { source: "demo", key, file };
  }
  const admins = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.role, "admin"), isNull(apiKeys.revokedAt)));
  return { source: "none", adminKeys: admins.length };
}
