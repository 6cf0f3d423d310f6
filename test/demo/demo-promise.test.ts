/**
 * Issue 7's promise, at the small fixture's size and a quick sandbox lifecycle: the demo wiring
 * plus a real worker fill the four example queries with vendors, invoices with an approval state,
 * payments posted to SYSPRO and open exceptions, including mismatched payments.
 */
import { readFileSync } from "node:fs";

import { buildSchema, parse, validate } from "graphql";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEMO_PAYMENT_ANOMALIES, EXAMPLE_QUERIES, startDemo } from "../../src/demo/index.js";
import { createTaskList } from "../../src/jobs/index.js";
import { createMetrics } from "../../src/metrics/registry.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { triggerSync } from "../../src/sync/commands/sync-runs.js";
import { createWorker } from "../../src/worker/runner.js";
import { useSchemaGateway } from "../schema/harness.js";
import { guardLeaks } from "../setup/leaks.js";
import { quietLogger, testVault } from "./fixtures.js";

import type { Config } from "../../src/config.js";
import type { Demo } from "../../src/demo/index.js";
import type { JobDeps } from "../../src/jobs/deps.js";
import type { WorkerHandle } from "../../src/worker/runner.js";

guardLeaks();

interface Connection<T> {
  readonly totalCount: number;
  readonly edges: readonly { readonly node: T }[];
}
interface ExampleData {
  suppliers: Connection<{ sysproCode: string; avidVendorId: string | null }>;
  invoices: Connection<{ invoiceNumber: string; approvalState: string | null }>;
  payments: Connection<{ postingState: string; status: string; sysproReferences: string[] }>;
  invoiceExceptions: Connection<{ reasonCode: string; message: string }>;
  paymentExceptions: Connection<{ reasonCode: string; message: string; subjectRef: string }>;
}

/** Reasons the payment validation gives the anomalies the demo injects. */
const MISMATCH_REASONS = [
  "PAYMENT_ABOVE_OPEN_BALANCE",
  "CURRENCY_MISMATCH",
  "SPLIT_MISMATCH",
  "UNKNOWN_INVOICE",
  "SUPPLIER_MISMATCH",
];

describe("the example queries", () => {
  it("are valid against schema.graphql", () => {
    const schema = buildSchema(readFileSync("schema.graphql", "utf8"));
    for (const [name, query] of Object.entries(EXAMPLE_QUERIES)) {
      expect({ name, errors: validate(schema, parse(query)).map((e) => e.message) }).toEqual({
        name,
        errors: [],
      });
    }
  });
});

describe("a fresh demo, as a new user runs it", () => {
  const gateway = useSchemaGateway();
  const { vault } = testVault();
  const logger = quietLogger();
  const dispatcher = new Agent({ connect: { timeout: 2_000 } });
  let demo: Demo | undefined;
  let worker: WorkerHandle | undefined;

  beforeAll(async () => {
    const { database } = gateway();
    // A step of a second: received, approved, paid and at Funds Received within seconds.
    demo = await startDemo(
      { db: database.db, vault, logger },
      { size: "small", stepMs: 1_000, anomalyEveryMs: 250 },
    );
    const deps: JobDeps = {
      config: {} as Config,
      db: database.db,
      sql: database.sql,
      vault,
      logger,
      metrics: createMetrics({ processMetrics: false }),
      connectors: { dispatcher },
    };
    worker = await createWorker({
      connectionString: database.url,
      taskList: createTaskList(deps),
      concurrency: 4,
      logger,
      pollIntervalMs: 250,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await demo?.close();
    await dispatcher.close();
  });

  /** Runs the four queries as GraphiQL would send them (admin key, POST /graphql). */
  async function exampleData(): Promise<ExampleData> {
    const g = gateway();
    const [v, i, p, e] = await Promise.all([
      g.data<Pick<ExampleData, "suppliers">>(EXAMPLE_QUERIES.vendors),
      g.data<Pick<ExampleData, "invoices">>(EXAMPLE_QUERIES.invoicesWithApproval),
      g.data<Pick<ExampleData, "payments">>(EXAMPLE_QUERIES.postedPayments),
      g.data<{
        invoices: ExampleData["invoiceExceptions"];
        payments: ExampleData["paymentExceptions"];
      }>(EXAMPLE_QUERIES.openExceptions),
    ]);
    return {
      ...v,
      ...i,
      ...p,
      invoiceExceptions: e.invoices,
      paymentExceptions: e.payments,
    };
  }

  const complete = (d: ExampleData) =>
    d.suppliers.totalCount > 0 &&
    d.invoices.totalCount > 0 &&
    d.payments.totalCount > 0 &&
    d.paymentExceptions.edges.some((x) => MISMATCH_REASONS.includes(x.node.reasonCode));

  it(
    "fills all four example queries: vendors, approvals, posted payments, exceptions",
    { timeout: 150_000 },
    async () => {
      const { database } = gateway();
      const connectionId = demo!.connection.id;
      const jobs = createJobQueue();
      let data = await exampleData();
      // The demo's schedules tick once a minute; the test plays the scheduler at the quick
      // sandbox's pace instead (a run already waiting is reused, never doubled).
      // A generous bound, so a demo that never gets there fails on what is missing below.
      const giveUpAt = Date.now() + 100_000;
      while (!complete(data) && Date.now() < giveUpAt) {
        for (const kind of ["approvals", "payments"] as const) {
          await triggerSync(database.db, jobs, {
            connectionId,
            kind,
            dryRun: false,
            fullResync: false,
            force: false,
            actor: "test",
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
        data = await exampleData();
      }

      for (const { node } of data.suppliers.edges) {
        expect(node.avidVendorId).toMatch(/\S/);
      }
      expect(data.suppliers.edges.length).toBeGreaterThan(0);
      expect(data.invoices.edges.length).toBeGreaterThan(0);
      for (const { node } of data.invoices.edges) {
        expect(["In Approval", "Approved", "Paid"]).toContain(node.approvalState);
      }
      expect(data.payments.edges.length).toBeGreaterThan(0);
      for (const { node } of data.payments.edges) {
        expect(node.postingState).toBe("POSTED");
        expect(node.sysproReferences.length).toBeGreaterThan(0);
        // One document per payment, however many invoices it settles.
        expect(new Set(node.sysproReferences).size).toBe(node.sysproReferences.length);
      }
      const mismatched = data.paymentExceptions.edges.map((x) => x.node.reasonCode);
      expect(mismatched.some((r) => MISMATCH_REASONS.includes(r))).toBe(true);
      expect(demo!.banner.join("\n")).toContain("postingStates: [POSTED]");
      expect(DEMO_PAYMENT_ANOMALIES.length).toBeGreaterThan(0);
    },
  );
});
