import { Writable } from "node:stream";

import { eq } from "drizzle-orm";
import { Logger as WorkerLogger, runOnce } from "graphile-worker";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { remoteSessions } from "../../src/db/schema/index.js";
import { connectorsDeps } from "../../src/jobs/deps.js";
import { createTaskList } from "../../src/jobs/index.js";
import { createLogger } from "../../src/logger.js";
import { decryptSessionValue } from "../../src/secrets/session-values.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { triggerSync } from "../../src/sync/commands/sync-runs.js";
import { createConnectorCache } from "../../src/sync/connectors-for.js";
import { diagnoseConnection } from "../../src/sync/diagnose-connection.js";
import { startSyncHarness } from "../jobs/harness.js";
import { guardLeaks } from "../setup/leaks.js";

import type { SyncHarness } from "../jobs/harness.js";

guardLeaks();

/** A pino logger at trace level whose JSON lines are kept, raw and parsed. */
function capturedLogger() {
  let raw = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString("utf8");
      done();
    },
  });
  const logger = createLogger({ level: "trace", destination });
  return {
    logger,
    raw: () => raw,
    lines: () =>
      raw
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Every string a log must never show: stored passwords and secrets, live session ids and tokens. */
async function secretsOf(h: SyncHarness): Promise<string[]> {
  const secrets = [
    h.syspro.credentials.operatorPassword,
    h.syspro.credentials.companyPassword,
    h.syspro.credentials.odataPassword,
    h.avid.clients[0]!.clientSecret,
  ];
  const sessions = await h.t.db
    .select()
    .from(remoteSessions)
    .where(eq(remoteSessions.connectionId, h.connectionId));
  for (const row of sessions) {
    const value = decryptSessionValue(h.deps.vault, row);
    if (value === undefined) {
      continue;
    }
    secrets.push(value);
    try {
      // Token caches may keep a JSON document: each of its strings is a secret too.
      collectStrings(JSON.parse(value), secrets);
    } catch {
      // a bare value
    }
  }
  return secrets.filter((s) => s.length >= 6);
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") {
    into.push(value);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) {
      collectStrings(v, into);
    }
  }
}

describe("structured logs of a real sync and a connection test", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("every line of a sync job names its connection; movements carry their transaction ID; no secret appears", async () => {
    const { logger, raw, lines } = capturedLogger();
    // Kept open until the secrets are read: a live e.net session and token are in the database.
    const connectorCache = createConnectorCache(connectorsDeps({ ...h.deps, logger }));
    const pool = new pg.Pool({ connectionString: h.t.url, max: 2 });
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
    try {
      const taskList = createTaskList({ ...h.deps, logger, connectorCache });
      // Failures that make the connectors log: a retried 500 and a 429.
      h.avid.control.setVariants({ retryAfter: "seconds" });
      h.avid.control.addFault({ kind: "status", status: 500, path: "/v1/vendors", method: "POST" });
      h.avid.control.addFault({
        kind: "rate-limit",
        path: "/v1/vendors",
        method: "POST",
        retryAfterSeconds: 1,
      });
      const { run } = await triggerSync(h.t.db, createJobQueue(), {
        connectionId: h.connectionId,
        kind: "suppliers",
        dryRun: false,
        fullResync: false,
        force: false,
        actor: "test",
      });
      await runOnce({
        pgPool: pool,
        taskList,
        noHandleSignals: true,
        logger: new WorkerLogger(() => () => {}),
      });
      const [{ state } = { state: "?" }] = await h.t.sql<{ state: string }[]>`
        select state from sync_runs where id = ${run.id}`;
      expect(state).toBe("succeeded");

      const logged = lines();
      expect(logged.some((l) => l.msg === "avidxchange rate limited")).toBe(true);
      expect(logged.some((l) => l.msg === "http request failed, retrying")).toBe(true);
      for (const line of logged) {
        expect(line, String(line.msg)).toMatchObject({
          connectionId: h.connectionId,
          task: "sync:run",
        });
      }
      const withTransaction = logged.filter((l) => typeof l.transactionId === "string");
      expect(withTransaction.length).toBeGreaterThan(0);
      for (const line of withTransaction) {
        expect(line.transactionId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      }

      const secrets = await secretsOf(h);
      // The session id and token were live: the check covers them, not only the passwords.
      expect(secrets.length).toBeGreaterThan(4);
      for (const secret of secrets) {
        expect(raw().includes(secret), "a secret was logged").toBe(false);
      }
    } finally {
      await connectorCache.close();
      await pool.end();
    }
  });

  it("a connection test (ping) logs with the connection and without secrets", async () => {
    const { logger, raw, lines } = capturedLogger();
    h.avid.control.addFault({ kind: "status", status: 503, path: "/v1" });
    const diagnosis = await diagnoseConnection(
      connectorsDeps({ ...h.deps, logger }),
      h.connectionId,
    );
    expect(diagnosis.ok).toBe(true);
    const logged = lines();
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) {
      expect(line.connectionId, String(line.msg)).toBe(h.connectionId);
    }
    for (const secret of await secretsOf(h)) {
      expect(raw().includes(secret), "a secret was logged").toBe(false);
    }
  });
});
