/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import { client, HOUR, START, startSandbox, vendor } from "./helpers.js";

describe("vendors", () => {
  it("starts with the AvidXchange-only vendors and upserts by ExternalVendorCode", async () => {
    const sandbox = await startSandbox();
    const api = await client(sandbox);
    const seeded = await api("GET", "/v1/vendors");
    expect(
      seeded.json.Items.map((v: { ExternalVendorCode: string }) => v.ExternalVendorCode),
    ).toEqual(["AVX0001", "AVX0002", "AVX0003"]);
    const created = await api("POST", "/v1/vendors", {
      body: { Vendors: [vendor("0000001", "Apex Components")] },
    });
    expect(created.json.Results[0]).toMatchObject({
      Successful: true,
      Errors: [],
      Item: {
        VendorId: 5004,
        ExternalVendorCode: "0000001",
        Name: "Apex Components",
        Active: true,
        LastModifiedDate: START,
      },
    });

    sandbox.control.advance(HOUR);
    const unchanged = await api("POST", "/v1/vendors", {
      body: { Vendors: [vendor("0000001", "Apex Components")] },
    });
    expect(unchanged.json.Results[0].Item.LastModifiedDate).toBe(START);
    const renamed = await api("POST", "/v1/vendors", {
      body: {
        Vendors: [{ ExternalVendorCode: "0000001", Name: "Apex Components Inc", Active: false }],
      },
    });
    expect(renamed.json.Results[0].Item).toMatchObject({
      VendorId: 5004,
      Name: "Apex Components Inc",
      Active: false,
      Address: { City: "Chicago" },
      LastModifiedDate: "2026-11-02T09:00:00.000Z",
    });

    const byCode = await api("GET", "/v1/vendors?externalVendorCodes=0000001,AVX0002");
    expect(byCode.json.Items.map((v: { VendorId: number }) => v.VendorId)).toEqual([5002, 5004]);
    const changed = await api("GET", "/v1/vendors?lastModifiedFrom=2026-11-02T08:30:00Z");
    expect(
      changed.json.Items.map((v: { ExternalVendorCode: string }) => v.ExternalVendorCode),
    ).toEqual(["0000001"]);
  });

  it("reports per-item failures inside HTTP 200", async () => {
    const sandbox = await startSandbox();
    const api = await client(sandbox);
    const res = await api("POST", "/v1/vendors", {
      body: { Vendors: [{ Name: "No code" }, vendor("0000002"), "x"] },
    });
    expect(res.status).toBe(200);
    expect(res.json.Results.map((r: { Successful: boolean }) => r.Successful)).toEqual([
      false,
      true,
      false,
    ]);
    expect(res.json.Results[0].Errors).toEqual([{ Message: "ExternalVendorCode is required" }]);
    expect(res.json.Results[2].Errors).toEqual([{ Message: "Vendor must be an object" }]);
  });

  it("can start with every reference supplier as a vendor", async () => {
    const sandbox = await startSandbox({ seedVendorsFromSuppliers: true });
    const api = await client(sandbox);
    const res = await api("GET", "/v1/vendors?externalVendorCodes=0000001,0000012");
    expect(res.json.Items).toHaveLength(2);
    expect(res.json.Paging.TotalItems).toBe(2);
  });
});

