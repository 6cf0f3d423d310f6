import path from "node:path";

import { collectFromDatabase } from "../metrics/collectors.js";
import { createMetrics } from "../metrics/registry.js";
import { tracingEnabled } from "../metrics/tracing.js";
import { traceUndiciRequests } from "../metrics/tracing-http.js";
import { openRuntime } from "./runtime.js";

import type { BootstrapKey } from "./bootstrap-key.js";
import type { Command, CommandContext } from "./command.js";
import type { Metrics } from "../metrics/registry.js";
import type { Runtime } from "./runtime.js";

export const ROLES = ["api", "worker", "all"] as const;
type RoleArg = (typeof ROLES)[number];

/**
 * `serve [--role api|worker|all]`: the gateway. `api` serves GraphQL, `worker` runs jobs, `all`
 * (the default) both in one process. Any number of each can share one database.
 */
export const serveCommand: Command = {
  name: "serve",
  summary: "run the gateway: GraphQL api, job worker, or both (default)",
  usage: "[--role api|worker|all]",
  options: { role: { type: "string", short: "r", default: "all" } },
  async run(ctx) {
    const role = ctx.values.role;
    if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
      ctx.print(`serve: --role must be one of ${ROLES.join(", ")}`);
      return 64;
    }
    await serve(ctx, role as RoleArg);
    return 0;
  },
};

async function serve(ctx: CommandContext, role: RoleArg): Promise<void> {
  const { config, logger } = ctx;
  const runsApi = role !== "worker";
  const runsWorker = role !== "api";
  const stops: (() => Promise<void>)[] = [];
  const runtime = await openRuntime(config, logger);
  stops.push(() => runtime.close());
  // One registry per process, passed down (src/metrics); scraped at /metrics on the api.
  const metrics = createMetrics({ labels: { role } });
  collectFromDatabase(metrics, runtime.sql);
  if (tracingEnabled()) {
    // An OpenTelemetry SDK was loaded before us (`node --import`): spans for outgoing HTTP too.
    const untrace = traceUndiciRequests();
    stops.push(async () => untrace());
  }
  try {
    if (runsWorker && !ctx.signal.aborted) {
      // Loaded on demand: `help` and the other commands start faster, and a worker-only process
      // never builds the GraphQL schema.
      const [{ createWorker }, { createTaskList }, { connectorsDeps }, { createConnectorCache }] =
        await Promise.all([
          import("../worker/runner.js"),
          import("../jobs/index.js"),
          import("../jobs/deps.js"),
          import("../sync/connectors-for.js"),
        ]);
      const deps = {
        ...runtime,
        config,
        logger,
        metrics,
        connectors: { avidSettings: { rateLimit: config.avidRateLimit } },
      };
      // Kept across jobs so the SYSPRO session is not logged off after each; logged off once the
      // worker has stopped (stops run in reverse).
      const connectorCache = createConnectorCache(connectorsDeps(deps));
      stops.push(() => connectorCache.close());
      const worker = await createWorker({
        connectionString: runtime.databaseUrl,
        taskList: createTaskList({ ...deps, connectorCache }),
        concurrency: config.worker.concurrency,
        pollIntervalMs: config.worker.pollIntervalMs,
        heartbeatIntervalMs: config.worker.heartbeatSeconds * 1000,
        staleAfterMs: config.worker.staleAfterSeconds * 1000,
        logger,
      });
      stops.push(() => worker.stop());
      if (!runsApi && config.metricsPort !== undefined) {
        // No GraphQL server here: the worker's own registry is scraped on METRICS_PORT instead.
        const { startWorkerMetricsServer } = await import("../metrics/worker-server.js");
        const scrape = await startWorkerMetricsServer(
          metrics,
          config.metricsPort,
          config.http.host,
        );
        stops.push(() => scrape.close());
        logger.info({ url: `${scrape.url}/metrics` }, "worker metrics");
      }
    }
    let url: string | undefined;
    let key: BootstrapKey | undefined;
    if (runsApi && !ctx.signal.aborted) {
      ({ url, key } = await startApi(ctx, runtime, stops, metrics));
    }
    let demo: readonly string[] = [];
    if (config.sandbox && runsApi && !ctx.signal.aborted) {
      // The demo (src/demo): the only wiring in src/ that imports sandboxes/.
      const { startDemo } = await import("../demo/index.js");
      const started = await startDemo({ db: runtime.db, vault: runtime.vault, logger });
      // Stopped late (just before the database): the worker logs off SYSPRO on its way out, and
      // the sandboxes must still be there to hear it.
      stops.splice(1, 0, () => started.close());
      demo = started.banner;
    }
    if (!ctx.signal.aborted) {
      logger.info({ role, url }, "ready");
      printBanner(ctx, { role, url, key, demoKeyFile: runtime.demoKeyFile, demo });
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
    }
    logger.info("stopping");
  } finally {
    // Reverse order: api and worker stop taking work before the database goes away.
    for (const stop of stops.reverse()) {
      await stop().catch((err: unknown) => logger.error({ err }, "error while stopping"));
    }
    logger.info("stopped");
  }
}

