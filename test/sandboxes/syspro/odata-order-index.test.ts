/**
 * Date-ordered OData reads of a large seed: `$orderby=InvoiceDate,…` goes through the table's group
 * index and `$orderby=JournalDate,…` through the seed's own order, one day at a time. Both must give
 * exactly the rows, in exactly the order, that sorting the whole table would — across `$skip` pages,
 * nextLinks, filters, added rows and rows whose date changed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { SysproSandbox } from "../../../sandboxes/syspro/index.js";
import { odata, rowsOf, startSandbox } from "./helpers.js";

type R = Record<string, unknown>;
const f = encodeURIComponent;
const SELECT = "$select=Supplier,Invoice,InvoiceDate,JournalDate,MthInvBal1";

/** Every row, following nextLinks or `$skip` as the sandbox answers. */
async function readAll(sandbox: SysproSandbox, query: string): Promise<R[]> {
  const out: R[] = [];
  let path = `/ApInvoice?${query}`;
  for (;;) {
    const { status, body } = await odata(sandbox, path);
    expect(status).toBe(200);
    const rows = rowsOf(body);
    out.push(...rows);
    const next = body["@odata.nextLink"];
    if (typeof next === "string") {
      path = next.slice(sandbox.odataUrl.length);
    } else if (rows.length === 5000) {
      path = `/ApInvoice?${query}&$skip=${out.length}`;
    } else {
      return out;
    }
  }
}

const key = (r: R) => `${String(r.Supplier)}|${String(r.Invoice)}`;

/** The reference order: a whole-table sort by (date column, Supplier, Invoice). */
function sorted(rows: R[], column: string, desc = false): string[] {
  return [...rows]
    .sort((a, b) => {
      const x = String(a[column]);
      const y = String(b[column]);
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) {
        return desc ? -c : c;
      }
      return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    })
    .map(key);
}

describe("SYSPRO sandbox: date-ordered reads of a large seed", () => {
  let sandbox: SysproSandbox;
  let all: R[];
  beforeAll(async () => {
    sandbox = await startSandbox({ customer: { invoices: 40_000 } });
    // Key order is not a date order, so this read sorts the whole table: the reference.
    all = await readAll(sandbox, `${SELECT}&$orderby=Supplier,Invoice`);
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.control.reset();
  });

  it("orders by InvoiceDate (not the seed's order) exactly as a whole-table sort, over $skip", async () => {
    expect(all).toHaveLength(40_000);
    const rows = await readAll(sandbox, `${SELECT}&$orderby=InvoiceDate,Supplier,Invoice`);
    expect(rows.map(key)).toEqual(sorted(all, "InvoiceDate"));
  });

  it("gives the same order through nextLinks, descending, and with a date-watermark filter", async () => {
    sandbox.control.setVariants({ odataNextLink: true });
    const desc = await readAll(sandbox, `${SELECT}&$orderby=InvoiceDate desc,Supplier,Invoice`);
    expect(desc.map(key)).toEqual(sorted(all, "InvoiceDate", true));
    const since = "2026-10-20";
    const filter = f(`InvoiceDate ge ${since} and MthInvBal1 gt 0`);
    const recent = await readAll(
      sandbox,
      `${SELECT}&$filter=${filter}&$orderby=InvoiceDate,Supplier,Invoice`,
    );
    const expected = all.filter(
      (r) => String(r.InvoiceDate) >= since && (r.MthInvBal1 as number) > 0,
    );
    expect(recent.length).toBeGreaterThan(1000);
    expect(recent.map(key)).toEqual(sorted(expected, "InvoiceDate"));
    const byJournal = await readAll(
      sandbox,
      `${SELECT}&$filter=${f(`JournalDate ge ${since}`)}&$orderby=JournalDate,Supplier,Invoice`,
    );
    expect(byJournal.map(key)).toEqual(
      sorted(
        all.filter((r) => String(r.JournalDate) >= since),
        "JournalDate",
      ),
    );
  });

  it("places added rows and rows whose InvoiceDate changed where a full sort would", async () => {
    const added = sandbox.control.addInvoice({
      Supplier: "0000003",
      Invoice: "ZZ-ADDED",
      InvoiceDate: "2026-10-02",
      OrigInvValue: "10.00",
    });
    // A seed row whose ordered column changes must leave its place in the index.
    const table = sandbox.state.tables.ApInvoice;
    table.groupIndex("InvoiceDate");
    const moved = all[123]!;
    const [ref] = sandbox.state.find(table, {
      Supplier: String(moved.Supplier),
      Invoice: String(moved.Invoice),
    })!;
    table.update(ref, { InvoiceDate: "2026-09-01" });

    const rows = await readAll(sandbox, `${SELECT}&$orderby=InvoiceDate,Supplier,Invoice`);
    const expected = all.map((r) =>
      key(r) === key(moved) ? { ...r, InvoiceDate: "2026-09-01T00:00:00Z" } : r,
    );
    expected.push({ ...added, InvoiceDate: `${added.InvoiceDate}T00:00:00Z` });
    expect(rows).toHaveLength(40_001);
    expect(rows[0] && key(rows[0])).toBe(key(moved));
    expect(rows.map(key)).toEqual(sorted(expected, "InvoiceDate"));
  });
});
