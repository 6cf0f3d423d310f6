import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { SysproSandbox } from "../../../sandboxes/syspro/index.js";
import { basic, odata, rowsOf, startSandbox } from "./helpers.js";

const f = encodeURIComponent;

describe("SYSPRO sandbox: OData", () => {
  let sandbox: SysproSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ odataMaxPageSize: 50 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.control.reset();
  });

  it("needs Basic auth with the OData password (operator code or e-mail), 401 otherwise", async () => {
    const wrong = await odata(sandbox, "/ApSupplier?$top=1", basic("MLCONNECT", "Enet#2026"));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain("Basic");
    expect((await odata(sandbox, "/ApSupplier?$top=1", basic("APCLERK", "apclerk"))).status).toBe(
      401,
    );
    expect(
      (
        await odata(
          sandbox,
          "/ApSupplier?$top=1",
          basic("mlconnect@meridian.example.com", "OData#2026"),
        )
      ).status,
    ).toBe(200);
    const res = await fetch(`${sandbox.odataUrl}/ApSupplier`);
    expect(res.status).toBe(401);
    await res.text();
  });

  it("answers 404 for an unknown company or entity set", async () => {
    const c = sandbox.credentials;
    const res = await fetch(sandbox.odataUrl.replace(/MED1$/, "XYZ9") + "/ApSupplier", {
      headers: basic(c.odataUser, c.odataPassword),
    });
    expect(res.status).toBe(404);
    await res.text();
    expect((await odata(sandbox, "/NoSuchTable")).status).toBe(404);
  });

  it("serves entity sets named after the tables, with context, JSON numbers and date strings", async () => {
    const { status, body } = await odata(
      sandbox,
      "/ApInvoice?$top=2&$select=Supplier,Invoice,OrigInvValue,JournalDate,Journal",
    );
    expect(status).toBe(200);
    expect(body["@odata.context"]).toBe(
      `${sandbox.odataUrl}/$metadata#ApInvoice(Supplier,Invoice,OrigInvValue,JournalDate,Journal)`,
    );
    const [row] = rowsOf(body);
    expect(Object.keys(row!)).toEqual([
      "Supplier",
      "Invoice",
      "OrigInvValue",
      "JournalDate",
      "Journal",
    ]);
    expect(typeof row!.OrigInvValue).toBe("number");
    expect(row!.JournalDate).toBe("2026-10-01T00:00:00Z");
    sandbox.control.setVariants({ odataDates: "date" });
    expect(
      rowsOf((await odata(sandbox, "/ApInvoice?$top=1&$select=JournalDate")).body)[0]?.JournalDate,
    ).toBe("2026-10-01");
    const meta = await fetch(`${sandbox.odataUrl}/$metadata`, {
      headers: basic("MLCONNECT", "OData#2026"),
    });
    expect(await meta.text()).toContain(
      '<EntitySet Name="ApInvoicePay" EntityType="SYSPRO.ApInvoicePay"/>',
    );
  });

  it("filters with comparisons, and/or, parentheses, dates, numbers and quoted strings", async () => {
    const all = sandbox.control.rows("ApInvoice", {}, 1000);
    const count = async (filter: string): Promise<number> => {
      const r = await odata(sandbox, `/ApInvoice?$filter=${f(filter)}&$count=true&$top=0`);
      expect(r.status).toBe(200);
      return r.body["@odata.count"] as number;
    };
    expect(await count("JournalDate ge 2026-10-29")).toBe(
      all.filter((r) => r.JournalDate! >= "2026-10-29").length,
    );
    expect(await count("JournalDate gt 2026-10-29T00:00:00Z and JournalDate le 2026-10-30")).toBe(
      all.filter((r) => r.JournalDate === "2026-10-30").length,
    );
    expect(await count("MthInvBal1 eq 0")).toBe(all.filter((r) => r.MthInvBal1 === "0.00").length);
    expect(await count("MthInvBal1 gt 1000.5 and MthInvBal1 lt 2000")).toBe(
      all.filter((r) => Number(r.MthInvBal1) > 1000.5 && Number(r.MthInvBal1) < 2000).length,
    );
    expect(
      await count("(Supplier eq '0000002' or Supplier eq '0000003') and MthInvBal1 ne 0"),
    ).toBe(
      all.filter((r) => ["0000002", "0000003"].includes(r.Supplier!) && r.MthInvBal1 !== "0.00")
        .length,
    );
    expect(await count("Supplier eq 'O''Brien'")).toBe(0);
    sandbox.control.addSupplier({ Supplier: "OBRIEN1", SupplierName: "O'Brien & Sons" });
    const obrien = await odata(
      sandbox,
      `/ApSupplier?$filter=${f("SupplierName eq 'O''Brien & Sons'")}`,
    );
    expect(rowsOf(obrien.body).map((r) => r.Supplier)).toEqual(["OBRIEN1"]);
    const bad = await odata(sandbox, `/ApInvoice?$filter=${f("Nope eq 1")}`);
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toContain("Nope");
    expect((await odata(sandbox, `/ApInvoice?$filter=${f("Supplier eq")}`)).status).toBe(400);
  });

  it("orders by several keys, ascending and descending", async () => {
    const { body } = await odata(
      sandbox,
      `/ApInvoice?$orderby=${f("JournalDate desc,Supplier,Invoice desc")}&$top=40&$select=JournalDate,Supplier,Invoice`,
    );
    const rows = rowsOf(body) as { JournalDate: string; Supplier: string; Invoice: string }[];
    const sorted = [...rows].sort(
      (a, b) =>
        b.JournalDate.localeCompare(a.JournalDate) ||
        a.Supplier.localeCompare(b.Supplier) ||
        b.Invoice.localeCompare(a.Invoice),
    );
    expect(rows).toEqual(sorted);
    expect(rows[0]?.JournalDate).toBe("2026-10-30T00:00:00Z");
  });

  it("pages with $top/$skip under the row cap, and with @odata.nextLink when switched on", async () => {
    const q = `$filter=${f("JournalDate ge 2026-10-01")}&$orderby=${f("JournalDate,Supplier,Invoice")}&$select=Supplier,Invoice`;
    const first = await odata(sandbox, `/ApInvoice?${q}`);
    expect(rowsOf(first.body)).toHaveLength(50); // capped
    expect(first.body["@odata.nextLink"]).toBeUndefined();
    const seen: string[] = [];
    for (let skip = 0; ; skip += 50) {
      const page = rowsOf((await odata(sandbox, `/ApInvoice?${q}&$skip=${skip}`)).body);
      seen.push(...page.map((r) => `${String(r.Supplier)}|${String(r.Invoice)}`));
      if (page.length < 50) {
        break;
      }
    }
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);

    sandbox.control.setVariants({ odataNextLink: true });
    const linked: string[] = [];
    let url: string | undefined = `${sandbox.odataUrl}/ApInvoice?${q}`;
    while (url !== undefined) {
      const res = await fetch(url, { headers: basic("MLCONNECT", "OData#2026") });
      const body = (await res.json()) as Record<string, unknown>;
      linked.push(...rowsOf(body).map((r) => `${String(r.Supplier)}|${String(r.Invoice)}`));
      url = body["@odata.nextLink"] as string | undefined;
    }
    expect(linked).toEqual(seen);
    const limited = await odata(sandbox, `/ApInvoice?${q}&$top=70`);
    expect(rowsOf(limited.body)).toHaveLength(50);
    expect(String(limited.body["@odata.nextLink"])).toContain("%24top=20");
    expect(
      (await odata(sandbox, `/ApInvoice?${q}&$top=10`)).body["@odata.nextLink"],
    ).toBeUndefined();
  });

  it("caps a page at 5000 rows by default", async () => {
    const big = await startSandbox({ size: "reference" });
    try {
      const { body } = await odata(big, "/ApInvoice?$select=Invoice");
      expect(rowsOf(body)).toHaveLength(5000);
      const rest = await odata(big, "/ApInvoice?$select=Invoice&$skip=5000&$top=9000");
      expect(rowsOf(rest.body)).toHaveLength(3000);
    } finally {
      await big.close();
    }
  });

  it("shows new SYSPRO activity and postings in the next read", async () => {
    const inv = sandbox.control.addInvoice({ Supplier: "0000002", OrigInvValue: "500.00" });
    const { body } = await odata(sandbox, `/ApInvoice?$filter=${f(`JournalDate ge 2026-10-31`)}`);
    expect(rowsOf(body).map((r) => r.Invoice)).toEqual([inv.Invoice]);
    const distrib = await odata(
      sandbox,
      `/ApJnlDistrib?$filter=${f(`TrnYear eq 2026 and TrnMonth eq 10 and Journal eq ${inv.Journal}`)}`,
    );
    expect(rowsOf(distrib.body)).toEqual([
      expect.objectContaining({ DistrValue: 500, EntryNumber: 1 }),
    ]);
  });

  it("keeps GenMaster multi-company: other companies' rows are there unless filtered", async () => {
    const all = (await odata(sandbox, "/GenMaster?$count=true&$top=0")).body[
      "@odata.count"
    ] as number;
    const med1 = (
      await odata(sandbox, `/GenMaster?$count=true&$top=0&$filter=${f("Company eq 'MED1'")}`)
    ).body;
    expect(all).toBeGreaterThan(med1["@odata.count"] as number);
    const others = rowsOf(
      (await odata(sandbox, `/GenMaster?$filter=${f("Company ne 'MED1'")}`)).body,
    );
    expect(new Set(others.map((r) => r.Company))).toEqual(new Set(["MED2"]));
    const mine = rowsOf(
      (await odata(sandbox, `/GenMaster?$filter=${f("Company eq 'MED1' and AccOnHldFlag eq 'Y'")}`))
        .body,
    );
    expect(mine.map((r) => r.GlCode)).toEqual(["6600-230", "7000-220"]);
  });
});
