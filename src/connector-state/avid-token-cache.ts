import { and, eq, sql } from "drizzle-orm";

import { remoteSessions } from "../db/schema/index.js";
import { decryptSessionValue, encryptSessionValue } from "../secrets/session-values.js";
import { isVaultError } from "../secrets/vault.js";

import type { AvidToken, TokenStore } from "../connectors/avidxchange/index.js";
import type { Db } from "../db/client.js";
import type { Vault } from "../secrets/vault.js";

/**
 * The AvidXchange token cache in Postgres (`remote_sessions`), shared by every worker process so N
 * workers do not fetch N tokens. The token is encrypted through the vault (with the row key as
 * authenticated context, so key rotation re-encrypts it like any session value); only its expiry
 * is in clear. The cross-process lock is a transaction-scoped advisory lock: released on commit,
 * on rollback, and when a crashed holder's connection dies, so no lease can be left behind.
 */
export interface PgAvidTokenStoreDeps {
  readonly db: Db;
  /** The encrypt/decrypt pair (`src/secrets/vault.ts`). */
  readonly vault: Pick<Vault, "encrypt" | "decrypt">;
  /** Ties the rows to a connection (deleted with it); optional, tokens are keyed by client. */
  readonly connectionId?: string | undefined;
  /** Longest wait for another process's token request. Default 60 s. */
  readonly lockTimeoutMs?: number | undefined;
}

interface Payload {
  readonly accessToken: string;
  readonly refreshAt: number;
}

export function createPgAvidTokenStore(deps: PgAvidTokenStoreDeps): TokenStore {
  const { db, vault } = deps;
  const lockTimeoutMs = Math.max(1, Math.round(deps.lockTimeoutMs ?? 60_000));

  async function read(key: string): Promise<{ token: AvidToken; version: number } | undefined> {
    const [row] = await db.select().from(remoteSessions).where(eq(remoteSessions.key, key));
    if (!row?.expiresAt) {
      return undefined;
    }
    let plain: string | undefined;
    try {
      plain = decryptSessionValue(vault, row);
    } catch (e) {
      // A cached token is disposable: one we cannot decrypt (its key retired) is fetched anew.
      if (isVaultError(e)) {
        return undefined;
      }
      throw e;
    }
    if (plain === undefined) {
      return undefined;
    }
    const payload = JSON.parse(plain) as Payload;
    return {
      token: {
        accessToken: payload.accessToken,
        refreshAt: payload.refreshAt,
        expiresAt: row.expiresAt.getTime(),
      },
      version: row.version,
    };
  }

  return {
    async get(key) {
      return (await read(key))?.token;
    },

    async set(key, token) {
      const payload: Payload = { accessToken: token.accessToken, refreshAt: token.refreshAt };
      const value = encryptSessionValue(vault, key, JSON.stringify(payload));
      const expiresAt = new Date(token.expiresAt);
      await db
        .insert(remoteSessions)
        .values({
          key,
          system: "avidxchange",
          connectionId: deps.connectionId ?? null,
          ...value,
          expiresAt,
        })
        .onConflictDoUpdate({
          target: remoteSessions.key,
          set: {
            ...value,
            expiresAt,
            version: sql`${remoteSessions.version} + 1`,
            updatedAt: new Date(),
          },
        });
    },

    async invalidate(key, accessToken) {
      const current = await read(key);
      if (current?.token.accessToken !== accessToken) {
        return;
      }
      // Compare-and-delete: a token stored by another process since our read stays.
      await db
        .delete(remoteSessions)
        .where(and(eq(remoteSessions.key, key), eq(remoteSessions.version, current.version)));
    },

    async withLock(key, fn) {
      return db.transaction(async (tx) => {
        await tx.execute(sql.raw(`set local lock_timeout = ${lockTimeoutMs}`));
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
        return fn();
      });
    },
  };
}
