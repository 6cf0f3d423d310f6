/**
 * OData reads over real HTTP against the SYSPRO sandbox: paging by `$skip` and by `@odata.nextLink`,
 * the 5000-row cap, date-watermark filters, escaping, typed values, and each failure classified.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  collectAll,
  isSysproAuthError,
  isSysproMalformedResponseError,
  isSysproNotFoundError,
  type ApInvoice,
} from "../../../src/connectors/syspro/index.js";
import { startHarness, type Harness } from "./harness.js";
import { guardLeaks } from "../../setup/leaks.js";

guardLeaks();

let h: Harness;
let allInvoices: Record<string, string>[];

beforeAll(async () => {
  h = await startHarness({ odataMaxPageSize: 5000 });
  allInvoices = h.sandbox.control.rows("ApInvoice", {}, 100_000);
});

afterEach(() => {
  h.sandbox.control.clearFaults();
  h.sandbox.control.setVariants({ odataNextLink: false, odataDates: "datetimeoffset" });
  h.sandbox.control.clearRequests();
  h.assertNoSecretsLogged();
});

afterAll(async () => {
  await h?.close();
});

const odataRequests = (entitySet: string) =>
  h.sandbox.control.requests().filter((r) => r.api === "odata" && r.operation === entitySet);

async function pagesOf<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const p of pages) {
    out.push(p);
  }
  return out;
}

describe("paging", () => {
  it("pages by $skip with a stable order ending in the key, when no nextLink comes", async () => {
    const c = h.connector({ options: { odataPageSize: 70 } });
    const pages = await pagesOf(c.odata.apInvoices());
    expect(pages.map((p) => p.length)).toEqual([70, 70, 70, 70, 20]);
    const keys = new Set(pages.flat().map((r) => `${r.Supplier}/${r.Invoice}`));
    expect(keys.size).toBe(allInvoices.length);
    const reqs = odataRequests("ApInvoice");
    expect(reqs.map((r) => r.params.$skip ?? "0")).toEqual(["0", "70", "140", "210", "280"]);
    expect(reqs[0]?.params.$orderby).toBe("JournalDate,Supplier,Invoice");
    expect(reqs.every((r) => r.params.$top === "70")).toBe(true);
  });

  it("follows @odata.nextLink when the server cuts pages short, then continues by $skip", async () => {
    const small = await startHarness({ odataMaxPageSize: 40, variants: { odataNextLink: true } });
    try {
      const c = small.connector({ options: { odataPageSize: 100 } });
      const pages = await pagesOf(c.odata.apInvoices());
      expect(pages.flat()).toHaveLength(300);
      expect(new Set(pages.flat().map((r) => `${r.Supplier}/${r.Invoice}`)).size).toBe(300);
      expect(pages.every((p) => p.length <= 40)).toBe(true);
      const reqs = small.sandbox.control.requests().filter((r) => r.operation === "ApInvoice");
      // $top=100 is split by the server into 40+40+20 via nextLinks; then our own $skip=100.
      expect(reqs.slice(0, 4).map((r) => [r.params.$skip ?? "0", r.params.$top])).toEqual([
        ["0", "100"],
        ["40", "60"],
        ["80", "20"],
        ["100", "100"],
      ]);
    } finally {
      await small.close();
    }
  });

  it("never asks for more than the 5000-row cap", async () => {
    const c = h.connector({ options: { odataPageSize: 5000 } });
    await collectAll(c.odata.apInvoices());
    const big = c.odataRaw.pages("ApInvoice", {
      orderBy: ["Supplier", "Invoice"],
      pageSize: 20_000,
    });
    await big.next();
    await big.return(undefined);
    expect(odataRequests("ApInvoice").map((r) => r.params.$top)).toEqual(["5000", "5000"]);
  });

  it("stops at a limit and fetches pages only as they are consumed", async () => {
    const c = h.connector({ options: { odataPageSize: 10 } });
    const rows = await collectAll(
      c.odataRaw.pages("ApInvoice", { orderBy: ["Supplier", "Invoice"], limit: 25 }),
    );
    expect(rows).toHaveLength(25);
    expect(odataRequests("ApInvoice").map((r) => r.params.$top)).toEqual(["10", "10", "5"]);
    h.sandbox.control.clearRequests();
    const lazy = c.odata.apInvoices();
    await lazy.next();
    expect(odataRequests("ApInvoice")).toHaveLength(1);
    await lazy.return(undefined);
  });

  it("refuses a broken nextLink instead of looping or skipping rows", async () => {
    const small = await startHarness({ odataMaxPageSize: 40 });
    try {
      const c = small.connector();
      for (const mode of ["invalid-token", "same-page"] as const) {
        small.sandbox.control.addFault({ kind: "broken-next-link", mode, operation: "ApInvoice" });
        const err = await collectAll(c.odata.apInvoices()).catch((e: unknown) => e);
        expect(isSysproMalformedResponseError(err) && err.reason).toBe("bad_next_link");
      }
    } finally {
      await small.close();
    }
  });
});

describe("filters and values", () => {
  it("reads from a date watermark (inclusive) with the Edm.Date literal", async () => {
    const c = h.connector();
    const since = "2026-10-15";
    const rows = await collectAll(c.odata.apInvoices({ since }));
    const expected = allInvoices.filter((r) => (r.JournalDate ?? "").slice(0, 10) >= since);
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.JournalDate !== null && r.JournalDate >= since)).toBe(true);
    expect(odataRequests("ApInvoice")[0]?.params.$filter).toBe("JournalDate ge 2026-10-15");
  });

  it("reads the same dates whether SYSPRO sends Edm.DateTimeOffset or Edm.Date", async () => {
    const c = h.connector();
    const first = (await collectAll(c.odata.apInvoices({ since: "2026-10-20" })))[0] as ApInvoice;
    h.sandbox.control.setVariants({ odataDates: "date" });
    const again = (await collectAll(c.odata.apInvoices({ since: "2026-10-20" })))[0] as ApInvoice;
    expect(again.JournalDate).toBe(first.JournalDate);
    expect(first.JournalDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("converts money to decimal strings and keeps open balances exact", async () => {
    const c = h.connector();
    const open = await collectAll(c.odata.apInvoices({ openOnly: true }));
    expect(open.length).toBeGreaterThan(0);
    for (const r of open) {
      expect(r.MthInvBal1).toMatch(/^-?\d+\.\d{2}$/);
      expect(Number(r.MthInvBal1)).toBeGreaterThan(0);
    }
    const seeded = allInvoices.find(
      (r) => r.Invoice === open[0]!.Invoice && r.Supplier === open[0]!.Supplier,
    )!;
    expect(open[0]!.MthInvBal1).toBe(seeded.MthInvBal1);
  });

  it("escapes values: an apostrophe is data, an injection attempt matches nothing", async () => {
    h.sandbox.control.addSupplier({ Supplier: "O'NEIL", SupplierName: "O'Neil Ltd" });
    const gl = h.sandbox.control.rows("GenMaster", { AccOnHldFlag: "N", AccountType: "E" }, 1)[0]!
      .GlCode!;
    h.sandbox.control.addInvoice({
      Supplier: "O'NEIL",
      Invoice: "it's-1",
      OrigInvValue: "10.00",
      distribution: [{ ExpenseGlCode: gl, DistrValue: "10.00" }],
    });
    const c = h.connector();
    const rows = await collectAll(c.odata.apInvoices({ supplier: "O'NEIL" }));
    expect(rows.map((r) => r.Invoice)).toEqual(["it's-1"]);
    expect(await c.odata.apInvoicesByKey([{ Supplier: "O'NEIL", Invoice: "it's-1" }])).toHaveLength(
      1,
    );
    const hostile = await collectAll(c.odata.apInvoices({ supplier: "x' or Supplier ne 'y" }));
    expect(hostile).toEqual([]);
    expect(await c.odata.apInvoicePaysByReference("') or (1 eq 1")).toEqual([]);
  });

  it("finds a payment already in SYSPRO by its reference (ApInvoicePay), and nothing for others", async () => {
    const seeded = h.sandbox.control.rows("ApInvoicePay", {}, 1)[0]!;
    const c = h.connector();
    expect(await c.odata.apInvoicePaysByReference(seeded.PaymentReference!)).toEqual([
      {
        Supplier: seeded.Supplier,
        Invoice: seeded.Invoice,
        PaymentReference: seeded.PaymentReference,
        PostValue: Number(seeded.PostValue).toFixed(2),
      },
    ]);
    expect(await c.odata.apInvoicePaysByReference("AVP-NEVER-POSTED")).toEqual([]);
    const [request] = h.sandbox.control
      .requests()
      .filter((r) => r.operation === "ApInvoicePay")
      .slice(-1);
    expect(request?.params.$filter).toBe("PaymentReference eq 'AVP-NEVER-POSTED'");
  });

  it("reads GL accounts of the company without FORCED and RETAINED", async () => {
    const c = h.connector();
    const gl = await collectAll(c.odata.genMaster(h.sandbox.credentials.companyId));
    expect(gl.length).toBeGreaterThan(10);
    expect(gl.map((g) => g.GlCode)).not.toContain("FORCED");
    expect(gl.map((g) => g.GlCode)).not.toContain("RETAINED");
    const active = await collectAll(
      c.odata.genMaster(h.sandbox.credentials.companyId, { excludeOnHold: true }),
    );
    expect(active.length).toBeLessThan(gl.length);
    expect(odataRequests("GenMaster")[0]?.params.$filter).toContain("Company eq 'MED1'");
  });

  it("reads suppliers, terms, purchase orders with their lines, and AP journals", async () => {
    const c = h.connector();
    expect((await collectAll(c.odata.apSuppliers())).length).toBeGreaterThanOrEqual(12);
    expect((await collectAll(c.odata.tblApTerms())).length).toBeGreaterThan(0);
    const pos = await collectAll(c.odata.porMasterHdrs({ since: "2026-10-01" }));
    expect(pos.length).toBeGreaterThan(0);
    const lines = await c.odata.porMasterDetailsFor(pos.slice(0, 30).map((p) => p.PurchaseOrder));
    expect(new Set(lines.map((l) => l.PurchaseOrder)).size).toBe(Math.min(30, pos.length));
    const inv = allInvoices
      .slice(0, 30)
      .map((r) => ({ Supplier: r.Supplier!, Invoice: r.Invoice! }));
    const summaries = await c.odata.apJnlSummariesFor(inv);
    expect(summaries.length).toBeGreaterThanOrEqual(30);
    const distrib = await c.odata.apJnlDistribsFor(summaries);
    expect(distrib.length).toBeGreaterThanOrEqual(summaries.length);
    expect(odataRequests("ApJnlSummary")).toHaveLength(2); // chunked: 25 keys per request
  });
});

describe("failures", () => {
  it("classifies a wrong OData password and an unknown company", async () => {
    const wrong = h.connector({ credentials: { odataPassword: "nope" } });
    const err = await collectAll(wrong.odata.tblApTerms()).catch((e: unknown) => e);
    expect(isSysproAuthError(err) && err.reason).toBe("odata_credentials");
    const nowhere = h.connector({ odataUrl: h.sandbox.odataUrl.replace(/MED1$/, "NOPE") });
    const missing = await collectAll(nowhere.odata.tblApTerms()).catch((e: unknown) => e);
    expect(isSysproNotFoundError(missing) && missing.surface).toBe("odata");
  });
});
