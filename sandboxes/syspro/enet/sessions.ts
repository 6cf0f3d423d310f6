/**
 * e.net sessions (contract §1.4, §4.1): Logon returns an opaque UserId; one live session per operator
 * (a second Logon kills the first); sessions expire after an idle time on the sandbox clock, and — as a
 * fault — after every N calls.
 */
import { randomBytes } from "node:crypto";

import type { SandboxClock } from "../clock.js";
import type { CompanyConfig, OperatorConfig } from "../types.js";

export interface Session {
  userId: string;
  operator: OperatorConfig;
  company: CompanyConfig;
  createdAt: number;
  lastUsedAt: number;
  calls: number;
}

export interface SessionSnapshot {
  operator: string;
  company: string;
  createdAt: string;
  lastUsedAt: string;
  calls: number;
}

export type LogonResult = { ok: true; session: Session } | { ok: false; error: string };
export type ResolveResult =
  { ok: true; session: Session } | { ok: false; reason: "unknown" | "expired" | "killed" };

export interface SessionOptions {
  clock: SandboxClock;
  operators: () => readonly OperatorConfig[];
  companies: () => readonly CompanyConfig[];
  idleMinutes: number;
}

export function createSessions(options: SessionOptions) {
  const { clock } = options;
  let idleMs = options.idleMinutes * 60_000;
  let expireEveryCalls: number | null = null;
  let counter = 0;
  const live = new Map<string, Session>(); // by UserId
  const byOperator = new Map<string, string>(); // operator code (upper) → UserId

  function newUserId(): string {
    // 32 hex digits plus an instance/sequence suffix: 42 characters, inside the 34–75 seen in the wild.
    counter++;
    return `${randomBytes(16).toString("hex").toUpperCase()}${String(counter).padStart(10, "0")}`;
  }

  function end(userId: string): void {
    const s = live.get(userId);
    if (s !== undefined) {
      live.delete(userId);
      if (byOperator.get(s.operator.operator.toUpperCase()) === userId) {
        byOperator.delete(s.operator.operator.toUpperCase());
      }
    }
  }

  return {
    logon(
      operatorCode: string,
      password: string,
      companyId: string,
      companyPassword: string,
    ): LogonResult {
      const operator = options
        .operators()
        .find((o) => o.operator.toUpperCase() === operatorCode.trim().toUpperCase());
      if (operator === undefined || operator.password !== password) {
        return { ok: false, error: "ERROR: Invalid operator password" };
      }
      const company = options
        .companies()
        .find((c) => c.id.toUpperCase() === companyId.trim().toUpperCase());
      if (company === undefined) {
        return { ok: false, error: `ERROR: Company '${companyId.trim()}' not found` };
      }
      if (company.password !== companyPassword) {
        return { ok: false, error: "ERROR: Invalid company password" };
      }
      if (!operator.enetAccess) {
        return {
          ok: false,
          error: `ERROR: Operator '${operator.operator}' does not have access to e.net Business Objects`,
        };
      }
      const previous = byOperator.get(operator.operator.toUpperCase());
      if (previous !== undefined) {
        end(previous); // the second Logon kills the first (contract §4.1)
      }
      const now = clock.now();
      const session: Session = {
        userId: newUserId(),
        operator,
        company,
        createdAt: now,
        lastUsedAt: now,
        calls: 0,
      };
      live.set(session.userId, session);
      byOperator.set(operator.operator.toUpperCase(), session.userId);
      return { ok: true, session };
    },

    /** Checks a UserId and counts the call against the session. */
    resolve(userId: string): ResolveResult {
      const s = live.get(userId.trim());
      if (s === undefined) {
        return { ok: false, reason: "unknown" };
      }
      const now = clock.now();
      if (now - s.lastUsedAt > idleMs) {
        end(s.userId);
        return { ok: false, reason: "expired" };
      }
      if (expireEveryCalls !== null && s.calls >= expireEveryCalls) {
        end(s.userId);
        return { ok: false, reason: "expired" };
      }
      s.calls++;
      s.lastUsedAt = now;
      return { ok: true, session: s };
    },

    logoff(userId: string): boolean {
      if (!live.has(userId.trim())) {
        return false;
      }
      end(userId.trim());
      return true;
    },

    /** Ends the live session of one operator (or all), as another Logon with the same operator would. */
    kill(operatorCode?: string): number {
      let n = 0;
      for (const s of [...live.values()]) {
        if (
          operatorCode === undefined ||
          s.operator.operator.toUpperCase() === operatorCode.toUpperCase()
        ) {
          end(s.userId);
          n++;
        }
      }
      return n;
    },

    setIdleMinutes(minutes: number): void {
      idleMs = minutes * 60_000;
    },

    /** Sessions serve N calls, then the next call finds them expired; null turns it off. */
    setExpireEveryCalls(n: number | null): void {
      expireEveryCalls = n;
    },

    settings(): { idleMinutes: number; expireEveryCalls: number | null } {
      return { idleMinutes: idleMs / 60_000, expireEveryCalls };
    },

    snapshot(): SessionSnapshot[] {
      return [...live.values()].map((s) => ({
        operator: s.operator.operator,
        company: s.company.id,
        createdAt: new Date(s.createdAt).toISOString(),
        lastUsedAt: new Date(s.lastUsedAt).toISOString(),
        calls: s.calls,
      }));
    },

    clear(): void {
      live.clear();
      byOperator.clear();
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
