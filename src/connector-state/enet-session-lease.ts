/**
 * The SYSPRO e.net session lease in Postgres (`remote_sessions`), shared by every worker process of
 * a connection: SYSPRO allows one live session per operator, so the UserId is stored once (encrypted
 * through the vault, with the row key as authenticated context so `rotateKeys` can re-encrypt it)
 * and every e.net call is made while holding the row's lease.
 *
 * The lease is the row's `lease_holder` / `lease_until`, taken in one atomic upsert that succeeds
 * only when the row is free or its lease has expired (by the database clock, so processes need no
 * common clock). A crashed holder's lease simply runs out; a live one renews it during long calls.
 * Every write is compare-and-set on our holder token, so a holder whose lease was taken over cannot
 * clobber the new holder's session. Waiters poll with a short, growing, jittered sleep.
 */
import { randomUUID } from "node:crypto";

import {
  SessionLeaseLostError,
  SessionLeaseTimeoutError,
  type AcquireOptions,
  type SessionLease,
  type SessionStore,
  type StoredEnetSession,
} from "../connectors/syspro/session-store.js";
import { decryptSessionValue, encryptSessionValue } from "../secrets/session-values.js";

import type { Vault } from "../secrets/vault.js";
import type { Sql } from "postgres";

export interface PgEnetSessionStoreDeps {
  /** postgres.js, e.g. `createDb(…).sql`. */
  readonly sql: Sql;
  /** The encrypt/decrypt pair (`src/secrets/vault.ts`). */
  readonly vault: Pick<Vault, "encrypt" | "decrypt">;
  /** Ties the row to a connection (deleted with it). Optional. */
  readonly connectionId?: string | undefined;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Row {
  key: string;
  ciphertext: Buffer | null;
  iv: Buffer | null;
  auth_tag: Buffer | null;
  key_id: string | null;
  /** Epoch ms as text (independent of how the pool parses timestamps). */
  expires_ms: string | null;
}

interface Payload {
  userId: string;
  companyId: string;
}

export function createPgEnetSessionStore(deps: PgEnetSessionStoreDeps): SessionStore {
  const { sql } = deps;
  const vault = deps.vault as Vault;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function tryTake(key: string, token: string, ttlMs: number): Promise<Row | undefined> {
    const rows = await sql<Row[]>`
      insert into remote_sessions (key, connection_id, system, lease_holder, lease_until)
      values (${key}, ${deps.connectionId ?? null}, 'syspro', ${token},
              now() + ${ttlMs} * interval '1 millisecond')
      on conflict (key) do update
        set lease_holder = excluded.lease_holder,
            lease_until = excluded.lease_until,
            updated_at = now()
        where remote_sessions.lease_holder is null or remote_sessions.lease_until < now()
      returning key, ciphertext, iv, auth_tag, key_id,
                (extract(epoch from expires_at) * 1000)::bigint::text as expires_ms`;
    return rows[0];
  }

  function decode(row: Row): StoredEnetSession | undefined {
    const plain = decryptSessionValue(vault, {
      key: row.key,
      ciphertext: row.ciphertext,
      iv: row.iv,
      authTag: row.auth_tag,
      keyId: row.key_id,
    });
    if (plain === undefined || row.expires_ms === null) {
      return undefined;
    }
    const payload = JSON.parse(plain) as Payload;
    return {
      userId: payload.userId,
      companyId: payload.companyId,
      refreshAfter: Number(row.expires_ms),
    };
  }

  async function acquire(key: string, opts: AcquireOptions): Promise<SessionLease> {
    const token = `${process.pid}:${randomUUID()}`;
    const deadline = Date.now() + opts.waitMs;
    let pause = 10;
    let row = await tryTake(key, token, opts.ttlMs);
    while (!row) {
      opts.signal?.throwIfAborted();
      if (Date.now() >= deadline) {
        throw new SessionLeaseTimeoutError(key, opts.waitMs);
      }
      await sleep(Math.min(pause, Math.max(1, deadline - Date.now())) * (0.5 + Math.random() / 2));
      pause = Math.min(200, pause * 1.5);
      row = await tryTake(key, token, opts.ttlMs);
    }

    const held = async (rows: readonly unknown[]) => {
      if (rows.length === 0) {
        throw new SessionLeaseLostError(key);
      }
    };

    return {
      session: decode(row),
      async save(session) {
        if (session === null) {
          await held(
            await sql`
              update remote_sessions
                 set ciphertext = null, iv = null, auth_tag = null, key_id = null, expires_at = null,
                     version = version + 1, updated_at = now()
               where key = ${key} and lease_holder = ${token}
              returning key`,
          );
          return;
        }
        const payload: Payload = { userId: session.userId, companyId: session.companyId };
        const value = encryptSessionValue(vault, key, JSON.stringify(payload));
        await held(
          await sql`
            update remote_sessions
               set ciphertext = ${value.ciphertext}, iv = ${value.iv}, auth_tag = ${value.authTag},
                   key_id = ${value.keyId},
                   expires_at = ${new Date(session.refreshAfter).toISOString()}::timestamptz,
                   version = version + 1, updated_at = now()
             where key = ${key} and lease_holder = ${token}
            returning key`,
        );
      },
      async renew(ttlMs) {
        await held(
          await sql`
            update remote_sessions
               set lease_until = now() + ${ttlMs} * interval '1 millisecond'
             where key = ${key} and lease_holder = ${token}
            returning key`,
        );
      },
      async release(touch) {
        // Releasing a lost lease is a no-op; `touch` moves the expiry of a stored session only.
        if (touch === undefined) {
          await sql`
            update remote_sessions set lease_holder = null, lease_until = null, updated_at = now()
             where key = ${key} and lease_holder = ${token}`;
          return;
        }
        const refreshAfter = new Date(touch.refreshAfter).toISOString();
        await sql`
          update remote_sessions
             set lease_holder = null, lease_until = null, updated_at = now(),
                 expires_at = case when ciphertext is null then expires_at
                                   else ${refreshAfter}::timestamptz end
           where key = ${key} and lease_holder = ${token}`;
      },
    };
  }

  return { acquire };
}
