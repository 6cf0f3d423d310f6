/**
 * The e.net session lifecycle (contract §1.4, §1.5, §4.1):
 * - one UserId per SYSPRO server and operator, shared through the `SessionStore` by every process
 *   of a connection, and every call made while holding that store's lease (calls are serialised);
 * - reused until it has been idle for `idleRefreshMs`, then replaced by a fresh Logon (after a
 *   polite Logoff of the old one);
 * - on an `ERROR…` answer, which may mean the session is gone (the exact text is unconfirmed), the
 *   session is forgotten and we log on again once — and only a query is retried. A Post or Setup
 *   is never retried: a lost session surfaces as `SysproAmbiguousWriteError` so the caller checks
 *   SYSPRO before trying again;
 * - `close()` logs off and forgets the session (safe while other processes run: they take the lease
 *   after us, find no session and log on afresh).
 */
import {
  SysproAmbiguousWriteError,
  SysproBusinessRejectionError,
  SysproPermissionError,
  SysproSessionLostError,
  SysproTransientError,
} from "./errors.js";
import { PERMISSION_TEXT, type EnetCall, type EnetTransport } from "./enet-transport.js";
import {
  isSessionLeaseTimeoutError,
  type SessionLease,
  type SessionStore,
  type StoredEnetSession,
} from "./session-store.js";

export interface SessionLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface EnetSessionOptions {
  transport: EnetTransport;
  store: SessionStore;
  /** Lease key: one per SYSPRO server and operator. */
  key: string;
  companyId: string;
  now: () => number;
  /** Replace a session idle this long. Default 10 min (SYSPRO's idle timeout is often 20). */
  idleRefreshMs: number;
  leaseTtlMs: number;
  leaseWaitMs: number;
  /** `ERROR…` texts that mean "this UserId is no longer valid". */
  sessionLostText: RegExp;
  logger: SessionLogger;
}

