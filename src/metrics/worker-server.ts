import { createServer } from "node:http";

import { handleMetricsRequest } from "./http-handler.js";

import type { Metrics } from "./registry.js";
import type { AddressInfo } from "node:net";

export interface WorkerMetricsServer {
  /** The base URL it listens on. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A worker-only process (`serve --role worker`) has no GraphQL server, yet its registry holds the
 * job, remote-call, backoff and refresh series. This serves that registry at `/metrics` (and a
 * liveness `/healthz`) on the process's port, so every replica can be scraped.
 */
export async function startWorkerMetricsServer(
  metrics: Metrics,
  port: number,
  host: string,
): Promise<WorkerMetricsServer> {
  const server = createServer((req, res) => {
    if (handleMetricsRequest(metrics, req, res)) {
      return;
    }
    if ((req.url ?? "").split("?")[0] === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