async function startApi(
  ctx: CommandContext,
  runtime: Runtime,
  stops: (() => Promise<void>)[],
  metrics: Metrics,
): Promise<{ url: string; key: BootstrapKey }> {
  const { config, logger } = ctx;
  const [
    { schema },
    { authenticateApiKey },
    { createPgPubSub },
    { createHttpServer },
    { createYoga },
    { bootstrapApiKey },
    { createCommandServices },
  ] = await Promise.all([
    import("../schema/index.js"),
    import("../auth/api-keys.js"),
    import("../events/pubsub.js"),
    import("../server/http.js"),
    import("../server/yoga.js"),
    import("./bootstrap-key.js"),
    import("../sync/commands/services.js"),
  ]);
  const key = await bootstrapApiKey(runtime.db, config, logger);
  const events = createPgPubSub({ sql: runtime.sql, logger });
  stops.push(() => events.close());
  await events.ready;
  const yoga = createYoga({
    schema,
    deps: {
      db: runtime.db,
      sql: runtime.sql,
      pubsub: events.pubsub,
      logger,
      commands: createCommandServices({ ...runtime, logger }),
    },
  });
  const server = createHttpServer({
    yoga,
    authenticate: (apiKey) => authenticateApiKey(runtime.db, apiKey),
    logger,
    drainTimeoutMs: Math.max(100, config.shutdownTimeoutMs - 2000),
    metrics,
  });
  stops.push(() => server.close());
  const url = await server.listen(config.http.port, config.http.host);
  return { url, key };
}

interface Banner {
  readonly role: RoleArg;
  readonly url: string | undefined;
  readonly key: BootstrapKey | undefined;
  readonly demoKeyFile: string | undefined;
  /** The demo's lines (SANDBOX mode). */
  readonly demo: readonly string[];
}

function printBanner(ctx: CommandContext, { role, url, key, demoKeyFile, demo }: Banner): void {
  const lines = ["", `ml-connector is running (${role === "all" ? "api + worker" : role})`];
  if (url) {
    lines.push(`  GraphiQL:  ${url}`);
  }
  if (key?.source === "demo") {
    lines.push(
      `  API key:   ${key.key}   (demo admin key, kept in ${shown(key.file)})`,
      `  Send it as the header  Authorization: Bearer ${key.key}`,
      `  (in GraphiQL: the Headers tab, {"Authorization": "Bearer ${key.key}"})`,
    );
  } else if (key?.source === "ADMIN_API_KEY") {
    lines.push(
      `  API key:   the ADMIN_API_KEY you set (${key.prefix}…), as Authorization: Bearer <key>`,
    );
  } else if (key?.source === "none") {
    lines.push(
      key.adminKeys > 0
        ? "  API key:   use an existing key (Authorization: Bearer <key>)"
        : "  API key:   none exists yet; set ADMIN_API_KEY and restart to create the first admin key",
    );
  }
  if (url) {
    lines.push(
      `  Health:    ${new URL("/healthz", url).href}   Ready: ${new URL("/readyz", url).href}`,
    );
  }
  if (url) {
    lines.push(`  Metrics:   ${new URL("/metrics", url).href}`);
  }
  lines.push(...demo);
  if (demoKeyFile) {
    lines.push(
      `  WARNING:   credentials are encrypted with a generated demo key in ${shown(demoKeyFile)};`,
      "             set ENCRYPTION_KEY before storing real ones.",
    );
  }
  lines.push("  Stop with Ctrl-C.", "");
  ctx.print(lines.join("\n"));
}

/** A path as the person typed it: relative when under the current directory. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
