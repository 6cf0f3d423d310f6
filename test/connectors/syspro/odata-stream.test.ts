/**
 * A 1,000,000-invoice ApInvoice table streams from the SYSPRO sandbox over real HTTP with flat memory:
 * the connector holds one page, never the table. The client runs in its own process
 * (`processes/odata-stream-worker.ts`, `--expose-gc`) so its heap holds only the connector; the
 * sandbox runs here. Heap growth from 100,000 rows to 1,000,000 must stay below a bound that does not
 * depend on the table size. Speed is not asserted; it is in `bench/RESULTS.md`.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { afterAll, beforeAll, expect, it } from "vitest";

import { createSysproSandbox, type SysproSandbox } from "../../../sandboxes/syspro/index.js";
import { guardLeaks } from "../../setup/leaks.js";
import type { StreamWorkerArgs, StreamWorkerResult } from "./processes/odata-stream-worker.js";

guardLeaks();

const TOTAL = 1_000_000;
const CAP = 5000;
const run = promisify(execFile);
const worker = fileURLToPath(new URL("./processes/odata-stream-worker.ts", import.meta.url));

let sandbox: SysproSandbox;
beforeAll(async () => {
  sandbox = createSysproSandbox({ customer: { invoices: TOTAL }, freezeClock: true });
  await sandbox.listen(0);
});
afterAll(async () => {
  await sandbox?.close();
});

it("streams 1,000,000 invoices page by page with heap growth independent of size", async () => {
  const args: StreamWorkerArgs = {
    enetUrl: sandbox.url,
    odataUrl: sandbox.odataUrl,
    credentials: sandbox.credentials,
    sampleEveryPages: 10,
  };
  const { stdout } = await run(
    process.execPath,
    ["--expose-gc", "--import", "tsx", worker, JSON.stringify(args)],
    { maxBuffer: 1024 * 1024, timeout: 170_000 },
  );
  const result = JSON.parse(stdout) as StreamWorkerResult;

  expect(result.rows).toBe(TOTAL);
  expect(result.pages).toBe(TOTAL / CAP);
  expect(result.largestPage).toBe(CAP);
  expect(result.outOfOrder).toBe(0);
  const requests = sandbox.control
    .requests()
    .filter((r) => r.api === "odata" && r.operation === "ApInvoice");
  expect(requests).toHaveLength(TOTAL / CAP + 1); // the last page comes back empty

  // From 100,000 rows on, the heap may wobble with GC but not grow with the rows read: holding
  // even a tenth of the rows would take tens of MB, one page a couple.
  const at100k = result.samples.find((s) => s.rows === 100_000)!;
  const after = result.samples.filter((s) => s.rows > 100_000);
  expect(after.at(-1)?.rows).toBe(TOTAL);
  const growth = Math.max(...after.map((s) => s.heapMb)) - at100k.heapMb;
  expect(growth).toBeLessThan(16);
}, 180_000);
