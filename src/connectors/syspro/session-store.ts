/**
 * The e.net session is shared by every worker process of a connection: SYSPRO allows one live
 * session per operator (a second Logon kills the first), so N workers must not log on N times, and
 * calls for one operator are serialised. The connector declares this store; a Postgres-backed
 * implementation lives outside `connectors/` (`src/connector-state/enet-session-lease.ts`); the
 * in-memory one below serves unit tests and single-process runs.
 *
 * A lease is a lock with a time-to-live: whoever holds it may use (and replace) the stored session;
 * a crashed holder's lease simply expires. The holder renews it while a long call is in flight.
 */
import { AppError } from "../../errors.js";

/** What is shared: the UserId (stored encrypted by durable stores) and when to stop trusting it. */
export interface StoredEnetSession {
  userId: string;
  /** The company the UserId is logged on to (one operator may serve several connections). */
  companyId: string;
  /** Epoch ms: after this the session is idle-expired and replaced by a fresh Logon. */
  refreshAfter: number;
}

export interface SessionLease {
  /** The session stored when the lease was taken, or undefined. */
  readonly session: StoredEnetSession | undefined;
  /** Stores (or, with null, forgets) the session. Throws `SessionLeaseLostError` if the lease expired. */
  save(session: StoredEnetSession | null): Promise<void>;
  /** Extends the lease to `ttlMs` from now. Throws `SessionLeaseLostError` if it was lost. */
  renew(ttlMs: number): Promise<void>;
  /** Releases the lease; `touch` moves the stored session's `refreshAfter` (it was just used). */
  release(touch?: { refreshAfter: number }): Promise<void>;
}

export interface AcquireOptions {
  /** How long the lease lives unless renewed. */
  ttlMs: number;
  /** How long to wait for another holder before giving up with `SessionLeaseTimeoutError`. */
  waitMs: number;
  signal?: AbortSignal;
}

export interface SessionStore {
  /** Waits for and takes the lease on `key` (one key per SYSPRO server and operator). */
  acquire(key: string, options: AcquireOptions): Promise<SessionLease>;
}

export class SessionLeaseTimeoutError extends AppError {
  override readonly name = "SessionLeaseTimeoutError";
  constructor(key: string, waitMs: number) {
    super(
      "SESSION_LEASE_TIMEOUT",
      `session lease ${key} still held by another worker after ${waitMs} ms`,
    );
  }
}
export const isSessionLeaseTimeoutError = (e: unknown): e is SessionLeaseTimeoutError =>
  e instanceof SessionLeaseTimeoutError;

export class SessionLeaseLostError extends AppError {
  override readonly name = "SessionLeaseLostError";
  constructor(key: string) {
    super("SESSION_LEASE_LOST", `session lease ${key} expired and was taken by another holder`);
  }
}
export const isSessionLeaseLostError = (e: unknown): e is SessionLeaseLostError =>
  e instanceof SessionLeaseLostError;

interface Slot {
  session: StoredEnetSession | undefined;
  holder: symbol | undefined;
  until: number;
  waiters: (() => void)[];
}

export interface MemorySessionStore extends SessionStore {
  /** The stored session, for assertions. */
  peek(key: string): StoredEnetSession | undefined;
}

/** An in-process store: a FIFO lock per key with a TTL. */
export function createMemorySessionStore(options: { now?: () => number } = {}): MemorySessionStore {
  const now = options.now ?? Date.now;
  const slots = new Map<string, Slot>();

  const slotFor = (key: string): Slot => {
    let slot = slots.get(key);
    if (!slot) {
      slot = { session: undefined, holder: undefined, until: 0, waiters: [] };
      slots.set(key, slot);
    }
    return slot;
  };

  const wakeNext = (slot: Slot) => slot.waiters.shift()?.();

  async function acquire(key: string, opts: AcquireOptions): Promise<SessionLease> {
    const slot = slotFor(key);
    const deadline = now() + opts.waitMs;
    while (slot.holder !== undefined && slot.until > now()) {
      const remaining = Math.min(deadline, slot.until) - now();
      if (now() >= deadline) {
        throw new SessionLeaseTimeoutError(key, opts.waitMs);
      }
      opts.signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        // Wake on release, on the holder's expiry, or at our deadline, whichever comes first.
        const timer = setTimeout(
          () => {
            slot.waiters = slot.waiters.filter((w) => w !== wake);
            resolve();
          },
          Math.max(1, remaining),
        );
        slot.waiters.push(wake);
      });
    }
    const token = Symbol(key);
    slot.holder = token;
    slot.until = now() + opts.ttlMs;
    const assertHeld = () => {
      if (slot.holder !== token) {
        throw new SessionLeaseLostError(key);
      }
    };
    return {
      session: slot.session ? { ...slot.session } : undefined,
      async save(session) {
        assertHeld();
        slot.session = session ? { ...session } : undefined;
      },
      async renew(ttlMs) {
        assertHeld();
        slot.until = now() + ttlMs;
      },
      async release(touch) {
        if (slot.holder !== token) {
          return;
        }
        if (touch && slot.session) {
          slot.session = { ...slot.session, refreshAfter: touch.refreshAfter };
        }
        slot.holder = undefined;
        slot.until = 0;
        wakeNext(slot);
      },
    };
  }

  return {
    acquire,
    peek: (key) => {
      const s = slots.get(key)?.session;
      return s ? { ...s } : undefined;
    },
  };
}
