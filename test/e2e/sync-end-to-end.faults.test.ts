/**
 * Issue 8, "Done when", second half: the same scenario with faults on — AvidXchange 429s with
 * Retry-After, 5xx (some after the request took effect), hung and slow responses, a revoked token;
 * SYSPRO 5xx (one after a posting happened), a hung posting, e.net sessions that expire every few
 * calls; and the worker process killed with SIGKILL in the middle of the invoice run and started
 * again. Its end state must equal a plain run's, compared row by row.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { syncRuns } from "../../src/db/schema/index.js";
import { createE2eWorld, createInProcessDriver, playScenario, projectState } from "./scenario.js";
import { createWorkerProcessDriver } from "./worker-process.js";

import type { E2eWorld, Projection, ScenarioHooks, ScenarioRecord } from "./scenario.js";
import type { WorkerProcessDriver } from "./worker-process.js";

/** The plain run, in this process: the reference end state. */
async function plainRun(): Promise<{ state: Projection; record: ScenarioRecord }> {
  const world = await createE2eWorld();
  const driver = await createInProcessDriver(world);
  try {
    const record = await playScenario(world, driver);
    return { state: await projectState(world), record };
  } finally {
    await driver.close();
    await world.close();
  }
}

/** What the fault run did to the systems, so the test can tell the faults really happened. */
interface Chaos {
  killedRunState?: string | undefined;
  killedAfterInvoices?: number | undefined;
}

function faultHooks(world: E2eWorld, driver: WorkerProcessDriver, chaos: Chaos): ScenarioHooks {
  const { avid, syspro } = world;
  return {
    beforeSync(step) {
      switch (step) {
        case "reference_data":
          syspro.control.addFault({ kind: "status", status: 503, api: "odata", times: 2 });
          avid.control.addFault({
            kind: "rate-limit",
            path: "/v1/enterprisecodes",
            retryAfterSeconds: 1,
          });
          break;
        case "suppliers":
          avid.control.addFault({ kind: "status", status: 503, path: "/v1/vendors", count: 2 });
          avid.control.addFault({ kind: "hang", path: "/v1/vendors", method: "GET" });
          syspro.control.addFault({ kind: "delay", ms: 300, api: "odata", times: 2 });
          break;
        case "purchase_orders":
          // Accepted by AvidXchange, then a 502: the retry must not make a second PO.
          avid.control.addFault({
            kind: "status",
            status: 502,
            path: "/v1/purchaseorders",
            method: "POST",
            afterEffect: true,
          });
          break;
        case "invoices":
          avid.control.addFault({
            kind: "rate-limit",
            path: "/v1/invoices",
            method: "POST",
            retryAfterSeconds: 1,
          });
          avid.control.addFault({
            kind: "slow",
            delayMs: 400,
            path: "/v1/invoices",
            method: "POST",
            count: 3,
          });
          avid.control.addFault({
            kind: "status",
            status: 500,
            path: "/v1/invoices",
            method: "POST",
            afterEffect: true,
          });
          break;
        case "approvals":
          avid.control.revokeTokens();
          avid.control.addFault({
            kind: "status",
            status: 503,
            path: "/v1/invoices",
            method: "GET",
          });
          break;
        case "payments":
          avid.control.revokeTokens();
          avid.control.addFault({ kind: "rate-limit", path: "/v1/payments", retryAfterSeconds: 1 });
          syspro.control.setSessionExpiry({ everyCalls: 4 });
          // The first posting happens in SYSPRO, then the answer is lost: the engine must ask
          // SYSPRO before posting again.
          syspro.control.addFault({
            kind: "status",
            status: 500,
            api: "enet",
            operation: "Transaction/Post",
            phase: "after",
          });
          syspro.control.addFault({ kind: "hang", api: "enet", operation: "Transaction/Post" });
          break;
        case "reversal":
          syspro.control.addFault({
            kind: "status",
            status: 503,
            api: "enet",
            operation: "Transaction/Post",
          });
          break;
        case "settle":
          syspro.control.clearFaults();
          syspro.control.setSessionExpiry({ everyCalls: null });
          avid.control.clearFaults();
          break;
      }
    },
    async aroundSync(step, kind, run) {
      if (step !== "invoices") {
        return run();
      }
      const running = run();
      // Kill the worker once AvidXchange has accepted the first batch of this run.
      const until = Date.now() + 30_000;
      const accepted = () =>
        avid.control
          .requests({ method: "POST", path: "/v1/invoices" })
          .filter((r) => r.status === 200).length;
      while (accepted() === 0 && Date.now() < until) {
        await sleep(10);
      }
      const [current] = await world.t.db
        .select()
        .from(syncRuns)
        .where(and(eq(syncRuns.connectionId, world.connectionId), eq(syncRuns.kind, kind)))
        .orderBy(desc(syncRuns.createdAt))
        .limit(1);
      chaos.killedRunState = current?.state;
      chaos.killedAfterInvoices = avid.control.snapshot().invoices.length;
      await driver.kill();
      await driver.restart();
      return running;
    },
  };
}

