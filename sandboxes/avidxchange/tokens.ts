/**
 * Access tokens of the WSO2-style gateway. Opaque, deterministic (seed + counter), expiring on the
 * simulated clock, revocable by the test controls.
 */
import type { KeyType } from "./options.js";
import { deterministicHex } from "./prng.js";

export interface TokenRecord {
  token: string;
  clientId: string;
  keyType: KeyType;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export interface TokenStore {
  issue(clientId: string, keyType: KeyType, now: number, ttlSeconds: number): TokenRecord;
  /** The live record for a token, or null when unknown, expired or revoked. */
  valid(token: string, now: number): TokenRecord | null;
  /** The record of a token we issued, live or not (to name its client in the request log). */
  find(token: string): TokenRecord | null;
  /** Revokes every token (of one client, when given); returns how many were live. */
  revoke(filter?: { clientId?: string; token?: string }): number;
  /** Tokens issued so far, per client. */
  issuedCount(clientId?: string): number;
}

export function createTokenStore(seed: number): TokenStore {
  const tokens = new Map<string, TokenRecord>();
  let counter = 0;

  return {
    issue(clientId, keyType, now, ttlSeconds) {
      counter += 1;
      const token = deterministicHex(seed, 32, "token", String(counter), clientId);
      const record: TokenRecord = {
        token,
        clientId,
        keyType,
        issuedAt: now,
        expiresAt: now + ttlSeconds * 1000,
        revoked: false,
      };
      tokens.set(token, record);
      return record;
    },
    valid(token, now) {
      const record = tokens.get(token);
      if (!record || record.revoked || now >= record.expiresAt) {
        return null;
      }
      return record;
    },
    find(token) {
      return tokens.get(token) ?? null;
    },
    revoke(filter = {}) {
      let count = 0;
      for (const record of tokens.values()) {
        const matches =
          (filter.clientId === undefined || record.clientId === filter.clientId) &&
          (filter.token === undefined || record.token === filter.token);
        if (matches && !record.revoked) {
          record.revoked = true;
          count += 1;
        }
      }
      return count;
    },
    issuedCount(clientId) {
      let count = 0;
      for (const record of tokens.values()) {
        if (clientId === undefined || record.clientId === clientId) {
          count += 1;
        }
      }
      return count;
    },
  };
}
