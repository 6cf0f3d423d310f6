/**
 * Streams a 1,000,000-invoice ApInvoice table from the SYSPRO sandbox through the connector's OData
 * reader, page by page, and reports rows/s and heap. Run: `npx tsx bench/syspro-odata-stream.ts`
 * (add `--expose-gc` through NODE_OPTIONS for steadier heap figures). Results go in bench/RESULTS.md.
 */
import { Agent } from "undici";

import { createSysproSandbox } from "../sandboxes/syspro/index.js";
import { createMemorySessionStore, createSysproConnector } from "../src/connectors/syspro/index.js";

const rows = Number(process.argv[2] ?? 1_000_000);
const mode = process.argv[3] ?? "typed"; // typed = every ApInvoice column; narrow = 3 columns

const sandbox = createSysproSandbox({ customer: { invoices: rows }, freezeClock: true });
await sandbox.listen(0);
const dispatcher = new Agent();
const syspro = createSysproConnector({
  enet: { baseUrl: sandbox.url },
  odata: { baseUrl: sandbox.odataUrl },
  credentials: sandbox.credentials,
  dispatcher,
  sessionStore: createMemorySessionStore(),
});

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const pages =
  mode === "narrow"
    ? syspro.odataRaw.pages("ApInvoice", {
        select: ["Supplier", "Invoice", "MthInvBal1"],
        orderBy: ["JournalDate", "Supplier", "Invoice"],
      })
    : syspro.odata.apInvoices();

const started = performance.now();
let seen = 0;
let pageCount = 0;
let heapAfterFirst = 0;
let heapMax = 0;
for await (const page of pages) {
  seen += page.length;
  pageCount++;
  if (pageCount === 1) {
    heapAfterFirst = heapMb();
  }
  if (pageCount % 20 === 0) {
    heapMax = Math.max(heapMax, heapMb());
    process.stderr.write(`\r${seen} rows`);
  }
}
const seconds = (performance.now() - started) / 1000;
process.stderr.write("\n");
console.log(
  JSON.stringify({
    rows: seen,
    pages: pageCount,
    mode,
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round(seen / seconds),
    heapAfterFirstPageMb: Number(heapAfterFirst.toFixed(1)),
    heapMaxMb: Number(heapMax.toFixed(1)),
    gcExposed: gc !== undefined,
    node: process.version,
  }),
);
await sandbox.close();
await dispatcher.close();
