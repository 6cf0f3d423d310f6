import { createServer } from "node:http";

import { afterAll, describe, expect, it } from "vitest";

import { startDemo } from "../../src/demo/index.js";
import { collectFromDatabase } from "../../src/metrics/collectors.js";
import { handleMetricsRequest } from "../../src/metrics/http-handler.js";
import { createMetrics } from "../../src/metrics/registry.js";
import { diagnoseConnection } from "../../src/sync/diagnose-connection.js";
import { quietLogger, testVault } from "../demo/fixtures.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";

import type { Demo } from "../../src/demo/index.js";
import type { AddressInfo } from "node:net";

guardLeaks();

describe("Prometheus metrics", () => {
  const t = useTestDatabase();
  const { vault } = testVault();
  const logger = quietLogger();
  let demo: Demo | undefined;
  afterAll(async () => {
    await demo?.close();
  });

  it("registries are per process object: two never share series", () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.observeJob("sync:run", "success");
    expect(a.registry.getSingleMetric("ml_connector_jobs_total")).toBeDefined();
    expect(a.registry).not.toBe(b.registry);
  });

  it("GET /metrics exposes remote calls, latency, refreshes, exceptions and poll lag after calls through the connectors", async () => {
    demo = await startDemo({ db: t.db, vault, logger }, { size: "small", firstSync: false });
    const metrics = createMetrics({ processMetrics: false });
    collectFromDatabase(metrics, t.sql);
    const diagnosis = await diagnoseConnection(
      { db: t.db, sql: t.sql, vault, logger, onMetrics: (m) => metrics.observeHttp(m) },
      demo.connection.id,
    );
    expect(diagnosis.ok).toBe(true);
    metrics.observeJob("sync:run", "success");
    metrics.observeJob("sync:run", "failure");
    metrics.recordsMoved("suppliers_to_vendors", 12);
    metrics.observeBackoff("avidxchange", 1500);
    metrics.observeHttp({
      system: "avidxchange",
      operation: "invoices.post",
      method: "POST",
      status: 429,
      outcome: "http_error",
      durationMs: 12,
      attempt: 1,
    });
    await t.sql`
      insert into watermarks (connection_id, stream, changed_at)
      values (${demo.connection.id}, 'syspro.ApInvoice', now() - interval '90 seconds')`;

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
      expect(res.headers.get("content-type")).toContain("text/plain");
      const body = await res.text();
      expect(body).toMatch(
        /ml_connector_remote_calls_total\{system="syspro-enet",operation="Logon",status="200"\} \d/,
      );
      expect(body).toMatch(
        /ml_connector_remote_calls_total\{system="avidxchange",operation="token",status="200"\} \d/,
      );
      expect(body).toMatch(
        /ml_connector_remote_call_duration_seconds_bucket\{le="[^"]+",system="avidxchange",status="200"\}/,
      );
      expect(body).toMatch(
        /ml_connector_remote_auth_refreshes_total\{system="avidxchange"\} [1-9]/,
      );
      expect(body).toMatch(
        /ml_connector_remote_auth_refreshes_total\{system="syspro-enet"\} [1-9]/,
      );
      expect(body).toContain('ml_connector_remote_rate_limited_total{system="avidxchange"} 1');
      expect(body).toContain('ml_connector_remote_backoff_seconds_sum{system="avidxchange"} 1.5');
      expect(body).toContain('ml_connector_remote_backoff_seconds_count{system="avidxchange"} 1');
      expect(body).toContain('ml_connector_jobs_total{task="sync:run",outcome="failure"} 1');
      expect(body).toContain('ml_connector_records_moved_total{flow="suppliers_to_vendors"} 12');
      expect(body).toContain('ml_connector_exceptions_open{connection="meridian-demo"} 0');
      const lag =
        /ml_connector_poll_lag_seconds\{connection="meridian-demo",stream="syspro.ApInvoice"\} ([\d.]+)/.exec(
          body,
        );
      expect(Number(lag?.[1])).toBeGreaterThanOrEqual(90);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
