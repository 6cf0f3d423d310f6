import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { remoteSessions } from "../../../src/db/schema/index.js";
import { useTestDatabase } from "../../setup/db.js";
import { guardLeaks } from "../../setup/leaks.js";
import { CLIENT, COMPANY, startHarness } from "./harness.js";

import type { Harness } from "./harness.js";

// Two real OS processes sharing one Postgres: one token between them, one rate for the company.
guardLeaks();
const t = useTestDatabase();
let h: Harness;
const WORKER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
  "worker-process.ts",
);

beforeAll(async () => {
  // The gateway allows 30/s per (client, company); each process alone is configured for 24/s,
  // so two processes that did not share the limiter would together send ~48/s and be throttled.
  h = await startHarness({
    lifecycle: { enabled: false },
    rateLimit: { requestsPerMinute: 100_000, burstPerSecond: 30 },
  });
});
afterAll(() => h.close());

function runWorker(options: object): Promise<{ ok: number; failed: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", WORKER, JSON.stringify(options)],
      { timeout: 60_000, env: { ...process.env, TZ: "UTC" } },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`worker failed: ${error.message}\n${stderr}`));
          return;
        }
        resolve(
          JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { ok: number; failed: number },
        );
      },
    );
  });
}

describe("two worker processes", () => {
  it("fetch one token between them and together stay under the company's rate", async () => {
    const options = {
      gatewayUrl: h.sandbox.gatewayUrl,
      tokenUrl: h.sandbox.tokenUrl,
      databaseUrl: t.url,
      vaultKeyHex: randomBytes(32).toString("hex"),
      ...CLIENT,
      companyId: COMPANY,
      requests: 40,
      concurrency: 4,
      requestsPerSecond: 24,
      burst: 4,
    };
    const results = await Promise.all([runWorker(options), runWorker(options)]);
    expect(results).toEqual([
      { ok: 40, failed: 0 },
      { ok: 40, failed: 0 },
    ]);
    expect(h.sandbox.control.requests({ method: "POST", path: "/token" })).toHaveLength(1);
    const calls = h.sandbox.control.requests({ path: "/v1/enterprisecodes" });
    const throttled = calls.filter((c) => c.status === 429).length;
    expect(throttled / calls.length).toBeLessThan(0.01);
    // The shared token is in Postgres, encrypted.
    const rows = await t.db.select().from(remoteSessions);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.system).toBe("avidxchange");
  });
});
