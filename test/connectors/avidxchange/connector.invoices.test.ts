import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { isItemSuccess } from "../../../src/connectors/avidxchange/index.js";
import { guardLeaks } from "../../setup/leaks.js";
import { invoice, vendor } from "./fixtures.js";
import { all, startHarness } from "./harness.js";

import type { AvidConnector } from "../../../src/connectors/avidxchange/index.js";
import type { Harness } from "./harness.js";

guardLeaks();
let h: Harness;
let avid: AvidConnector;
const V1 = vendor(1).ExternalVendorCode;

beforeAll(async () => {
  h = await startHarness({ lifecycle: { enabled: false } });
  avid = h.connector();
  const results = await avid.vendors.upsert([vendor(1), vendor(2)]);
  expect(results.every(isItemSuccess)).toBe(true);
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.control.clearRequests());

describe("vendors", () => {
  it("upserts by ExternalVendorCode: a second upsert updates, never duplicates", async () => {
    const before = h.sandbox.control.snapshot().vendors.length;
    const [r] = await avid.vendors.upsert([{ ...vendor(1), Name: "Renamed Vendor 1" }]);
    expect(r).toMatchObject({
      ok: true,
      index: 0,
      item: { ExternalVendorCode: V1, Name: "Renamed Vendor 1" },
    });
    expect(h.sandbox.control.snapshot().vendors.length).toBe(before);
    const listed = await all(avid.vendors.list({ externalVendorCodes: [V1] }));
    expect(listed.map((v) => v.Name)).toEqual(["Renamed Vendor 1"]);
  });

  it("surfaces a per-item failure with AvidXchange's text, the rest of the batch still applied", async () => {
    const results = await avid.vendors.upsert([vendor(3), { ...vendor(4), Name: "" }, vendor(5)]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ ok: false, index: 1, messages: ["Name is required"] });
    expect(results[1]?.input.ExternalVendorCode).toBe("T000004");
  });
});

describe("enterprise codes", () => {
  it("lists GL accounts and dimension values by group", async () => {
    const gl = await all(avid.enterpriseCodes.glAccounts());
    expect(gl.length).toBeGreaterThan(0);
    expect(gl.every((c) => c.GroupName === "Accounting Codes")).toBe(true);
    expect(gl.find((c) => c.CodeValue === "7200")?.IsActive).toBe(false);
    const departments = await all(avid.enterpriseCodes.dimensionValues("Department"));
    expect(departments.map((d) => d.CodeValue)).toEqual(expect.arrayContaining(["100", "210"]));
    const everything = await all(avid.enterpriseCodes.list());
    expect(everything.length).toBe(h.sandbox.control.snapshot().enterpriseCodes.length);
  });
});

describe("purchase orders", () => {
  it("upserts by ExternalCode, with decimal amounts on the wire", async () => {
    const po = {
      ExternalCode: "000419",
      OrderNumber: "000419",
      VendorExternalCode: V1,
      TotalAmount: "1250.50",
      LineItems: [
        {
          ExternalCode: "000419-1",
          Item: { ProductCode: "P-1", ProductDesc: "Widget", Quantity: "2.5", UOM: "EA" },
          Amount: "1250.50",
          PricePer: "500.20",
        },
      ],
    };
    const [first] = await avid.purchaseOrders.upsert([po]);
    const [again] = await avid.purchaseOrders.upsert([{ ...po, TotalAmount: "1250.50" }]);
    expect(first?.ok && again?.ok).toBe(true);
    const stored = h.sandbox.control
      .snapshot()
      .purchaseOrders.filter((p) => p["ExternalCode"] === "000419");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.["TotalAmount"]).toBe(1250.5);
  });
});

