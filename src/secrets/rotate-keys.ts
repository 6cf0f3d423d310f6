import { and, eq, isNotNull, ne, sql } from "drizzle-orm";

import { withTransaction } from "../db/client.js";
import { credentials, remoteSessions } from "../db/schema/index.js";
import { credentialContext } from "./credential-store.js";
import { decryptSessionValue, encryptSessionValue } from "./session-values.js";

import type { Db } from "../db/client.js";
import { VaultError, isVaultError } from "./vault.js";

import type { EncryptedValue, Vault, VaultErrorCode } from "./vault.js";
import type { Logger } from "pino";

export interface RotationResult {
  readonly credentials: number;
  readonly remoteSessions: number;
  /** Key ids still referenced afterwards; only the current one when rotation is complete. */
  readonly keyIdsInUse: readonly string[];
}

const BATCH = 100;

/**
 * Re-encrypts every credential and cached remote session not under the vault's current key.
 * Batched, each batch in its own transaction with its rows locked, so it can run while the
 * gateway is up and can be re-run after an interruption. Afterwards the old keys can be removed.
 */
export async function rotateKeys(db: Db, vault: Vault, logger?: Logger): Promise<RotationResult> {
  const current = vault.currentKeyId;
  let credentialCount = 0;
  for (;;) {
    const n = await withTransaction(db, async (tx) => {
      const rows = await tx
        .select()
        .from(credentials)
        .where(ne(credentials.keyId, current))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const row of rows) {
        const context = credentialContext(row.connectionId, row.kind);
        const value = vault.encrypt(decryptOrExplain(vault, row, context), context);
        // updated_at is left alone: the secret did not change.
        await tx
          .update(credentials)
          .set({ ...value, updatedAt: row.updatedAt })
          .where(eq(credentials.id, row.id));
      }
      return rows.length;
    });
    credentialCount += n;
    if (n < BATCH) {
      break;
    }
  }

  let sessionCount = 0;
  for (;;) {
    const n = await withTransaction(db, async (tx) => {
      const rows = await tx
        .select()
        .from(remoteSessions)
        .where(and(isNotNull(remoteSessions.keyId), ne(remoteSessions.keyId, current)))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const row of rows) {
        const plaintext = explained(`remote session ${row.key}`, () =>
          decryptSessionValue(vault, row),
        );
        await tx
          .update(remoteSessions)
          .set({
            // A key id without a value (never expected) is cleared so the loop ends.
            ...(plaintext === undefined
              ? { keyId: null }
              : encryptSessionValue(vault, row.key, plaintext)),
            version: sql`${remoteSessions.version} + 1`,
            updatedAt: row.updatedAt,
          })
          .where(eq(remoteSessions.key, row.key));
      }
      return rows.length;
    });
    sessionCount += n;
    if (n < BATCH) {
      break;
    }
  }

  const keyIdsInUse = await listKeyIdsInUse(db);
  logger?.info(
    { credentials: credentialCount, remoteSessions: sessionCount, keyIdsInUse, current },
    "encryption keys rotated",
  );
  return { credentials: credentialCount, remoteSessions: sessionCount, keyIdsInUse };
}

function decryptOrExplain(
  vault: Vault,
  row: EncryptedValue & { connectionId: string; kind: string },
  context: string,
): string {
  return explained(`credential ${row.kind} of connection ${row.connectionId}`, () =>
    vault.decrypt(row, context),
  );
}

/** Rotation stops at a value it cannot read; the message says which one. */
function explained<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isVaultError(e)) {
      throw new VaultError(e.code as VaultErrorCode, `${what}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/** Every key id some stored secret still needs. */
export async function listKeyIdsInUse(db: Db): Promise<string[]> {
  const rows = await db.execute<{ key_id: string }>(sql`
    select key_id from ${credentials}
    union
    select key_id from ${remoteSessions} where key_id is not null
    order by key_id`);
  return rows.map((r) => r.key_id);
}