describe("enterprise codes", () => {
  it("serves the reference GL accounts and dimensions by group", async () => {
    const sandbox = await startSandbox();
    const api = await client(sandbox);
    const gl = await api("GET", "/v1/enterprisecodes?groupName=Accounting%20Codes");
    const values = gl.json.Items.map((c: { CodeValue: string }) => c.CodeValue);
    expect(values).toContain("6100");
    expect(values).not.toContain("7250");
    expect(gl.json.Items.find((c: { CodeValue: string }) => c.CodeValue === "7200").IsActive).toBe(
      false,
    );
    expect(gl.json.Items[0]).toEqual({
      EnterpriseCodeId: expect.any(Number),
      GroupName: "Accounting Codes",
      CodeValue: "5000",
      Description: "Cost of Goods Purchased",
      IsActive: true,
      LastModifiedDate: "2026-11-01T08:00:00.000Z",
    });
    const departments = await api("GET", "/v1/enterprisecodes?groupName=Department");
    expect(departments.json.Items.map((c: { CodeValue: string }) => c.CodeValue)).toEqual([
      "100",
      "210",
      "220",
      "230",
    ]);
    const locations = await api("GET", "/v1/enterprisecodes?groupName=Location");
    expect(locations.json.Items.map((c: { CodeValue: string }) => c.CodeValue)).toEqual([
      "N1",
      "C1",
      "S1",
    ]);
  });

  it("upserts by (GroupName, CodeValue); a deactivated code then fails invoice validation", async () => {
    const sandbox = await startSandbox();
    const api = await client(sandbox);
    const res = await api("POST", "/v1/enterprisecodes", {
      body: {
        EnterpriseCodes: [
          {
            GroupName: "Accounting Codes",
            CodeValue: "6100",
            Description: "Office Supplies",
            IsActive: false,
          },
          {
            GroupName: "Department",
            CodeValue: "240",
            Description: "Warehouse West",
            IsActive: true,
          },
          { GroupName: "Department" },
        ],
      },
    });
    expect(res.json.Results.map((r: { Successful: boolean }) => r.Successful)).toEqual([
      true,
      true,
      false,
    ]);
    expect(res.json.Results[2].Errors).toEqual([{ Message: "CodeValue is required" }]);
    await api("POST", "/v1/vendors", { body: { Vendors: [vendor("0000001")] } });
    const inv = await api("POST", "/v1/invoices", {
      body: {
        Invoices: [
          {
            ExternalInvoiceId: "E-1",
            InvoiceNumber: "1",
            VendorExternalCode: "0000001",
            Amount: 10,
            Lines: [
              {
                Amount: 10,
                GLCode: { CodeValue: "6100" },
                Dimensions: [{ GroupName: "Department", CodeValue: "240" }],
              },
            ],
          },
        ],
      },
    });
    expect(inv.json.Results[0].Errors).toEqual([{ Message: "GL code 6100 is not active" }]);
  });
});

describe("purchase orders", () => {
  it("upserts by ExternalCode and needs a known vendor", async () => {
    const sandbox = await startSandbox();
    const api = await client(sandbox);
    await api("POST", "/v1/vendors", { body: { Vendors: [vendor("0000001")] } });
    const po = {
      ExternalCode: "000419",
      OrderNumber: "000419",
      VendorExternalCode: "0000001",
      TotalAmount: 1250.5,
      LineItems: [
        {
          ExternalCode: "1",
          Item: { ProductCode: "CAP-100", ProductDesc: "Capacitor", Quantity: 10, UOM: "EA" },
          Amount: 1250.5,
          PricePer: 125.05,
        },
      ],
    };
    const res = await api("POST", "/v1/purchaseorders", {
      body: {
        PurchaseOrders: [po, { ...po, ExternalCode: "000420", VendorExternalCode: "0000077" }],
      },
    });
    expect(res.json.Results[0]).toMatchObject({
      Successful: true,
      Item: { PurchaseOrderId: 70001, ExternalCode: "000419", TotalAmount: 1250.5 },
    });
    expect(res.json.Results[1].Errors).toEqual([{ Message: "Vendor 0000077 not found" }]);
    await api("POST", "/v1/purchaseorders", {
      body: { PurchaseOrders: [{ ...po, TotalAmount: 99 }] },
    });
    const listed = await api("GET", "/v1/purchaseorders?externalCodes=000419");
    expect(listed.json.Items).toHaveLength(1);
    expect(listed.json.Items[0]).toMatchObject({
      PurchaseOrderId: 70001,
      TotalAmount: 99,
      LineItems: po.LineItems,
    });
  });
});

describe("accounting systems", () => {
  it("lists {ID, Name}", async () => {
    const sandbox = await startSandbox();
    const api = await client(sandbox);
    const res = await api("GET", "/v1/accountingSystems");
    expect(res.json.Items).toEqual([
      { ID: 1, Name: "SYSPRO" },
      { ID: 2, Name: "AvidSuite Import" },
    ]);
  });
});