describe("invoices", () => {
  it("posts a batch: each item's result matched in order, each failure with its text", async () => {
    const good = invoice(V1);
    const dup = invoice(V1);
    const inputs = [
      good,
      invoice("T999999"),
      invoice(V1, {
        Lines: [{ LineNumber: 1, Amount: "1000.10", GLCode: { CodeValue: "7200" } }],
      }),
      invoice(V1, {
        Lines: [
          {
            LineNumber: 1,
            Amount: "1000.10",
            GLCode: { CodeValue: "6100" },
            Dimensions: [{ GroupName: "Department", CodeValue: "OPS" }],
          },
        ],
      }),
      invoice(V1, { Amount: "1140.10" }),
      dup,
      { ...invoice(V1), InvoiceNumber: dup.InvoiceNumber },
    ];
    const results = await avid.invoices.post(inputs);
    expect(results.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, false],
      [4, false],
      [5, true],
      [6, false],
    ]);
    const messages = results.map((r) => (r.ok ? null : r.messages));
    expect(messages).toEqual([
      null,
      ["Vendor T999999 not found"],
      ["GL code 7200 is not active"],
      ["Dimension Department/OPS not found"],
      ["Lines total 1000.10 does not equal Amount less TaxAmount 990.10"],
      null,
      [`Duplicate invoice ${dup.InvoiceNumber} for vendor ${V1}`],
    ]);
    const posted = results[0];
    expect(posted?.ok).toBe(true);
    if (posted?.ok) {
      expect(posted.input).toBe(good);
      expect(posted.item).toMatchObject({
        ExternalInvoiceId: good.ExternalInvoiceId,
        Status: { Description: "Received" },
      });
      expect(typeof posted.item.InvoiceId).toBe("number");
    }
    expect(h.sandbox.control.requests({ method: "POST", path: "/v1/invoices" })).toHaveLength(1);
  });

  it("re-posting an ExternalInvoiceId returns the same invoice and changes nothing", async () => {
    const inv = invoice(V1);
    const [first] = await avid.invoices.post([inv]);
    const before = h.sandbox.control.snapshot().invoices.length;
    const [second] = await avid.invoices.post([inv]);
    expect(first?.ok && second?.ok).toBe(true);
    if (first?.ok && second?.ok) {
      expect(second.item.InvoiceId).toBe(first.item.InvoiceId);
    }
    expect(h.sandbox.control.snapshot().invoices.length).toBe(before);
  });

  it("sends more than 100 invoices in batches of 100, results in input order", async () => {
    const inputs = Array.from({ length: 130 }, () => invoice(vendor(2).ExternalVendorCode));
    const results = await avid.invoices.post(inputs);
    expect(results).toHaveLength(130);
    expect(results.every((r, i) => r.ok && r.index === i && r.input === inputs[i])).toBe(true);
    const ids = results.map((r) => (r.ok ? r.item.ExternalInvoiceId : null));
    expect(ids).toEqual(inputs.map((i) => i.ExternalInvoiceId));
    expect(h.sandbox.control.requests({ method: "POST", path: "/v1/invoices" })).toHaveLength(2);
  });

  it("posts nothing for no invoices", async () => {
    expect(await avid.invoices.post([])).toEqual([]);
    expect(h.sandbox.control.requests()).toHaveLength(0);
  });

  it("reads invoices back by external ids and by ids, amounts exact as decimal strings", async () => {
    const a = invoice(V1);
    const b = invoice(V1, {
      Amount: "0.30",
      TaxAmount: "0.10",
      Lines: [{ LineNumber: 1, Amount: "0.20", GLCode: { CodeValue: "6100" } }],
    });
    const results = await avid.invoices.post([a, b]);
    const ids = results.map((r) => (r.ok ? r.item.InvoiceId : -1));
    const byExternal = await avid.invoices.byExternalIds([
      a.ExternalInvoiceId,
      b.ExternalInvoiceId,
    ]);
    const byId = await avid.invoices.byIds(ids);
    for (const list of [byExternal, byId]) {
      expect(list.map((i) => [i.InvoiceId, i.Amount, i.TaxAmount])).toEqual([
        [ids[0], "1150.10", "150.00"],
        [ids[1], "0.30", "0.10"],
      ]);
      expect(list[1]?.Lines[0]).toMatchObject({ Amount: "0.20", GLCode: { CodeValue: "6100" } });
    }
  });

  it("lists by last-modified window", async () => {
    const now = h.sandbox.control.now();
    const listed = await all(avid.invoices.listModified({ from: "2026-11-01", to: now }));
    const snapshot = h.sandbox.control.snapshot().invoices;
    expect(listed.map((i) => i.InvoiceId)).toEqual(snapshot.map((i) => i["InvoiceId"]));
  });
});
