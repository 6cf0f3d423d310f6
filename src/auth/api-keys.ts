import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";

import { withTransaction } from "../db/client.js";
import { apiKeys } from "../db/schema/api-keys.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import { generateApiKey, apiKeyPrefix, hashApiKey, isPlausibleApiKey } from "./api-key-format.js";

import type { Db, Executor } from "../db/client.js";
import type { Principal } from "./principal.js";
import type { Role } from "./roles.js";

/** An API key as stored: never the key itself. */
export type ApiKeyRecord = Omit<typeof apiKeys.$inferSelect, "keyHash">;

const publicColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  role: apiKeys.role,
  createdAt: apiKeys.createdAt,
  revokedAt: apiKeys.revokedAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

/** `last_used_at` is a hint for people, not a log: write it at most this often per key. */
const LAST_USED_RESOLUTION = sql`interval '1 minute'`;

/**
 * Looks up the key in `Authorization: Bearer <key>`. Returns null for an unknown or revoked
 * key; the caller turns that into a 401 without saying which.
 */
export async function authenticateApiKey(db: Db, key: string): Promise<Principal | null> {
  if (!isPlausibleApiKey(key)) {
    return null;
  }
  const [row] = await db
    .select(publicColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) {
    return null;
  }
  if (row.lastUsedAt === null || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, row.id),
          or(
            isNull(apiKeys.lastUsedAt),
            lt(apiKeys.lastUsedAt, sql`now() - ${LAST_USED_RESOLUTION}`),
          ),
        ),
      );
  }
  return { keyId: row.id, name: row.name, role: row.role, prefix: row.prefix };
}

export interface IssuedApiKey {
  /** The plaintext key: give it to its owner now; it cannot be shown again. */
  readonly key: string;
  readonly apiKey: ApiKeyRecord;
}

/** Creates a key. Names are unique among active keys, because audit events name the actor. */
export async function issueApiKey(
  db: Executor,
  input: { readonly name: string; readonly role: Role },
): Promise<IssuedApiKey> {
  const generated = generateApiKey();
  return withTransaction(db, async (tx) => {
    await lockApiKeys(tx);
    const [clash] = await tx
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.name, input.name), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (clash) {
      throw new ConflictError(`An active API key is already named "${input.name}".`);
    }
    const [apiKey] = await tx
      .insert(apiKeys)
      .values({
        name: input.name,
        role: input.role,
        prefix: generated.prefix,
        keyHash: generated.hash,
      })
      .returning(publicColumns);
    if (!apiKey) {
      throw new Error("api key insert returned no row");
    }
    return { key: generated.key, apiKey };
  });
}

export interface RevokedApiKey {
  readonly apiKey: ApiKeyRecord;
  /** False when the key was already revoked (nothing changed). */
  readonly changed: boolean;
}

/**
 * Revokes a key; revoking a revoked key is a no-op that returns it unchanged. Refuses to revoke
 * the last active admin key, which would lock every person out of key management.
 */
export async function revokeApiKey(db: Executor, id: string): Promise<RevokedApiKey> {
  return withTransaction(db, async (tx) => {
    await lockApiKeys(tx);
    const [target] = await tx.select(publicColumns).from(apiKeys).where(eq(apiKeys.id, id));
    if (!target) {
      throw new NotFoundError("API key");
    }
    if (target.revokedAt) {
      return { apiKey: target, changed: false };
    }
    if (target.role === "admin") {
      const admins = await tx
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(eq(apiKeys.role, "admin"), isNull(apiKeys.revokedAt)));
      if (admins.length <= 1) {
        throw new ForbiddenError(
          "This is the last active admin key; create another admin key before revoking it.",
        );
      }
    }
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(eq(apiKeys.id, id))
      .returning(publicColumns);
    if (!revoked) {
      throw new NotFoundError("API key");
    }
    return { apiKey: revoked, changed: true };
  });
}

export async function listApiKeys(
  db: Executor,
  options: { readonly includeRevoked?: boolean } = {},
): Promise<ApiKeyRecord[]> {
  return db
    .select(publicColumns)
    .from(apiKeys)
    .where(options.includeRevoked ? undefined : isNull(apiKeys.revokedAt))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

/**
 * Makes sure a known key (the `ADMIN_API_KEY` bootstrap key) exists with this name and role.
 * Idempotent across restarts and concurrent starts. A key that was revoked stays revoked: the
 * returned record shows it, so the caller can warn.
 */
export async function ensureApiKey(
  db: Executor,
  input: { readonly key: string; readonly name: string; readonly role: Role },
): Promise<ApiKeyRecord> {
  if (!isPlausibleApiKey(input.key)) {
    throw new TypeError("An API key must be 16–256 printable characters without spaces.");
  }
  const keyHash = hashApiKey(input.key);
  await db
    .insert(apiKeys)
    .values({ name: input.name, role: input.role, prefix: apiKeyPrefix(input.key), keyHash })
    .onConflictDoNothing({ target: apiKeys.keyHash });
  const [row] = await db.select(publicColumns).from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
  if (!row) {
    throw new Error("bootstrap api key vanished after insert");
  }
  return row;
}

/** Serialises key changes so the uniqueness and last-admin checks cannot race. */
async function lockApiKeys(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('ml-connector:api_keys'))`);
}
