/**
 * The sync engine at the reference customer's size: a first backfill (reference data, suppliers,
 * purchase orders, invoices forced past mapping readiness), approvals and payments after the
 * AvidXchange clock has moved on, then an incremental invoices run with nothing new and one with
 * 200 invoices added to SYSPRO. Per stage: wall time, the run's counts, AvidXchange requests and
 * 429s, SYSPRO calls, SQL statements of the sync's own pool, peak RSS and heap of the process
 * (sandboxes included). Run:
 * `node --expose-gc --import tsx bench/sync-backfill.ts [invoices=8000] [connector req/s=19.6]`.
 * Results go in bench/RESULTS.md.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { eq } from "drizzle-orm";
import { Logger, runOnce } from "graphile-worker";
import pg from "pg";
import { Agent } from "undici";

import { createAvidSandbox } from "../sandboxes/avidxchange/index.js";
import { createSysproSandbox } from "../sandboxes/syspro/index.js";
import { createDb } from "../src/db/client.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { migrate } from "../src/db/migrate.js";
import { connections, syncRuns } from "../src/db/schema/index.js";
import { seedDemoMappings } from "../src/demo/mappings.js";
import { createTaskList } from "../src/jobs/index.js";
import { silentLogger } from "../src/logger.js";
import { setCredentials } from "../src/secrets/credential-store.js";
import { createVault } from "../src/secrets/vault.js";
import { createJobQueue } from "../src/sync/commands/job-queue.js";
import { triggerSync } from "../src/sync/commands/sync-runs.js";

import type { Config } from "../src/config.js";
import type { SyncKind } from "../src/glossary.js";
import type { JobDeps } from "../src/jobs/deps.js";

const invoiceCount = Number(process.argv[2] ?? 8000);
/** A realistic AvidXchange tier; the connector paces itself at 98% of it (bench/avidxchange-rate.ts). */
const ALLOWED_PER_SECOND = 20;
/** The connector's own pace; its default (no setting in production wiring) is 1/s, burst 5. */
const connectorPerSecond = Number(process.argv[3] ?? ALLOWED_PER_SECOND * 0.98);
const NEW_INVOICES = 200;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AVID_START = "2026-11-02T08:00:00.000Z";
const SYSPRO_NOW = "2026-11-02T23:00:00.000Z";
const PAYMENTS_AT = "2026-11-02T22:00:00.000Z";

const quietLogger = new Logger(() => () => {});

interface StageResult {
  stage: string;
  state: string;
  seconds: number;
  read: number;
  created: number;
  updated: number;
  exceptions: number;
  avidRequests: number;
  avid429: number;
  enet: number;
  odata: number;
  sql: number;
  peakRssMb: number;
  peakHeapMb: number;
  error: string | null;
}

const dataDir = await mkdtemp(path.join(tmpdir(), "sync-bench-pg-"));
// PostgreSQL runs as its own user when we are root; it must be able to reach the data dir.
await chmod(dataDir, 0o755);
const postgresServer = await startEmbeddedPostgres({
  dataDir: path.join(dataDir, "data"),
  handleSignals: false,
  settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
});

const syspro = createSysproSandbox({
  size: "reference",
  customer: { invoices: invoiceCount },
  freezeClock: true,
  now: SYSPRO_NOW,
});
const avid = createAvidSandbox({
  startTime: AVID_START,
  referenceCustomer: syspro.state.customer,
  rateLimit: { requestsPerMinute: ALLOWED_PER_SECOND * 60, burstPerSecond: ALLOWED_PER_SECOND },
  requestLogLimit: 1_000_000,
  // Deterministic lifecycle, as in the end-to-end scenario: approvals within the hour, one
  // payment run a day at 15:00, payments then waiting at Funds Received.
  lifecycle: {
    probabilities: {
      reject: 0,
      hold: 0,
      recode: 0,
      paymentHeld: 0,
      paymentError: 0,
      paymentVoid: 0,
    },
    timings: {
      receivedMs: 60_000,
      approvalStepMs: 10 * 60_000,
      paymentRunEveryMs: DAY,
      paymentRunOffsetMs: 15 * HOUR,
      paymentStatusMs: {
        "Pending Approval": HOUR,
        Processing: HOUR,
        "Debit Requested": HOUR,
        "Funds Received": 10 * DAY,
      },
    },
  },
});

