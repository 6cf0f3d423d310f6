import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import type { HttpMetric } from "../connectors/http.js";

/**
 * The process's Prometheus metrics. One `Metrics` per process, created by the composition root and
 * passed down: nothing here touches prom-client's global default registry, so tests can create as
 * many as they like side by side.
 *
 * Series (all prefixed `ml_connector_`):
 * - `jobs_total{task,outcome}`: graphile-worker jobs finished (`success` | `failure`);
 * - `records_moved_total{flow}`: records a sync flow moved (vendors, invoices, postings…);
 * - `exceptions_open{connection}`: open exceptions (read from the database at scrape time);
 * - `remote_calls_total{system,operation,status}` and `remote_call_duration_seconds{system,status}`;
 * - `remote_rate_limited_total{system}` (429s) and `remote_backoff_seconds{system}` (histogram of
 *   waits before sending: retry backoff, Retry-After and the rate limiter's pacing);
 * - `remote_auth_refreshes_total{system}`: e.net logons and AvidXchange tokens obtained;
 * - `poll_lag_seconds{connection,stream}`: now minus the stream's watermark (scrape time).
 */
export interface Metrics {
  readonly registry: Registry;
  /** The connectors' HTTP metrics hook (`onMetrics` of src/connectors/http.ts). */
  observeHttp(metric: HttpMetric): void;
  /** One wait before sending: retry backoff, Retry-After, or rate-limit pacing. */
  observeBackoff(system: string, ms: number): void;
  observeJob(task: string, outcome: "success" | "failure"): void;
  recordsMoved(flow: string, count: number): void;
  /** Adds a collector run at every scrape (e.g. database-backed gauges). */
  onCollect(collect: (gauges: ScrapeGauges) => Promise<void>): void;
  /** Prometheus text exposition of every series. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Gauges whose values are read at scrape time; collectors reset and refill them. */
export interface ScrapeGauges {
  readonly exceptionsOpen: Gauge<"connection">;
  readonly pollLagSeconds: Gauge<"connection" | "stream">;
}

export interface CreateMetricsOptions {
  /** Node process metrics (CPU, memory, event loop); default true. Off in most tests. */
  readonly processMetrics?: boolean;
  /** Constant labels on every series, e.g. `{ role: "worker" }`. */
  readonly labels?: Record<string, string>;
}

/** Operations that mint a session or token: counted as refreshes when they succeed. */
const AUTH_OPERATIONS = new Set(["Logon", "token"]);

export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.labels) {
    registry.setDefaultLabels(options.labels);
  }
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: "ml_connector_" });
  }
  const registers = [registry];

  const jobs = new Counter({
    name: "ml_connector_jobs_total",
    help: "Background jobs finished, by task and outcome (success | failure).",
    labelNames: ["task", "outcome"] as const,
    registers,
  });
  const moved = new Counter({
    name: "ml_connector_records_moved_total",
    help: "Records a sync flow moved between the systems, by flow.",
    labelNames: ["flow"] as const,
    registers,
  });
  const calls = new Counter({
    name: "ml_connector_remote_calls_total",
    help: "HTTP attempts to SYSPRO and AvidXchange, by system, operation and status (or outcome).",
    labelNames: ["system", "operation", "status"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "ml_connector_remote_call_duration_seconds",
    help: "Latency of HTTP attempts to SYSPRO and AvidXchange.",
    labelNames: ["system", "status"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const rateLimited = new Counter({
    name: "ml_connector_remote_rate_limited_total",
    help: "Responses with status 429 (rate limited), by system.",
    labelNames: ["system"] as const,
    registers,
  });
  const backoff = new Histogram({
    name: "ml_connector_remote_backoff_seconds",
    help: "Waits before sending a request (retry backoff, Retry-After, rate-limit pacing), by system.",
    labelNames: ["system"] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers,
  });
  const refreshes = new Counter({
    name: "ml_connector_remote_auth_refreshes_total",
    help: "SYSPRO e.net sessions logged on and AvidXchange tokens obtained, by system.",
    labelNames: ["system"] as const,
    registers,
  });
  const collectors: ((gauges: ScrapeGauges) => Promise<void>)[] = [];
  const gauges: ScrapeGauges = {
    exceptionsOpen: new Gauge({
      name: "ml_connector_exceptions_open",
      help: "Exceptions waiting for a person, by connection.",
      labelNames: ["connection"] as const,
      registers,
    }),
    pollLagSeconds: new Gauge({
      name: "ml_connector_poll_lag_seconds",
      help: "Now minus the stream's watermark: how far behind a poll is, by connection and stream.",
      labelNames: ["connection", "stream"] as const,
      registers,
    }),
  };

  return {
    registry,
    contentType: registry.contentType,
    observeHttp(m) {
      const status = m.status === null ? m.outcome : String(m.status);
      calls.inc({ system: m.system, operation: m.operation, status });
      latency.observe({ system: m.system, status }, m.durationMs / 1000);
      if (m.status === 429) {
        rateLimited.inc({ system: m.system });
      }
      if (m.outcome === "ok" && AUTH_OPERATIONS.has(m.operation)) {
        refreshes.inc({ system: m.system });
      }
    },
    observeBackoff(system, ms) {
      if (ms > 0) {
        backoff.observe({ system }, ms / 1000);
      }
    },
    observeJob(task, outcome) {
      jobs.inc({ task, outcome });
    },
    recordsMoved(flow, count) {
      if (count > 0) {
        moved.inc({ flow }, count);
      }
    },
    onCollect(collect) {
      collectors.push(collect);
    },
    async render() {
      // A failing collector (database down) must not take the other series with it.
      await Promise.allSettled(collectors.map((c) => c(gauges)));
      return registry.metrics();
    },
  };
}