describe("issue 8 end to end with faults: the same end state, row by row", () => {
  let plain: { state: Projection; record: ScenarioRecord };
  let world: E2eWorld;
  let driver: WorkerProcessDriver;
  let record: ScenarioRecord;
  let state: Projection;
  const chaos: Chaos = {};
  beforeAll(async () => {
    // The plain run works in this process while the fault run's worker is a child process, so
    // running both at once keeps the file's wall time down.
    const faultRun = async () => {
      world = await createE2eWorld();
      driver = await createWorkerProcessDriver(world);
      record = await playScenario(world, driver, faultHooks(world, driver, chaos));
      state = await projectState(world);
    };
    [plain] = await Promise.all([plainRun(), faultRun()]);
  }, 85_000);
  afterAll(async () => {
    await driver?.close();
    await world?.close();
  });

  it("really ran under faults, with the worker killed mid-run and restarted", () => {
    expect(driver.starts).toBe(2);
    expect(chaos.killedRunState).toBe("running");
    expect(chaos.killedAfterInvoices).toBeGreaterThan(0);
    expect(chaos.killedAfterInvoices).toBeLessThan(plain.state.avidInvoices!.length);
    const avidFaults = world.avid.control.requests().filter((r) => r.fault !== null);
    expect(avidFaults.some((r) => r.status === 429)).toBe(true);
    expect(avidFaults.some((r) => (r.status ?? 0) >= 500)).toBe(true);
    expect(world.avid.control.tokensIssued()).toBeGreaterThan(1);
    const sysproFaults = world.syspro.control.requests().filter((r) => r.faults.length > 0);
    expect(sysproFaults.some((r) => r.api === "odata")).toBe(true);
    expect(sysproFaults.some((r) => r.operation === "Transaction/Post")).toBe(true);
    expect(
      world.syspro.control.requests().filter((r) => r.operation === "Logon").length,
    ).toBeGreaterThan(1);
  });

  it("makes the same choices as the plain run", () => {
    const strip = (r: ScenarioRecord) => ({
      recodes: r.recodes.map(({ externalInvoiceId: _e, ...rest }) => rest),
      anomalies: r.anomalies.map((a) => [a.kind, a.amount]),
      flows: r.flows,
    });
    expect(strip(record)).toEqual(strip(plain.record));
  });

  for (const table of [
    "suppliers",
    "purchaseOrders",
    "invoices",
    "invoiceLines",
    "payments",
    "postings",
    "exceptions",
    "sysproApInvoicePay",
    "sysproOpenBalances",
    "sysproJournals",
    "avidVendors",
    "avidPurchaseOrders",
    "avidInvoices",
    "avidPayments",
  ]) {
    it(`ends with the same ${table}`, () => {
      expect(plain.state[table]!.length).toBeGreaterThan(0);
      expect(state[table]).toEqual(plain.state[table]);
    });
  }
});