let statements = 0;
/** Statements by their text, so a stage's heaviest ones can be named. */
const byText = new Map<string, number>();
const results: StageResult[] = [];
let closeAll: (() => Promise<void>) | undefined;
try {
  await syspro.listen(0);
  await avid.listen(0);
  await migrate({ url: postgresServer.url });
  const { db, sql, close } = createDb({
    url: postgresServer.url,
    applicationName: "sync-bench",
    onQuery: (query) => {
      statements++;
      const key = query.replace(/\s+/g, " ").slice(0, 160);
      byText.set(key, (byText.get(key) ?? 0) + 1);
    },
  });
  const vault = createVault({ keys: [{ id: "b", key: randomBytes(32) }], currentKeyId: "b" });
  const client = avid.clients[0]!;
  const [connection] = await db
    .insert(connections)
    .values({
      name: "bench",
      sysproEnetBaseUrl: syspro.url,
      sysproOdataBaseUrl: syspro.odataUrl,
      sysproCompanyId: syspro.credentials.companyId,
      sysproOperator: syspro.credentials.operator,
      sysproOdataUser: syspro.credentials.odataUser,
      avidBaseUrl: avid.gatewayUrl,
      avidTokenUrl: avid.tokenUrl,
      avidClientId: client.clientId,
      avidCompanyId: client.companies[0]!,
      recodePolicy: "JOURNAL",
      postingMethod: "APSTPM",
      bankCode: "FB",
      apControlGl: "2000-100",
      bankClearingGl: "1010-100",
      createdAt: new Date(Date.parse(AVID_START) - HOUR),
    })
    .returning();
  const connectionId = connection!.id;
  await setCredentials(db, vault, connectionId, {
    syspro_operator_password: syspro.credentials.operatorPassword,
    syspro_company_password: syspro.credentials.companyPassword,
    syspro_odata_password: syspro.credentials.odataPassword,
    avid_client_secret: client.clientSecret,
  });
  await seedDemoMappings(db, connectionId);

  const dispatcher = new Agent({ connect: { timeout: 5_000 } });
  const deps: JobDeps = {
    config: {} as Config,
    db,
    sql,
    vault,
    logger: silentLogger(),
    connectors: {
      dispatcher,
      avidSettings: {
        rateLimit: { requestsPerSecond: connectorPerSecond, burst: 1 },
        retry: { maxRateLimitRetries: 1_000 },
      },
    },
  };
  // graphile-worker's own pool is separate, so its job bookkeeping is not in the SQL counts.
  const pool = new pg.Pool({ connectionString: postgresServer.url, max: 2 });
  pool.on("error", () => {});
  pool.on("connect", (c) => c.on("error", () => {}));
  const taskList = createTaskList(deps);
  const jobs = createJobQueue();
  closeAll = async () => {
    await pool.end();
    await dispatcher.close();
    await close();
  };

  const drain = async () => {
    for (let i = 0; i < 50; i++) {
      const { rows } = await pool.query<{ n: string }>(
        "select count(*)::text as n from graphile_worker.jobs where locked_at is null and run_at <= now() and attempts < max_attempts",
      );
      if (rows[0]?.n === "0") {
        return;
      }
      await runOnce({ pgPool: pool, taskList, noHandleSignals: true, logger: quietLogger });
    }
    throw new Error("the job queue did not drain");
  };

  const stage = async (name: string, kind: SyncKind, force = false) => {
    globalThis.gc?.();
    const avidBefore = avid.control.requests().length;
    const sysproBefore = syspro.control.snapshot().requests;
    const sqlBefore = statements;
    byText.clear();
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    sample();
    const sampler = setInterval(sample, 100);
    const started = performance.now();
    const { run } = await triggerSync(db, jobs, {
      connectionId,
      kind,
      dryRun: false,
      fullResync: false,
      force,
      actor: "bench",
    });
    await drain();
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    sample();
    const [done] = await db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
    const avidSent = avid.control.requests().slice(avidBefore);
    const sysproSent = syspro.control.requests(sysproBefore);
    const result: StageResult = {
      stage: name,
      state: done?.state ?? "missing",
      seconds,
      read: done?.countRead ?? 0,
      created: done?.countCreated ?? 0,
      updated: done?.countUpdated ?? 0,
      exceptions: done?.countExceptions ?? 0,
      avidRequests: avidSent.length,
      avid429: avidSent.filter((r) => r.status === 429).length,
      // The SYSPRO log keeps its last 10,000 entries; OData is the remainder of the exact total.
      enet: sysproSent.filter((r) => r.api === "enet").length,
      odata:
        syspro.control.snapshot().requests -
        sysproBefore -
        sysproSent.filter((r) => r.api !== "odata").length,
      sql: statements - sqlBefore,
      peakRssMb: peakRss / 2 ** 20,
      peakHeapMb: peakHeap / 2 ** 20,
      error: done?.error ?? null,
    };
    results.push(result);
    console.error(JSON.stringify(result));
    const heaviest = [...byText].sort((a, b) => b[1] - a[1]).slice(0, 6);
    for (const [text, count] of heaviest) {
      console.error(`  ${count}× ${text}`);
    }
  };

  await stage("reference_data", "reference_data");
  await stage("suppliers", "suppliers");
  await stage("purchase_orders", "purchase_orders");
  await stage("invoices (forced)", "invoices", true);
  await stage("invoices again, nothing new", "invoices", true);
  avid.control.advance(2 * HOUR);
  await stage("approvals (+2 h)", "approvals");
  avid.control.setTime(PAYMENTS_AT);
  await stage("payments (after the 15:00 run)", "payments");
  const suppliers = syspro.state.customer.suppliers;
  for (let i = 0; i < NEW_INVOICES; i++) {
    syspro.control.addInvoice({
      Supplier: suppliers[i % suppliers.length]!.Supplier,
      OrigInvValue: (100 + i).toFixed(2),
    });
  }
  await stage(`invoices, ${NEW_INVOICES} new in SYSPRO`, "invoices", true);
} finally {
  await closeAll?.();
  await Promise.allSettled([syspro.close(), avid.close()]);
  await postgresServer.stop();
  await rm(dataDir, { recursive: true, force: true });
}

