import { createHash } from "node:crypto";

import { AvidMalformedResponseError, isAvidTransientError } from "./errors.js";
import { toAvidError } from "./transport-errors.js";
import { parseWire, tokenResponseSchema } from "./schemas.js";
import { parseWireJson, WireJsonError } from "./wire-json.js";

import type { HttpClient } from "../http.js";
import type { AvidClock } from "./clock.js";
import type { AvidLogger } from "./logger.js";
import type { AvidSettings } from "./settings.js";
import type { AvidToken, TokenStore } from "./token-store.js";

/**
 * OAuth 2.0 client credentials (contract §7.2, §9.1). One token per (token URL, client id,
 * company), cached with its expiry in a `TokenStore` shared by every process, refreshed shortly
 * before it expires. In a process, concurrent callers share one in-flight request (single flight);
 * across processes the store's lock makes one worker fetch while the others wait and read.
 */

export interface AvidCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly companyId: string;
}

/** The store key: readable company, hashed token URL and client id (fixed length, no secrets). */
export function tokenKey(c: Pick<AvidCredentials, "tokenUrl" | "clientId" | "companyId">): string {
  const digest = createHash("sha256")
    .update(`${c.tokenUrl}\n${c.clientId}\n${c.companyId}`)
    .digest("hex")
    .slice(0, 24);
  return `avidxchange:token:${digest}`;
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding. */
function basicAuth(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString("base64")}`;
}

/** One token request, classified. Never puts the secret or the token into an error or a log. */
export async function requestToken(
  http: HttpClient,
  credentials: AvidCredentials,
  settings: AvidSettings,
  clock: AvidClock,
  signal?: AbortSignal,
): Promise<AvidToken> {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (settings.tokenScope) {
    form.set("scope", settings.tokenScope);
  }
  const request = "POST token";
  const askedAt = clock.now();
  let text: string;
  try {
    const res = await http.request({
      method: "POST",
      url: credentials.tokenUrl,
      operation: "token",
      // Asking again for a client-credentials token has no effect but a second token.
      idempotent: true,
      headers: {
        authorization: basicAuth(credentials.clientId, credentials.clientSecret),
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: form.toString(),
      ...(signal ? { signal } : {}),
    });
    text = res.text();
  } catch (thrown) {
    throw toAvidError(thrown, request, "token", settings, clock.now());
  }
  let json: unknown;
  try {
    json = parseWireJson(text);
  } catch (e) {
    if (e instanceof WireJsonError) {
      throw new AvidMalformedResponseError("the token URL did not answer with JSON", { request });
    }
    throw e;
  }
  const body = parseWire(tokenResponseSchema, json, "token response", request);
  const lifetimeMs = body.expires_in * 1000;
  const margin = Math.min(settings.tokenRefreshMarginMs, lifetimeMs / 10);
  return {
    accessToken: body.access_token,
    expiresAt: askedAt + lifetimeMs,
    refreshAt: askedAt + lifetimeMs - margin,
  };
}

export interface TokenCache {
  /** A usable access token. */
  get(): Promise<string>;
  /** AvidXchange refused `accessToken` (401 900901): forget it here and in the store. */
  invalidate(accessToken: string): Promise<void>;
}

export interface TokenCacheDeps {
  readonly key: string;
  readonly store: TokenStore;
  readonly clock: AvidClock;
  readonly fetchToken: () => Promise<AvidToken>;
  readonly logger: AvidLogger;
}

export function createTokenCache(deps: TokenCacheDeps): TokenCache {
  const { key, store, clock, logger } = deps;
  let current: AvidToken | undefined;
  let inflight: Promise<AvidToken> | undefined;

  // Deliberately not a type guard: a stale token is still an AvidToken (usable until expiresAt).
  const fresh = (t: AvidToken | undefined): boolean => !!t && clock.now() < t.refreshAt;

  async function fetchAndStore(): Promise<AvidToken> {
    return store.withLock(key, async () => {
      // Another process may have fetched while we waited for the lock.
      const stored = await store.get(key);
      if (stored && fresh(stored)) {
        return stored;
      }
      try {
        const token = await deps.fetchToken();
        await store.set(key, token);
        logger.info(
          { tokenKey: key, expiresInMs: token.expiresAt - clock.now() },
          "avidxchange token fetched",
        );
        return token;
      } catch (e) {
        // An outage of the token URL need not stop us while the old token is still valid.
        if (isAvidTransientError(e) && stored && clock.now() < stored.expiresAt) {
          logger.warn({ tokenKey: key, err: { code: e.code } }, "token refresh failed, using old");
          return stored;
        }
        throw e;
      }
    });
  }

  async function load(): Promise<AvidToken> {
    const stored = await store.get(key);
    current = stored && fresh(stored) ? stored : await fetchAndStore();
    return current;
  }

  return {
    async get() {
      if (current && fresh(current)) {
        return current.accessToken;
      }
      // Shared by every waiting caller, so no one caller's abort signal may cancel it.
      inflight ??= load().finally(() => {
        inflight = undefined;
      });
      return (await inflight).accessToken;
    },
    async invalidate(accessToken) {
      if (current?.accessToken === accessToken) {
        current = undefined;
      }
      await store.invalidate(key, accessToken);
    },
  };
}