export interface EnetSession {
  /** Runs one e.net call on the shared session; returns the reply text (XmlOut). */
  execute(call: EnetCall): Promise<string>;
  /** Logs on afresh (checking the credentials), stores the session, then runs `fn` on it. */
  verify<T>(
    fn: (run: (call: EnetCall) => Promise<string>) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
  /** Logs off and forgets the shared session. */
  close(signal?: AbortSignal): Promise<void>;
}

export function createEnetSession(o: EnetSessionOptions): EnetSession {
  const { transport, logger } = o;

  async function withLease<T>(
    fn: (
      lease: SessionLease,
      state: { current: StoredEnetSession | undefined; used: boolean },
    ) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    let lease: SessionLease;
    try {
      lease = await o.store.acquire(o.key, {
        ttlMs: o.leaseTtlMs,
        waitMs: o.leaseWaitMs,
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if (isSessionLeaseTimeoutError(e)) {
        throw new SysproTransientError("SYSPRO session busy: another worker holds it", {
          cause: e,
          code: "SYSPRO_SESSION_BUSY",
        });
      }
      throw e;
    }
    // Keep the lease alive while a slow call is in flight.
    const heartbeat = setInterval(
      () => {
        lease.renew(o.leaseTtlMs).catch((err: unknown) => {
          logger.warn(
            { err: errSummary(err), sessionKey: o.key },
            "could not renew the SYSPRO session lease",
          );
        });
      },
      Math.max(1_000, Math.floor(o.leaseTtlMs / 3)),
    );
    heartbeat.unref();
    const state = { current: lease.session, used: false };
    try {
      return await fn(lease, state);
    } finally {
      clearInterval(heartbeat);
      const touch =
        state.used && state.current ? { refreshAfter: o.now() + o.idleRefreshMs } : undefined;
      await lease.release(touch).catch((err: unknown) => {
        logger.warn(
          { err: errSummary(err), sessionKey: o.key },
          "could not release the SYSPRO session lease",
        );
      });
    }
  }

  async function logonInto(
    lease: SessionLease,
    state: { current: StoredEnetSession | undefined },
    signal?: AbortSignal,
  ): Promise<string> {
    const userId = await transport.logon(signal);
    state.current = { userId, companyId: o.companyId, refreshAfter: o.now() + o.idleRefreshMs };
    await lease.save(state.current);
    logger.info({ sessionKey: o.key }, "SYSPRO e.net logon");
    return userId;
  }

  async function forget(lease: SessionLease, state: { current: StoredEnetSession | undefined }) {
    state.current = undefined;
    await lease.save(null);
  }

  async function usable(
    lease: SessionLease,
    state: { current: StoredEnetSession | undefined },
    signal?: AbortSignal,
  ): Promise<string> {
    const s = state.current;
    if (s && s.companyId === o.companyId && s.refreshAfter > o.now()) {
      return s.userId;
    }
    if (s) {
      // Idle-expired, or logged on to another company by a connection sharing this operator.
      await transport.logoff(s.userId, signal).catch(() => false);
      await forget(lease, state);
    }
    return logonInto(lease, state, signal);
  }

  async function execute(call: EnetCall): Promise<string> {
    const what = call.businessObject ?? call.method;
    return withLease(async (lease, state) => {
      const first = await transport.call(await usable(lease, state, call.signal), call);
      if (first.ok) {
        state.used = true;
        return first.text;
      }
      if (PERMISSION_TEXT.test(first.errorText)) {
        state.used = true;
        throw new SysproPermissionError("enet", `${what}: ${first.errorText}`, {
          sysproText: first.errorText,
        });
      }
      // Any ERROR may mean the session is gone (contract §1.5): forget it; log on again once.
      const sessionLost = o.sessionLostText.test(first.errorText);
      logger.warn(
        { sessionKey: o.key, businessObject: what, sessionLost },
        "SYSPRO e.net returned ERROR",
      );
      await forget(lease, state);
      if (!call.idempotent) {
        if (sessionLost) {
          throw new SysproAmbiguousWriteError("session_lost", what, first.errorText);
        }
        throw new SysproBusinessRejectionError(what, [{ text: first.errorText }]);
      }
      const second = await transport.call(await logonInto(lease, state, call.signal), call);
      state.used = true;
      if (second.ok) {
        return second.text;
      }
      if (PERMISSION_TEXT.test(second.errorText)) {
        throw new SysproPermissionError("enet", `${what}: ${second.errorText}`, {
          sysproText: second.errorText,
        });
      }
      if (o.sessionLostText.test(second.errorText)) {
        await forget(lease, state);
        throw new SysproSessionLostError(second.errorText);
      }
      throw new SysproBusinessRejectionError(what, [{ text: second.errorText }]);
    }, call.signal);
  }

  async function verify<T>(
    fn: (run: (call: EnetCall) => Promise<string>) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    return withLease(async (lease, state) => {
      const previous = state.current;
      const userId = await transport.logon(signal);
      if (previous && previous.userId !== userId) {
        // The new Logon has killed the old session already; nothing to log off.
        logger.debug({ sessionKey: o.key }, "SYSPRO session replaced by a verification logon");
      }
      state.current = { userId, companyId: o.companyId, refreshAfter: o.now() + o.idleRefreshMs };
      await lease.save(state.current);
      state.used = true;
      return fn(async (call) => {
        const reply = await transport.call(userId, call);
        if (!reply.ok) {
          if (PERMISSION_TEXT.test(reply.errorText)) {
            throw new SysproPermissionError("enet", reply.errorText, {
              sysproText: reply.errorText,
            });
          }
          throw new SysproBusinessRejectionError(call.businessObject ?? call.method, [
            { text: reply.errorText },
          ]);
        }
        return reply.text;
      });
    }, signal);
  }

  async function close(signal?: AbortSignal): Promise<void> {
    await withLease(async (lease, state) => {
      const s = state.current;
      if (!s) {
        return;
      }
      await transport.logoff(s.userId, signal).catch((err: unknown) => {
        logger.warn({ err: errSummary(err), sessionKey: o.key }, "SYSPRO e.net logoff failed");
        return false;
      });
      await forget(lease, state);
      logger.info({ sessionKey: o.key }, "SYSPRO e.net logoff");
    }, signal);
  }

  return { execute, verify, close };
}

/** An error for a log line: name, code and message only (messages never carry UserIds). */
export function errSummary(err: unknown): { name?: string; code?: unknown; message?: string } {
  if (err instanceof Error) {
    return { name: err.name, code: (err as { code?: unknown }).code, message: err.message };
  }
  return { message: String(err) };
}
