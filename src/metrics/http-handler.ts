import type { Metrics } from "./registry.js";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Path the Prometheus scrape reads. */
export const METRICS_PATH = "/metrics";

/**
 * Serves `GET /metrics` in the Prometheus text format. Returns false for any other request so the
 * caller hands it on. No API key: like /healthz it is meant for the cluster's scraper; bind the
 * port privately (or put it behind the ingress's auth) in production.
 */
export function handleMetricsRequest(
  metrics: Metrics,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== METRICS_PATH || (req.method !== "GET" && req.method !== "HEAD")) {
    return false;
  }
  metrics.render().then(
    (body) => {
      res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    },
    () => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("metrics unavailable\n");
    },
  );
  return true;
}