const n = (x: number) => x.toLocaleString("en-US");
const perRecord = (r: StageResult) => {
  const records = Math.max(r.read, r.created + r.updated);
  return records > 0 ? (r.sql / records).toFixed(1) : "–";
};
console.log(
  `${n(invoiceCount)} invoices; AvidXchange allows ${ALLOWED_PER_SECOND}/s, the connector paces at ${connectorPerSecond}/s`,
);
console.log(
  "| stage | state | seconds | read | created | updated | exceptions | Avid requests | Avid req/s | 429s | e.net calls | OData calls | SQL statements | SQL per record | peak RSS MB | peak heap MB |",
);
console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  console.log(
    `| ${r.stage} | ${r.state} | ${r.seconds.toFixed(1)} | ${n(r.read)} | ${n(r.created)} | ${n(r.updated)} | ${n(r.exceptions)} | ${n(r.avidRequests)} | ${(r.avidRequests / r.seconds).toFixed(1)} | ${r.avid429} | ${n(r.enet)} | ${n(r.odata)} | ${n(r.sql)} | ${perRecord(r)} | ${r.peakRssMb.toFixed(0)} | ${r.peakHeapMb.toFixed(0)} |`,
  );
  if (r.error) {
    console.log(`  ${r.stage}: ${r.error}`);
  }
}
