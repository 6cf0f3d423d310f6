/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import type { Client } from "./helpers.js";
import { client, HOUR, invoice, START, startSandbox, vendor } from "./helpers.js";

async function withVendor(): Promise<{
  api: Client;
  sandbox: Awaited<ReturnType<typeof startSandbox>>;
}> {
  const sandbox = await startSandbox({ lifecycle: { enabled: false } });
  const api = await client(sandbox);
  const res = await api("POST", "/v1/vendors", {
    body: { Vendors: [vendor("0000001"), vendor("0000002")] },
  });
  expect(res.status).toBe(200);
  return { api, sandbox };
}

async function postOne(api: Client, item: Record<string, unknown>) {
  const res = await api("POST", "/v1/invoices", { body: { Invoices: [item] } });
  expect(res.status).toBe(200);
  return res.json.Results[0];
}

describe("POST /v1/invoices", () => {
  it("accepts a valid invoice as Received and echoes the TransactionId", async () => {
    const { api } = await withVendor();
    const result = await postOne(api, invoice("E-1", "0000001"));
    expect(result).toEqual({
      Successful: true,
      Errors: [],
      Item: {
        InvoiceId: 90001,
        ExternalInvoiceId: "E-1",
        Status: { Id: 1, Description: "Received" },
        TransactionId: "TX-E-1",
      },
    });
    const listed = await api("GET", "/v1/invoices?externalInvoiceIds=E-1");
    expect(listed.json.Items).toHaveLength(1);
    expect(listed.json.Items[0]).toMatchObject({
      InvoiceId: 90001,
      InvoiceNumber: "INV-E-1",
      VendorExternalCode: "0000001",
      Amount: 1150,
      TaxAmount: 150,
      Currency: "USD",
      TransactionId: "TX-E-1",
      Status: { Id: 1, Description: "Received" },
      ApprovalHistory: [],
      LastModifiedDate: START,
    });
    expect(listed.json.Items[0].Lines[0]).toEqual({
      LineNumber: 1,
      Amount: 600,
      Description: "Office supplies",
      GLCode: { CodeValue: "6100" },
      Dimensions: [{ GroupName: "Department", CodeValue: "210" }],
    });
  });

  it.each([
    ["an unknown vendor", { VendorExternalCode: "0000099" }, "Vendor 0000099 not found"],
    [
      "an inactive GL code",
      { Lines: [{ LineNumber: 1, Amount: 1000, GLCode: { CodeValue: "7200" } }] },
      "GL code 7200 is not active",
    ],
    [
      "a GL code AvidXchange does not know",
      { Lines: [{ LineNumber: 1, Amount: 1000, GLCode: { CodeValue: "7250" } }] },
      "GL code 7250 not found",
    ],
    [
      "an unknown dimension value",
      {
        Lines: [
          {
            LineNumber: 1,
            Amount: 1000,
            GLCode: { CodeValue: "6100" },
            Dimensions: [{ GroupName: "Department", CodeValue: "OPS" }],
          },
        ],
      },
      "Dimension Department/OPS not found",
    ],
    [
      "lines that do not add up",
      { Lines: [{ LineNumber: 1, Amount: 990, GLCode: { CodeValue: "6100" } }] },
      "Lines total 990.00 does not equal Amount less TaxAmount 1000.00",
    ],
    ["a missing invoice number", { InvoiceNumber: "" }, "InvoiceNumber is required"],
    [
      "an amount with three decimals",
      { Amount: 1150.005 },
      "Amount must have at most 2 decimal places",
    ],
  ])(
    "refuses %s inside HTTP 200 with the contract's message",
    async (_name, overrides, message) => {
      const { api, sandbox } = await withVendor();
      const result = await postOne(api, invoice("E-bad", "0000001", overrides));
      expect(result.Successful).toBe(false);
      expect(result.Errors).toEqual([{ Message: message }]);
      expect(result.Item).toBeNull();
      expect(sandbox.control.snapshot().invoices).toHaveLength(0);
    },
  );

  it("refuses a second invoice number for the same vendor under another ExternalInvoiceId", async () => {
    const { api } = await withVendor();
    const res = await api("POST", "/v1/invoices", {
      body: {
        Invoices: [
          invoice("E-1", "0000001", { InvoiceNumber: "INV-1001" }),
          invoice("E-2", "0000001", { InvoiceNumber: "INV-1001" }),
          invoice("E-3", "0000002", { InvoiceNumber: "INV-1001" }),
        ],
      },
    });
    expect(res.json.Results.map((r: { Successful: boolean }) => r.Successful)).toEqual([
      true,
      false,
      true,
    ]);
    expect(res.json.Results[1].Errors).toEqual([
      { Message: "Duplicate invoice INV-1001 for vendor 0000001" },
    ]);
  });

  it("reports every problem of one item, and judges each item on its own", async () => {
    const { api } = await withVendor();
    const res = await api("POST", "/v1/invoices", {
      body: {
        Invoices: [
          invoice("E-1", "0000009", {
            Lines: [
              {
                LineNumber: 1,
                Amount: 500,
                GLCode: { CodeValue: "7200" },
                Dimensions: [{ GroupName: "Location", CodeValue: "X9" }],
              },
            ],
          }),
          invoice("E-2", "0000001"),
        ],
      },
    });
    expect(res.json.Results[0].Errors.map((e: { Message: string }) => e.Message)).toEqual([
      "Vendor 0000009 not found",
      "GL code 7200 is not active",
      "Dimension Location/X9 not found",
      "Lines total 500.00 does not equal Amount less TaxAmount 1000.00",
    ]);
    expect(res.json.Results[1].Successful).toBe(true);
  });

  it("is idempotent on ExternalInvoiceId: same InvoiceId, nothing changed", async () => {
    const { api, sandbox } = await withVendor();
    const first = await postOne(api, invoice("E-1", "0000001"));
    sandbox.control.advance(HOUR);
    const before = sandbox.control.snapshot().invoices;
    const again = await postOne(
      api,
      invoice("E-1", "0000001", { Amount: 99, TransactionId: "TX-retry" }),
    );
    expect(again).toEqual({
      Successful: true,
      Errors: [],
      Item: { ...first.Item, TransactionId: "TX-retry" },
    });
    expect(sandbox.control.snapshot().invoices).toEqual(before);
  });

  it("answers 400 for an empty or missing Invoices array, a batch too large, or malformed JSON", async () => {
    const { api } = await withVendor();
    const empty = await api("POST", "/v1/invoices", { body: { Invoices: [] } });
    expect(empty.status).toBe(400);
    expect(empty.json).toEqual({
      exception: {
        avidMessageId: expect.any(String),
        reason: "ValidationFailed",
        detail: "Invoices must contain at least one item",
        source: "invoices",
      },
    });
    expect((await api("POST", "/v1/invoices", { body: {} })).status).toBe(400);
    const many = Array.from({ length: 101 }, (_, i) => invoice(`E-${i}`, "0000001"));
    const tooMany = await api("POST", "/v1/invoices", { body: { Invoices: many } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.exception.detail).toBe("Invoices may contain at most 100 items, got 101");
    const malformed = await api("POST", "/v1/invoices", { body: '{"Invoices": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.exception.reason).toBe("MalformedRequest");
  });
});

describe("GET /v1/invoices", () => {
  it("filters by external ids, invoice ids and an inclusive lastModified window", async () => {
    const { api, sandbox } = await withVendor();
    await postOne(api, invoice("E-1", "0000001"));
    sandbox.control.advance(24 * HOUR);
    await postOne(api, invoice("E-2", "0000001"));
    const ids = async (query: string) =>
      (await api("GET", `/v1/invoices?${query}`)).json.Items.map(
        (i: { ExternalInvoiceId: string }) => i.ExternalInvoiceId,
      );
    expect(await ids("externalInvoiceIds=E-2,E-1")).toEqual(["E-1", "E-2"]);
    expect(await ids("invoiceIds=90002")).toEqual(["E-2"]);
    expect(await ids("lastModifiedFrom=2026-11-02&lastModifiedTo=2026-11-02")).toEqual(["E-1"]);
    expect(await ids("lastModifiedFrom=2026-11-03")).toEqual(["E-2"]);
    expect(
      await ids("lastModifiedFrom=2026-11-02T08:00:00Z&lastModifiedTo=2026-11-03T08:00:00Z"),
    ).toEqual(["E-1", "E-2"]);
    expect(await ids("lastModifiedFrom=2026-11-02T08:00:00.001Z")).toEqual(["E-2"]);
    const bad = await api("GET", "/v1/invoices?invoiceIds=abc");
    expect(bad.status).toBe(400);
    expect(
      (await api("GET", "/v1/invoices?lastModifiedFrom=yesterday")).json.exception.detail,
    ).toBe("lastModifiedFrom is not a valid date: yesterday");
  });
});
