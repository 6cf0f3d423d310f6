/**
 * A 1,000,000-row table streams with flat memory: the reader holds one page, never the table.
 *
 * The rows come from a minimal OData endpoint in this file rather than the SYSPRO sandbox: the
 * sandbox computes its 1M invoices faithfully but at a few thousand rows a second, minutes per run
 * (the bench, `bench/syspro-odata-stream.ts`, streams the sandbox itself). This endpoint speaks only
 * what paging needs: `$top` capped at 5000 and `$skip`, serving one prebuilt page body.
 * Speed is not asserted here; it is in `bench/RESULTS.md`.
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { Agent } from "undici";
import { afterAll, beforeAll, expect, it } from "vitest";

import {
  createMemorySessionStore,
  createSysproConnector,
} from "../../../src/connectors/syspro/index.js";
import { guardLeaks } from "../../setup/leaks.js";

guardLeaks();

const TOTAL = 1_000_000;
const CAP = 5000;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let server: Server;
let base: string;
let served = 0;
const dispatcher = new Agent();

/** One page of rows, built once: what matters here is the client, not generating rows. */
const PAGE_ROWS = Array.from(
  { length: CAP },
  (_, i) =>
    `{"Supplier":"${String(i % 200).padStart(7, "0")}","Invoice":"INV-${String(i).padStart(7, "0")}","MthInvBal1":${(i % 100_000) / 100}}`,
);
const FULL_PAGE = PAGE_ROWS.join(",");

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const top = Math.min(Number(url.searchParams.get("$top") ?? CAP), CAP);
    const skip = Number(url.searchParams.get("$skip") ?? 0);
    const count = Math.max(0, Math.min(TOTAL, skip + top) - skip);
    served += count;
    res.writeHead(200, { "content-type": "application/json" });
    const rows = count === CAP ? FULL_PAGE : PAGE_ROWS.slice(0, count).join(",");
    res.end(`{"@odata.context":"x","value":[${rows}]}`);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/SYSPRO8Odata/SYSPROOData/MED1`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await dispatcher.close();
});

const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

it("streams 1,000,000 rows page by page with flat heap", async () => {
  const syspro = createSysproConnector({
    enet: { baseUrl: "http://127.0.0.1:9/SYSPROWCFService/Rest" },
    odata: { baseUrl: base },
    credentials: {
      operator: "X",
      operatorPassword: "",
      companyId: "MED1",
      companyPassword: "",
      odataUser: "u",
      odataPassword: "p",
    },
    dispatcher,
    sessionStore: createMemorySessionStore(),
  });
  const pages = syspro.odataRaw.pages("ApInvoice", {
    select: ["Supplier", "Invoice", "MthInvBal1"],
    orderBy: ["JournalDate", "Supplier", "Invoice"],
  });
  let rows = 0;
  let pageCount = 0;
  let baseline = 0;
  let peak = 0;
  for await (const page of pages) {
    rows += page.length;
    pageCount++;
    if (pageCount === 5) {
      baseline = heapMb();
    } else if (pageCount > 5 && pageCount % 25 === 0) {
      peak = Math.max(peak, heapMb());
    }
  }
  expect(rows).toBe(TOTAL);
  expect(pageCount).toBe(TOTAL / CAP);
  expect(served).toBe(TOTAL);
  // Holding the rows would add hundreds of MB; one page is a few MB. Allow GC noise, not growth.
  expect(peak - baseline).toBeLessThan(16);
});
