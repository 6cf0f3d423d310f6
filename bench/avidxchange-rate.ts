/**
 * AvidXchange throughput under its rate limit (DESIGN "Throughput"): the same workload through the
 * connector paced by its limiter vs a client that only reacts to 429s (it still honours every
 * Retry-After, as the connector must). Reports requests/s achieved, as a share of the gateway's
 * allowed rate, and the 429s taken. Run: `npx tsx bench/avidxchange-rate.ts [seconds] [allowed/s]`.
 * Results go in bench/RESULTS.md.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Agent } from "undici";

import { createAvidSandbox } from "../sandboxes/avidxchange/index.js";
import { createPgAvidTokenStore } from "../src/connector-state/avid-token-cache.js";
import { createPgRateLimiter } from "../src/connector-state/rate-limiter.js";
import {
  createAvidConnector,
  createMemoryRateLimiter,
  createMemoryTokenStore,
} from "../src/connectors/avidxchange/index.js";
import { createDb } from "../src/db/client.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { migrate } from "../src/db/migrate.js";
import { createVault } from "../src/secrets/vault.js";

import type { RateLimiter, TokenStore } from "../src/connectors/avidxchange/index.js";

const seconds = Number(process.argv[2] ?? 15);
const allowed = Number(process.argv[3] ?? 20);

/** No pacing and no memory of 429s: the connector's retry loop alone waits out Retry-After. */
const reactiveOnly: RateLimiter = {
  reserve: async () => ({ waitMs: 0 }),
  penalize: async () => {},
  blockedForMs: async () => 0,
};

const sandbox = createAvidSandbox({
  seed: 1,
  lifecycle: { enabled: false },
  // The burst-control bucket (allowed/s, burst of the same) is the binding limit.
  rateLimit: { requestsPerMinute: 1_000_000, burstPerSecond: allowed },
});
await sandbox.listen(0);
const dispatcher = new Agent();

interface Outcome {
  mode: string;
  callers: number;
  ok: number;
  throttled: number;
  perSecond: number;
}

interface Worker {
  rateLimiter: RateLimiter;
  tokenStore: TokenStore;
}

/** `workers` connectors (as worker processes would each have one), callers spread over them. */
async function run(
  mode: string,
  callers: number,
  workers: readonly Worker[],
  requestsPerSecond: number,
) {
  sandbox.control.resetRateLimits();
  sandbox.control.clearRequests();
  const connectors = workers.map((w) => connector(w, requestsPerSecond));
  await connectors[0]!.vendors.list()[Symbol.asyncIterator]().next();
  sandbox.control.resetRateLimits();
  sandbox.control.clearRequests();
  const deadline = performance.now() + seconds * 1000;
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, i) => {
      const avid = connectors[i % connectors.length]!;
      while (performance.now() < deadline) {
        await avid.enterpriseCodes.dimensionValues("Location")[Symbol.asyncIterator]().next();
        ok++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const throttled = sandbox.control.requests().filter((r) => r.status === 429).length;
  return { mode, callers, ok, throttled, perSecond: ok / elapsed } satisfies Outcome;
}

function connector({ rateLimiter, tokenStore }: Worker, requestsPerSecond: number) {
  return createAvidConnector({
    gatewayUrl: sandbox.gatewayUrl,
    tokenUrl: sandbox.tokenUrl,
    clientId: "med-avid-client",
    clientSecret: "med-avid-secret",
    companyId: "10001",
    dispatcher,
    tokenStore,
    rateLimiter,
    options: {
      rateLimit: { requestsPerSecond, burst: 1 },
      retry: { maxRateLimitRetries: 1_000 },
    },
  });
}

const memory = (): Worker[] => [
  { rateLimiter: createMemoryRateLimiter(), tokenStore: createMemoryTokenStore() },
];
const reactive = (): Worker[] => [
  { rateLimiter: reactiveOnly, tokenStore: createMemoryTokenStore() },
];

const outcomes: Outcome[] = [];
for (const callers of [1, 8]) {
  outcomes.push(await run("reactive (429s only)", callers, reactive(), 1_000_000));
  outcomes.push(await run("paced at 98%", callers, memory(), allowed * 0.98));
  outcomes.push(await run("paced at 100%", callers, memory(), allowed));
}

// Two workers, each with its own pool, sharing the Postgres limiter and token cache.
const dataDir = await mkdtemp(path.join(tmpdir(), "avid-bench-pg-"));
// PostgreSQL runs as its own user when we are root; it must be able to reach the data dir.
await chmod(dataDir, 0o755);
const pg = await startEmbeddedPostgres({
  dataDir: path.join(dataDir, "data"),
  handleSignals: false,
});
try {
  await migrate({ url: pg.url });
  const vault = createVault({ keys: [{ id: "b", key: randomBytes(32) }], currentKeyId: "b" });
  const pools = [createDb({ url: pg.url, max: 4 }), createDb({ url: pg.url, max: 4 })];
  const workers = pools.map(({ db }) => ({
    rateLimiter: createPgRateLimiter({ db }),
    tokenStore: createPgAvidTokenStore({ db, vault }),
  }));
  outcomes.push(await run("paced at 98%, Postgres limiter, 2 workers", 8, workers, allowed * 0.98));
  await Promise.all(pools.map((p) => p.close()));
} finally {
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}

console.log(`gateway allows ${allowed}/s per (client, company); ${seconds} s per run`);
console.log(
  "| mode | callers | requests ok | req/s | share of allowed | 429s | 429s per request |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const o of outcomes) {
  const share = ((o.perSecond / allowed) * 100).toFixed(0);
  const rate429 = ((o.throttled / (o.ok + o.throttled)) * 100).toFixed(1);
  console.log(
    `| ${o.mode} | ${o.callers} | ${o.ok} | ${o.perSecond.toFixed(1)} | ${share}% | ${o.throttled} | ${rate429}% |`,
  );
}

await sandbox.close();
await dispatcher.close();
