import { createServer } from "node:http";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { syncRuns } from "../../src/db/schema/index.js";
import { collectFromDatabase } from "../../src/metrics/collectors.js";
import { handleMetricsRequest } from "../../src/metrics/http-handler.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { triggerSync } from "../../src/sync/commands/sync-runs.js";
import { startSyncHarness } from "../jobs/harness.js";
import { guardLeaks } from "../setup/leaks.js";

import type { Metrics } from "../../src/metrics/registry.js";
import type { SyncHarness } from "../jobs/harness.js";
import type { AddressInfo } from "node:net";

guardLeaks();

/** GET /metrics over real HTTP, as Prometheus would scrape it. */
async function scrape(metrics: Metrics): Promise<string> {
  const server = createServer((req, res) => {
    if (!handleMetricsRequest(metrics, req, res)) {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    return await res.text();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The value of one series (labels in registry order), or undefined when absent. */
function value(body: string, series: string): number | undefined {
  const line = body.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("/metrics after real syncs through the worker's task list", () => {
  let h: SyncHarness;
  let metrics: Metrics;
  let body: string;
  let suppliersRead: number;
  beforeAll(async () => {
    h = await startSyncHarness();
    metrics = h.deps.metrics!;
    collectFromDatabase(metrics, h.t.sql);
    // One 429 on the vendor upsert, answered with Retry-After: 1 (in seconds: an HTTP-date rounds
    // up past the harness's 1 s ceiling on waits).
    h.avid.control.setVariants({ retryAfter: "seconds" });
    h.avid.control.addFault({
      kind: "rate-limit",
      path: "/v1/vendors",
      method: "POST",
      retryAfterSeconds: 1,
    });
    const runId = await h.sync("suppliers");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run?.state).toBe("succeeded");
    suppliersRead = run!.countRead;
    // Invoices with no GL mappings at all, forced: every one an exception, and the watermark moves.
    await triggerSync(h.t.db, createJobQueue(), {
      connectionId: h.connectionId,
      kind: "invoices",
      dryRun: false,
      fullResync: false,
      force: true,
      actor: "test",
    });
    await h.drain();
    body = await scrape(metrics);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("counts jobs by task and outcome, and records moved by flow", () => {
    expect(value(body, 'ml_connector_jobs_total{task="sync:run",outcome="success"}')).toBe(2);
    expect(suppliersRead).toBeGreaterThan(5);
    expect(
      value(body, 'ml_connector_records_moved_total{flow="suppliers"}'),
    ).toBeGreaterThanOrEqual(suppliersRead);
  });

  it("counts remote calls by system and status, with latency histograms and auth refreshes", () => {
    for (const system of ["syspro-odata", "avidxchange"]) {
      const calls = body
        .split("\n")
        .filter((l) => l.startsWith(`ml_connector_remote_calls_total{system="${system}"`));
      expect(calls.length, system).toBeGreaterThan(0);
      expect(
        value(
          body,
          `ml_connector_remote_call_duration_seconds_count{system="${system}",status="200"}`,
        ),
        system,
      ).toBeGreaterThan(0);
    }
    expect(
      value(
        body,
        'ml_connector_remote_calls_total{system="avidxchange",operation="token",status="200"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(body, 'ml_connector_remote_auth_refreshes_total{system="avidxchange"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it("shows the injected 429 and the Retry-After wait", () => {
    expect(value(body, 'ml_connector_remote_rate_limited_total{system="avidxchange"}')).toBe(1);
    expect(body).toMatch(
      /ml_connector_remote_calls_total\{system="avidxchange",operation="[^"]+",status="429"\} 1/,
    );
    expect(
      value(body, 'ml_connector_remote_backoff_seconds_count{system="avidxchange"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(body, 'ml_connector_remote_backoff_seconds_sum{system="avidxchange"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it("reads exceptions open and poll lag per stream from the database at scrape time", async () => {
    const [{ n: open } = { n: -1 }] = await h.t.sql<{ n: number }[]>`
      select count(*)::int as n from exceptions where state = 'open'`;
    expect(open).toBeGreaterThan(0);
    expect(value(body, 'ml_connector_exceptions_open{connection="sandbox"}')).toBe(open);
    const lag = body
      .split("\n")
      .filter((l) => l.startsWith('ml_connector_poll_lag_seconds{connection="sandbox",stream="'));
    expect(lag.length).toBeGreaterThan(0);
    for (const line of lag) {
      expect(Number(line.split(" ").pop())).toBeGreaterThan(0);
    }
  });

  it("counts a failed attempt as a job failure", async () => {
    h.avid.control.addFault({ kind: "status", status: 500, path: "/v1", persistent: true });
    try {
      await triggerSync(h.t.db, createJobQueue(), {
        connectionId: h.connectionId,
        kind: "suppliers",
        dryRun: false,
        fullResync: true,
        force: false,
        actor: "test",
      });
      await h.drain();
    } finally {
      h.avid.control.clearFaults();
    }
    const after = await scrape(metrics);
    expect(value(after, 'ml_connector_jobs_total{task="sync:run",outcome="failure"}')).toBe(1);
    expect(after).toMatch(
      /ml_connector_remote_calls_total\{system="avidxchange",operation="[^"]+",status="500"\} [1-9]/,
    );
  });
});
