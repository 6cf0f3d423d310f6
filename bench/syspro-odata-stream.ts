/**
 * Streams a 1,000,000-invoice ApInvoice table from the SYSPRO sandbox through the connector's OData
 * reader, page by page, and reports rows/s and heap.
 * Run: `node --expose-gc --import tsx bench/syspro-odata-stream.ts [rows] [typed|narrow] [JournalDate|InvoiceDate] [skip|nextlink]`.
 * Results go in bench/RESULTS.md.
 */
import { Agent } from "undici";

import { createSysproSandbox } from "../sandboxes/syspro/index.js";
import { createMemorySessionStore, createSysproConnector } from "../src/connectors/syspro/index.js";

const rows = Number(process.argv[2] ?? 1_000_000);
const mode = process.argv[3] ?? "typed"; // typed = every ApInvoice column; narrow = 3 columns
const order = process.argv[4] === "InvoiceDate" ? "InvoiceDate" : "JournalDate";
const paging = process.argv[5] === "nextlink" ? "nextlink" : "skip";

const sandbox = createSysproSandbox({
  customer: { invoices: rows },
  freezeClock: true,
  variants: { odataNextLink: paging === "nextlink" },
});
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
        orderBy: [order, "Supplier", "Invoice"],
      })
    : syspro.odata.apInvoices({ dateColumn: order });

const started = performance.now();
let firstPageMs = 0;
let seen = 0;
let pageCount = 0;
let heapAfterFirst = 0;
let heapMax = 0;
for await (const page of pages) {
  seen += page.length;
  pageCount++;
  if (pageCount === 1) {
    firstPageMs = performance.now() - started;
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
    order,
    paging,
    seconds: Number(seconds.toFixed(1)),
    firstPageMs: Math.round(firstPageMs),
    rowsPerSecond: Math.round(seen / seconds),
    heapAfterFirstPageMb: Number(heapAfterFirst.toFixed(1)),
    heapMaxMb: Number(heapMax.toFixed(1)),
    gcExposed: gc !== undefined,
    node: process.version,
  }),
);
await sandbox.close();
await dispatcher.close();
