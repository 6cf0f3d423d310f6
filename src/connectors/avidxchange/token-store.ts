/**
 * Where access tokens are shared (DESIGN "Layers"): one token per (token URL, client id, company),
 * used by every worker process, so N workers do not fetch N tokens. The connector declares this
 * interface; `src/connector-state/avid-token-cache.ts` implements it on Postgres (encrypted), and
 * `createMemoryTokenStore` below serves unit tests and single-process use.
 */
export interface AvidToken {
  readonly accessToken: string;
  /** Epoch ms at which AvidXchange stops accepting it (`expires_in` after it was asked for). */
  readonly expiresAt: number;
  /** Epoch ms from which a caller should fetch a new one instead (shortly before `expiresAt`). */
  readonly refreshAt: number;
}

export interface TokenStore {
  get(key: string): Promise<AvidToken | undefined>;
  set(key: string, token: AvidToken): Promise<void>;
  /**
   * Drops the token for `key` only if it is still `accessToken`: a newer token another process
   * stored after ours was rejected must survive.
   */
  invalidate(key: string, accessToken: string): Promise<void>;
  /**
   * Runs `fn` while holding the lock for `key`, across processes: of N workers finding no usable
   * token, one fetches while the others wait, then they read what it stored.
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Tokens in this process's memory, with an in-process lock. */
export function createMemoryTokenStore(): TokenStore & { readonly size: number } {
  const tokens = new Map<string, AvidToken>();
  const locks = new Map<string, Promise<unknown>>();
  return {
    async get(key) {
      return tokens.get(key);
    },
    async set(key, token) {
      tokens.set(key, token);
    },
    async invalidate(key, accessToken) {
      if (tokens.get(key)?.accessToken === accessToken) {
        tokens.delete(key);
      }
    },
    async withLock(key, fn) {
      const previous = locks.get(key) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const tail = run.catch(() => undefined);
      locks.set(key, tail);
      try {
        return await run;
      } finally {
        if (locks.get(key) === tail) {
          locks.delete(key);
        }
      }
    },
    get size() {
      return tokens.size;
    },
  };
}
