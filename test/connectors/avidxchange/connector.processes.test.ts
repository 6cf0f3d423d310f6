import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { remoteSessions } from "../../../src/db/schema/index.js";
import { useTestDatabase } from "../../setup/db.js";
import { guardLeaks } from "../../setup/leaks.js";
import { CLIENT, COMPANY, startHarness } from "./harness.js";
import { runWorkersTogether } from "./worker-processes.js";

import type { Harness } from "./harness.js";

// Two real OS processes sharing one Postgres: one token between them, one rate for the company.
guardLeaks();
const t = useTestDatabase();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    lifecycle: { enabled: false },
    rateLimit: { requestsPerMinute: 100_000, burstPerSecond: 25 },
  });
});
afterAll(() => h.close());

describe("two worker processes", () => {
  it("fetch one token between them and together keep the company's configured rate", async () => {
    const rate = 20;
    const burst = 3;
    const perWorker = 40;
    const results = await runWorkersTogether(2, {
      gatewayUrl: h.sandbox.gatewayUrl,
      tokenUrl: h.sandbox.tokenUrl,
      databaseUrl: t.url,
      vaultKeyHex: randomBytes(32).toString("hex"),
      ...CLIENT,
      companyId: COMPANY,
      requests: perWorker,
      concurrency: 4,
      requestsPerSecond: rate,
      burst,
    });
    expect(results.map((r) => [r.ok, r.failed])).toEqual([
      [perWorker, 0],
      [perWorker, 0],
    ]);
    // N workers, one token.
    expect(h.sandbox.control.requests({ method: "POST", path: "/token" })).toHaveLength(1);
    const calls = h.sandbox.control.requests({ path: "/v1/enterprisecodes" });
    expect(calls.filter((c) => c.status === 429).length / calls.length).toBeLessThan(0.01);
    // One bucket for both: 80 requests at 20/s after a burst of 3 cannot take less than
    // (80 - 3) / 20 s, whatever the machine's speed (a lower bound: slowness cannot fail it).
    // Two unshared limiters would have needed only half of that.
    const span =
      Math.max(...results.map((r) => r.finishedAt)) - Math.min(...results.map((r) => r.startedAt));
    expect(span).toBeGreaterThanOrEqual(((2 * perWorker - burst) / rate) * 1000 * 0.95);
    // The shared token is in Postgres, encrypted.
    const rows = await t.db.select().from(remoteSessions);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.system).toBe("avidxchange");
  });
});
