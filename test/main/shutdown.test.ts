import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { makeWorkerUtils } from "graphile-worker";
import { afterAll, describe, expect, it } from "vitest";

import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { startApp } from "./process.js";

import type { AppProcess } from "./process.js";

guardLeaks();
const t = useTestDatabase();

/** Polls the database (not the clock) until `probe` holds. */
async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await probe()) {
      return;
    }
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("graceful shutdown", () => {
  const started: AppProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop("SIGKILL")));
  });

  it(
    "SIGTERM with a job running and a subscription open: the job is finished or released, the api drains, exit 0 within SHUTDOWN_TIMEOUT_MS",
    { timeout: 60_000 },
    async () => {
      const adminKey = `test-admin-${randomBytes(16).toString("hex")}`;
      const app = startApp(["serve"], {
        DATABASE_URL: t.url,
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        ADMIN_API_KEY: adminKey,
        SANDBOX: "false",
        PORT: "0",
        LOG_LEVEL: "info",
        WORKER_CONCURRENCY: "2",
        WORKER_POLL_INTERVAL_MS: "500",
        // Past this the process exits 1 (src/cli/run.ts), so exit 0 proves it stopped in time.
        SHUTDOWN_TIMEOUT_MS: "12000",
      });
      started.push(app);
      const ready = await app.waitForLog((l) => l.msg === "ready");
      const url = String(ready.url);

      // One job that ends before the worker's abort deadline, one that outlasts it.
      const utils = await makeWorkerUtils({ connectionString: t.url });
      try {
        await utils.addJob("ping", { delayMs: 1_500, tag: "short" }, { jobKey: "short" });
        await utils.addJob("ping", { delayMs: 10_000, tag: "long" }, { jobKey: "long" });
      } finally {
        await utils.release();
      }
      await until(async () => {
        const [{ n } = { n: 0 }] = await t.sql<{ n: number }[]>`
          select count(*)::int as n from graphile_worker.jobs where locked_at is not null`;
        return n === 2;
      }, "both jobs to start");

      // A subscription keeps its response open until the server cuts it.
      const subscription = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          authorization: `Bearer ${adminKey}`,
        },
        body: JSON.stringify({ query: "subscription { auditEvents { id } }" }),
      });
      expect(subscription.status).toBe(200);
      const stream = subscription.body!.getReader();
      const streamEnded = (async () => {
        try {
          while (!(await stream.read()).done) {
            // keep-alive pings
          }
        } catch {
          // cut: as good as ended
        }
        return true;
      })();

      expect(await app.stop("SIGTERM")).toBe(0);
      expect(await streamEnded).toBe(true);
      expect(app.logs.some((l) => l.msg === "pong" && l.tag === "short")).toBe(true);
      expect(app.logs.some((l) => l.msg === "pong" && l.tag === "long")).toBe(false);
      expect(app.logs.some((l) => l.msg === "stopped")).toBe(true);
      // graphile-worker reports the aborted job as failed (it will be retried); nothing else erred.
      const errors = app.logs.filter((l) => Number(l.level) >= 50).map((l) => String(l.msg));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^Failed task \d+ \(ping,.*aborted/);

      // The short job is done; the long one was aborted and handed back for another worker.
      const jobs = await t.sql<{ key: string; locked_at: Date | null; attempts: number }[]>`
        select key, locked_at, attempts from graphile_worker.jobs order by key`;
      expect(jobs).toEqual([{ key: "long", locked_at: null, attempts: 1 }]);
    },
  );
});
