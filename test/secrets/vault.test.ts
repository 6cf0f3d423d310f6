import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { createVault, isVaultError } from "../../src/secrets/vault.js";

import type { EncryptedValue, Vault } from "../../src/secrets/vault.js";

const oldKey = { id: "old", key: randomBytes(32) };
const newKey = { id: "new", key: randomBytes(32) };
const context = "credentials:c1:syspro_operator_password";

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isVaultError(e) ? e.code : `not a VaultError: ${String(e)}`;
  }
  return undefined;
}

describe("createVault", () => {
  const vault: Vault = createVault({ keys: [oldKey], currentKeyId: "old" });

  it("round-trips a secret under the current key, with a fresh IV each time", () => {
    const a = vault.encrypt("s3cr3t-Pässword", context);
    const b = vault.encrypt("s3cr3t-Pässword", context);
    expect(a.keyId).toBe("old");
    expect(a.iv).toHaveLength(12);
    expect(a.authTag).toHaveLength(16);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.toString("utf8")).not.toContain("s3cr3t");
    expect(vault.decrypt(a, context)).toBe("s3cr3t-Pässword");
  });

  it("detects tampering with ciphertext, IV or tag, and a value moved to another row", () => {
    const value = vault.encrypt("s3cr3t", context);
    const flip = (b: Buffer) => {
      const copy = Buffer.from(b);
      copy[0] = (copy[0] ?? 0) ^ 1;
      return copy;
    };
    const tampered: EncryptedValue[] = [
      { ...value, ciphertext: flip(value.ciphertext) },
      { ...value, iv: flip(value.iv) },
      { ...value, authTag: flip(value.authTag) },
    ];
    for (const bad of tampered) {
      expect(errorCode(() => vault.decrypt(bad, context))).toBe("VAULT_TAMPERED");
    }
    expect(errorCode(() => vault.decrypt(value, "credentials:c2:syspro_operator_password"))).toBe(
      "VAULT_TAMPERED",
    );
  });

  it("decrypts values of previous keys, encrypts with the current one, refuses unknown keys", () => {
    const old = vault.encrypt("s3cr3t", context);
    const rotated = createVault({ keys: [newKey, oldKey], currentKeyId: "new" });
    expect(rotated.decrypt(old, context)).toBe("s3cr3t");
    const fresh = rotated.encrypt("s3cr3t", context);
    expect(fresh.keyId).toBe("new");
    expect(errorCode(() => vault.decrypt(fresh, context))).toBe("VAULT_UNKNOWN_KEY");
  });

  it("refuses keys that are not 32 bytes, duplicate ids and a missing current key", () => {
    expect(
      errorCode(() =>
        createVault({ keys: [{ id: "x", key: randomBytes(16) }], currentKeyId: "x" }),
      ),
    ).toBe("VAULT_CONFIG");
    expect(errorCode(() => createVault({ keys: [oldKey, oldKey], currentKeyId: "old" }))).toBe(
      "VAULT_CONFIG",
    );
    expect(errorCode(() => createVault({ keys: [oldKey], currentKeyId: "new" }))).toBe(
      "VAULT_CONFIG",
    );
  });
});
