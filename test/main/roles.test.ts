import { randomBytes } from "node:crypto";

import { makeWorkerUtils } from "graphile-worker";
import { afterAll, describe, expect, it } from "vitest";

import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { startApp } from "./process.js";

import type { AppProcess } from "./process.js";

guardLeaks();
const t = useTestDatabase();

describe("roles sharing one database", () => {
  const started: AppProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop("SIGKILL")));
  });

  // Three processes booting at once: slower than a unit test, above all on a busy machine.
  it(
    "two worker processes and one api process run together; all stop cleanly",
    { timeout: 90_000 },
    async () => {
      const adminKey = `test-admin-${randomBytes(16).toString("hex")}`;
      const env = {
        DATABASE_URL: t.url,
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        WORKER_CONCURRENCY: "1",
        WORKER_POLL_INTERVAL_MS: "500",
        LOG_LEVEL: "info",
      };
      // Worker A also serves its own registry (a worker has no GraphQL server to carry /metrics).
      const workerA = startApp(["serve", "--role", "worker"], { ...env, METRICS_PORT: "0" });
      const workerB = startApp(["serve", "--role", "worker"], env);
      const api = startApp(["serve", "--role", "api"], {
        ...env,
        PORT: "0",
        ADMIN_API_KEY: adminKey,
      });
      started.push(workerA, workerB, api);

      const listening = (l: Record<string, unknown>) => l.msg === "worker listening for jobs";
      await Promise.all([workerA.waitForLog(listening), workerB.waitForLog(listening)]);
      const ready = await api.waitForLog((l) => l.msg === "ready");
      expect(ready.role).toBe("api");
      const url = String(ready.url);

      // The api answers, and knows the bootstrap key.
      expect((await fetch(new URL("/healthz", url))).status).toBe(200);
      expect(await (await fetch(new URL("/readyz", url))).json()).toMatchObject({ ready: true });
      const typename = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(await typename.json()).toEqual({ data: { __typename: "Query" } });

      // Jobs added by anyone are shared out between both workers.
      const utils = await makeWorkerUtils({ connectionString: t.url });
      try {
        for (let i = 0; i < 12; i++) {
          await utils.addJob("ping", { delayMs: 150, tag: `job-${i}` });
        }
      } finally {
        await utils.release();
      }
      const pongs = (p: AppProcess) => p.logs.filter((l) => l.msg === "pong");
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          Promise.race([
            workerA.waitForLog((l) => l.msg === "pong" && l.tag === `job-${i}`),
            workerB.waitForLog((l) => l.msg === "pong" && l.tag === `job-${i}`),
          ]),
        ),
      );
      expect(pongs(workerA).length).toBeGreaterThan(0);
      expect(pongs(workerB).length).toBeGreaterThan(0);
      expect(pongs(workerA).length + pongs(workerB).length).toBe(12);
      const scrape = await workerA.waitForLog((l) => l.msg === "worker metrics");
      const exposition = await (await fetch(String(scrape.url))).text();
      const ran = exposition.match(
        /^ml_connector_jobs_total\{[^}]*task="ping"[^}]*outcome="success"[^}]*\} (\d+)$/m,
      );
      expect(Number(ran?.[1])).toBe(pongs(workerA).length);
      const [{ n: left } = { n: -1 }] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from graphile_worker.jobs`;
      expect(left).toBe(0);

      // SIGTERM: each stops gracefully and exits 0 (the test database's close() then checks that
      // no connection was left behind).
      expect(await Promise.all([workerA.stop(), workerB.stop(), api.stop()])).toEqual([0, 0, 0]);
      for (const p of [workerA, workerB, api]) {
        expect(p.logs.some((l) => l.msg === "stopped")).toBe(true);
        expect(p.logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
      }
    },
  );
});
