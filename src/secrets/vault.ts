import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import { AppError } from "../errors.js";

import type { EncryptionKey } from "../config.js";

/** What is stored for one secret: AES-256-GCM output plus the id of the key that made it. */
export interface EncryptedValue {
  readonly ciphertext: Buffer;
  readonly iv: Buffer;
  readonly authTag: Buffer;
  readonly keyId: string;
}

export interface Vault {
  /** The key new values are encrypted with. */
  readonly currentKeyId: string;
  /** Every key id this vault can decrypt. */
  readonly keyIds: readonly string[];
  /**
   * Encrypts with the current key. `context` (additional authenticated data) binds the value to
   * where it is stored, e.g. `credentials:<connection>:<kind>`: a ciphertext copied to another row
   * does not decrypt.
   */
  encrypt(plaintext: string, context: string): EncryptedValue;
  /** Throws VaultError `VAULT_UNKNOWN_KEY` or `VAULT_TAMPERED`; never returns wrong plaintext. */
  decrypt(value: EncryptedValue, context: string): string;
}

export type VaultErrorCode = "VAULT_UNKNOWN_KEY" | "VAULT_TAMPERED" | "VAULT_CONFIG";

export class VaultError extends AppError {
  override readonly name = "VaultError";
  constructor(code: VaultErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export const isVaultError = (e: unknown): e is VaultError => e instanceof VaultError;

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;

export interface CreateVaultOptions {
  /** The current key and any older ones still needed for decryption. */
  readonly keys: readonly EncryptionKey[];
  readonly currentKeyId: string;
}

/** AES-256-GCM with a fresh random 96-bit IV per value and key ids for rotation. */
export function createVault(options: CreateVaultOptions): Vault {
  const keys = new Map<string, Buffer>();
  for (const { id, key } of options.keys) {
    if (key.length !== 32) {
      throw new VaultError("VAULT_CONFIG", `key ${id} is ${key.length} bytes; AES-256 needs 32`);
    }
    if (keys.has(id)) {
      throw new VaultError("VAULT_CONFIG", `key id ${id} is given twice`);
    }
    keys.set(id, Buffer.from(key));
  }
  const current = keys.get(options.currentKeyId);
  if (!current) {
    throw new VaultError(
      "VAULT_CONFIG",
      `current key ${options.currentKeyId} is not among the keys`,
    );
  }

  return {
    currentKeyId: options.currentKeyId,
    keyIds: [...keys.keys()],
    encrypt(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, current, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: options.currentKeyId };
    },
    decrypt(value, context) {
      const key = keys.get(value.keyId);
      if (!key) {
        throw new VaultError(
          "VAULT_UNKNOWN_KEY",
          `value was encrypted with key ${value.keyId}, which is not configured (add it to ENCRYPTION_KEYS_PREVIOUS)`,
        );
      }
      try {
        const decipher = createDecipheriv(ALGORITHM, key, value.iv);
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(value.authTag);
        return Buffer.concat([decipher.update(value.ciphertext), decipher.final()]).toString(
          "utf8",
        );
      } catch (cause) {
        throw new VaultError(
          "VAULT_TAMPERED",
          "stored secret failed authentication (tampered, moved, or wrong key)",
          { cause },
        );
      }
    },
  };
}
