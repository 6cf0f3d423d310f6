import { and, eq, inArray, sql } from "drizzle-orm";

import { credentials } from "../db/schema/index.js";

import type { Executor } from "../db/client.js";
import type { CredentialKind } from "../glossary.js";
import type { Vault } from "./vault.js";

/**
 * A connection's secrets. Write-only to the outside: the API can set them and see which are set
 * (`listCredentialStatus`), never read them back; only the sync layer calls `getCredentials` to
 * hand them to a connector.
 */

/** Additional authenticated data for a credential: the ciphertext only decrypts in its own row. */
export const credentialContext = (connectionId: string, kind: CredentialKind) =>
  `credentials:${connectionId}:${kind}`;

export type CredentialValues = Partial<Record<CredentialKind, string>>;

export interface CredentialStatus {
  readonly kind: CredentialKind;
  readonly updatedAt: Date;
  /** When a connection test last succeeded with this value (null: never, or changed since). */
  readonly verifiedAt: Date | null;
}

/**
 * Stores (insert or replace) the given secrets of a connection; kinds not given are left alone.
 * A replaced value is no longer verified.
 */
export async function setCredentials(
  db: Executor,
  vault: Vault,
  connectionId: string,
  values: CredentialValues,
): Promise<void> {
  const rows = (Object.entries(values) as [CredentialKind, string | undefined][])
    .filter((entry): entry is [CredentialKind, string] => entry[1] !== undefined)
    .map(([kind, value]) => ({
      connectionId,
      kind,
      ...vault.encrypt(value, credentialContext(connectionId, kind)),
      verifiedAt: null,
    }));
  if (rows.length === 0) {
    return;
  }
  await db
    .insert(credentials)
    .values(rows)
    .onConflictDoUpdate({
      target: [credentials.connectionId, credentials.kind],
      set: {
        ciphertext: sql`excluded.ciphertext`,
        iv: sql`excluded.iv`,
        authTag: sql`excluded.auth_tag`,
        keyId: sql`excluded.key_id`,
        verifiedAt: null,
        updatedAt: sql`now()`,
      },
    });
}

/** Decrypts a connection's secrets (those that are set). For the sync layer only. */
export async function getCredentials(
  db: Executor,
  vault: Vault,
  connectionId: string,
): Promise<CredentialValues> {
  const rows = await db
    .select()
    .from(credentials)
    .where(eq(credentials.connectionId, connectionId));
  const values: CredentialValues = {};
  for (const row of rows) {
    values[row.kind] = vault.decrypt(row, credentialContext(connectionId, row.kind));
  }
  return values;
}

/** Which secrets a connection has, without their values. */
export async function listCredentialStatus(
  db: Executor,
  connectionId: string,
): Promise<CredentialStatus[]> {
  return db
    .select({
      kind: credentials.kind,
      updatedAt: credentials.updatedAt,
      verifiedAt: credentials.verifiedAt,
    })
    .from(credentials)
    .where(eq(credentials.connectionId, connectionId))
    .orderBy(credentials.kind);
}

export async function deleteCredentials(
  db: Executor,
  connectionId: string,
  kinds: readonly CredentialKind[],
): Promise<void> {
  if (kinds.length === 0) {
    return;
  }
  await db
    .delete(credentials)
    .where(and(eq(credentials.connectionId, connectionId), inArray(credentials.kind, kinds)));
}

/** Records that a connection test succeeded with the secrets as they are now. */
export async function markCredentialsVerified(
  db: Executor,
  connectionId: string,
  kinds: readonly CredentialKind[],
  at: Date = new Date(),
): Promise<void> {
  if (kinds.length === 0) {
    return;
  }
  await db
    .update(credentials)
    .set({ verifiedAt: at })
    .where(and(eq(credentials.connectionId, connectionId), inArray(credentials.kind, kinds)));
}
