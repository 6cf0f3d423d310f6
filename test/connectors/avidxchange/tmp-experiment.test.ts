import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { it } from "vitest";
import { useTestDatabase } from "../../setup/db.js";
import { startHarness, CLIENT, COMPANY } from "./harness.js";
const t = useTestDatabase();
it("experiment", async () => {
  const h = await startHarness({ lifecycle: { enabled: false }, rateLimit: { requestsPerMinute: 100_000, burstPerSecond: 20 } });
  const run = (o: object) => new Promise<string>((res, rej) => execFile(process.execPath, ["--import", "tsx", "test/connectors/avidxchange/fixtures/worker-process.ts", JSON.stringify(o)], (e, out, err) => e ? rej(new Error(err)) : res(out)));
  for (const limiter of ["memory", "pg"]) {
    h.sandbox.control.clearRequests(); h.sandbox.control.resetRateLimits();
    const o = { gatewayUrl: h.sandbox.gatewayUrl, tokenUrl: h.sandbox.tokenUrl, databaseUrl: t.url, vaultKeyHex: randomBytes(32).toString("hex"), ...CLIENT, companyId: COMPANY, requests: 40, concurrency: 4, requestsPerSecond: 16, burst: 2, limiter };
    const t0 = Date.now();
    const r = await Promise.all([run(o), run(o)]);
    const calls = h.sandbox.control.requests({ path: "/v1/enterprisecodes" });
    process.stderr.write(`EXP ${limiter} ${Date.now() - t0} ${JSON.stringify(r.map(s => s.trim()))} ${calls.length} ${calls.filter(c => c.status === 429).length}\n`);
  }
  await h.close();
}, 120_000);
