import type { EncryptedValue, Vault } from "./vault.js";

/**
 * Encryption of `remote_sessions` values (e.net UserId, OAuth tokens). The Postgres-backed session
 * and token stores must go through these so `rotateKeys` can re-encrypt their rows.
 */
export const remoteSessionContext = (key: string) => `remote_sessions:${key}`;

export function encryptSessionValue(
  vault: Pick<Vault, "encrypt">,
  key: string,
  value: string,
): EncryptedValue {
  return vault.encrypt(value, remoteSessionContext(key));
}

/** Undefined when the row holds no value (a lease taken before the first logon). */
export function decryptSessionValue(
  vault: Pick<Vault, "decrypt">,
  row: {
    key: string;
    ciphertext: Buffer | null;
    iv: Buffer | null;
    authTag: Buffer | null;
    keyId: string | null;
  },
): string | undefined {
  if (!row.ciphertext || !row.iv || !row.authTag || !row.keyId) {
    return undefined;
  }
  return vault.decrypt(
    { ciphertext: row.ciphertext, iv: row.iv, authTag: row.authTag, keyId: row.keyId },
    remoteSessionContext(row.key),
  );
}
