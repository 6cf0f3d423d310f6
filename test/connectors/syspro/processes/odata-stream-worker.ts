/**
 * The client side of the 1M-row streaming test, in its own process so its heap holds only the
 * connector (the sandbox lives in the test process). Streams every ApInvoice row through the
 * connector's OData page iterator (the one the typed readers wrap; four columns, so the run stays
 * short), checks the order is strictly increasing (so no row is repeated or skipped), and samples
 * the heap after a forced GC. Run with `--expose-gc`; argv[2] is a JSON `StreamWorkerArgs`; prints a
 * JSON `StreamWorkerResult` on stdout.
 */
import { Agent } from "undici";

import {
  createMemorySessionStore,
  createSysproConnector,
  type SysproCredentials,
} from "../../../../src/connectors/syspro/index.js";

export interface StreamWorkerArgs {
  enetUrl: string;
  odataUrl: string;
  credentials: SysproCredentials;
  /** Sample the heap every this many pages. */
  sampleEveryPages: number;
}

export interface StreamWorkerResult {
  rows: number;
  pages: number;
  largestPage: number;
  /** Rows out of order (each would mean a duplicate, a gap or a broken tie-break). */
  outOfOrder: number;
  /** Heap used after a full GC, in MB, after `rows` rows. */
  samples: { rows: number; heapMb: number }[];
}

const args = JSON.parse(process.argv[2] ?? "{}") as StreamWorkerArgs;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  throw new Error("run with --expose-gc");
}
const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const dispatcher = new Agent();
const syspro = createSysproConnector({
  enet: { baseUrl: args.enetUrl },
  odata: { baseUrl: args.odataUrl },
  credentials: args.credentials,
  dispatcher,
  sessionStore: createMemorySessionStore(),
});

const result: StreamWorkerResult = {
  rows: 0,
  pages: 0,
  largestPage: 0,
  outOfOrder: 0,
  samples: [],
};
let previous = "";
const pages = syspro.odataRaw.pages("ApInvoice", {
  select: ["JournalDate", "Supplier", "Invoice", "MthInvBal1"],
  orderBy: ["JournalDate", "Supplier", "Invoice"],
});
for await (const page of pages) {
  result.pages++;
  result.rows += page.length;
  result.largestPage = Math.max(result.largestPage, page.length);
  for (const row of page) {
    // Fixed-width supplier codes make the string order the $orderby order.
    const key = `${String(row.JournalDate)}|${String(row.Supplier)}|${String(row.Invoice)}`;
    if (key <= previous) {
      result.outOfOrder++;
    }
    previous = key;
  }
  if (result.pages % args.sampleEveryPages === 0) {
    result.samples.push({ rows: result.rows, heapMb: heapMb() });
  }
}
await dispatcher.close();
process.stdout.write(JSON.stringify(result));
