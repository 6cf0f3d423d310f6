import { createHash, randomBytes } from "node:crypto";

/**
 * API keys look like `mlc_<43 base64url characters>` (32 random bytes). We store only the SHA-256
 * of the whole key and its first characters (the prefix), so a leaked database does not leak keys
 * and a person can still tell keys apart in a list.
 */
export const API_KEY_PREFIX = "mlc_";
const RANDOM_BYTES = 32;
/** `mlc_` plus 8 characters: enough to recognise a key, far too little to guess it. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** Generated keys are 47 characters; a bootstrap `ADMIN_API_KEY` may be any reasonable token. */
const PLAUSIBLE_KEY = /^[\x21-\x7e]{16,256}$/;

export interface GeneratedApiKey {
  /** The plaintext key. Shown to its owner once; never stored. */
  readonly key: string;
  readonly prefix: string;
  readonly hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const key = API_KEY_PREFIX + randomBytes(RANDOM_BYTES).toString("base64url");
  return { key, prefix: apiKeyPrefix(key), hash: hashApiKey(key) };
}

/** Hex SHA-256 of the key. Keys are 256 random bits, so a fast unsalted hash is enough. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** Lets us refuse garbage (empty, huge, binary) without a database round trip. */
export function isPlausibleApiKey(key: string): boolean {
  return PLAUSIBLE_KEY.test(key);
}

/**
 * Extracts the key from an `Authorization: Bearer <key>` header value. Returns null for a
 * missing header or another scheme.
 */
export function parseBearer(header: string | null | undefined): string | null {
  if (!header) {
    return null;
  }
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
