/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import { client, DAY, HOUR, invoice, startSandbox, vendor } from "./helpers.js";

async function withPayments(count = 2) {
  const sandbox = await startSandbox({
    lifecycle: {
      probabilities: {
        reject: 0,
        hold: 0,
        recode: 0,
        paymentHeld: 0,
        paymentError: 0,
        paymentVoid: 0,
      },
      // Every approval is in by 17:45, so the 20:00 run pays all invoices in one batch.
      timings: { paymentRunOffsetMs: 20 * HOUR },
    },
  });
  const api = await client(sandbox);
  const vendors = Array.from({ length: count }, (_, i) => vendor(`000000${i + 1}`));
  await api("POST", "/v1/vendors", { body: { Vendors: vendors } });
  await api("POST", "/v1/invoices", {
    body: { Invoices: vendors.map((v, i) => invoice(`E-${i + 1}`, String(v.ExternalVendorCode))) },
  });
  sandbox.control.advance(DAY);
  return { sandbox, api };
}

describe("GET /v1/payments filters", () => {
  it("needs a filter, and a lastModified window at most 31 days apart (dates inclusive)", async () => {
    const { api } = await withPayments();
    const none = await api("GET", "/v1/payments");
    expect(none.status).toBe(400);
    expect(none.json.exception).toMatchObject({
      reason: "ValidationFailed",
      detail:
        "At least one filter is required: lastModifiedFrom/lastModifiedTo, paymentIds, externalPaymentIds or batchId",
      source: "payments",
    });
    const ok = await api(
      "GET",
      "/v1/payments?lastModifiedFrom=2026-11-01&lastModifiedTo=2026-12-02",
    );
    expect(ok.status).toBe(200);
    expect(ok.json.Items).toHaveLength(2);
    const wide = await api(
      "GET",
      "/v1/payments?lastModifiedFrom=2026-11-01&lastModifiedTo=2026-12-03",
    );
    expect(wide.status).toBe(400);
    expect(wide.json.exception.detail).toBe(
      "lastModifiedFrom and lastModifiedTo must be at most 31 days apart",
    );
    const wideTimes = await api(
      "GET",
      "/v1/payments?lastModifiedFrom=2026-11-01T00:00:00Z&lastModifiedTo=2026-12-02T00:00:01Z",
    );
    expect(wideTimes.status).toBe(400);
    const toOnly = await api("GET", "/v1/payments?lastModifiedTo=2026-11-03");
    expect(toOnly.json.exception.detail).toBe(
      "lastModifiedFrom is required when lastModifiedTo is given",
    );
    const backwards = await api(
      "GET",
      "/v1/payments?lastModifiedFrom=2026-11-03&lastModifiedTo=2026-11-01",
    );
    expect(backwards.status).toBe(400);
  });

  it("filters by paymentIds, externalPaymentIds and batchId", async () => {
    const { api } = await withPayments();
    const [a, b] = (await api("GET", "/v1/payments?lastModifiedFrom=2026-11-01")).json.Items;
    expect(a.BatchId).toBe(b.BatchId);
    expect(a.BatchId).toMatch(/^AVP-1 11\/02\/2026 20\.00\.00 000$/);
    const ids = async (query: string) =>
      (await api("GET", `/v1/payments?${query}`)).json.Items.map(
        (p: { PaymentId: number }) => p.PaymentId,
      );
    expect(await ids(`paymentIds=${b.PaymentId}`)).toEqual([b.PaymentId]);
    expect(await ids(`externalPaymentIds=${a.ExternalPaymentIds[0].Value}`)).toEqual([a.PaymentId]);
    expect(await ids(`batchId=${encodeURIComponent(a.BatchId)}`)).toEqual([
      a.PaymentId,
      b.PaymentId,
    ]);
    expect(await ids("lastModifiedFrom=2026-11-01&lastModifiedTo=2026-11-01")).toEqual([]);
  });
});

describe("DELETE /v1/payments (void)", () => {
  it("voids an open payment and refuses a Void or Cleared one inside HTTP 200", async () => {
    const { sandbox, api } = await withPayments();
    const [a, b] = (await api("GET", "/v1/payments?lastModifiedFrom=2026-11-01")).json.Items;
    const extA = a.ExternalPaymentIds[0].Value as string;
    const voided = await api("DELETE", `/v1/payments?externalPaymentIds=${extA}`);
    expect(voided.status).toBe(200);
    expect(voided.json.Results).toEqual([
      {
        Successful: true,
        Errors: [],
        Item: expect.objectContaining({
          PaymentId: a.PaymentId,
          Status: { Id: 5, Description: "Void" },
        }),
      },
    ]);
    const invoiceA = (await api("GET", "/v1/invoices?externalInvoiceIds=E-1")).json.Items[0];
    expect(invoiceA.Status.Description).toBe("Approved");

    const again = await api("DELETE", `/v1/payments?externalPaymentIds=${extA}`);
    expect(again.status).toBe(200);
    expect(again.json.Results[0]).toMatchObject({
      Successful: false,
      Errors: [{ Message: "Payment cannot be voided in status Void" }],
    });
    sandbox.control.advance(12 * DAY);
    const cleared = await api(
      "DELETE",
      `/v1/payments?externalPaymentIds=${b.ExternalPaymentIds[0].Value},NOPE`,
    );
    expect(
      cleared.json.Results.map((r: { Errors: { Message: string }[] }) => r.Errors[0]?.Message),
    ).toEqual(["Payment cannot be voided in status Cleared", "Payment NOPE not found"]);
    sandbox.control.setVariants({ voidRefusal: "409" });
    const conflict = await api(
      "DELETE",
      `/v1/payments?externalPaymentIds=${b.ExternalPaymentIds[0].Value}`,
    );
    expect(conflict.status).toBe(409);
    expect(conflict.json.exception).toMatchObject({
      reason: "InvalidPaymentState",
      detail: "Payment cannot be voided in status Cleared",
      source: "payments",
    });
    const missing = await api("DELETE", "/v1/payments");
    expect(missing.status).toBe(400);
    expect(missing.json.exception.detail).toBe("externalPaymentIds is required");
  });

  it("voids from the controls too, appending history and bumping LastModifiedDate", async () => {
    const { sandbox, api } = await withPayments(1);
    const [p] = (await api("GET", "/v1/payments?lastModifiedFrom=2026-11-01")).json.Items;
    sandbox.control.advance(HOUR);
    const voided = sandbox.control.voidPayment(p.PaymentId);
    expect(voided.Status).toEqual({ Id: 5, Description: "Void" });
    expect(Date.parse(String(voided.LastModifiedDate))).toBeGreaterThan(
      Date.parse(p.LastModifiedDate),
    );
    const history = (await api("GET", `/v1/payments/${p.PaymentId}/paymenthistory`)).json;
    expect(history.at(-1)).toMatchObject({
      PaymentProcessName: "Payment Void",
      Description: "Void",
    });
    expect(() => sandbox.control.voidPayment(p.PaymentId)).toThrow(
      "Payment cannot be voided in status Void",
    );
  });
});

describe("payment batches", () => {
  const payment = (ext: string, overrides: Record<string, unknown> = {}) => ({
    ExternalId: { Value: ext },
    Payer: {
      Name: "Meridian",
      Address: { Line1: "1 Finance Way" },
      BankAccount: { ClientId: "1000-OPER" },
    },
    Payee: {
      ExternalId: { Value: "0000001" },
      Name: "Vendor 0000001",
      Address: { Line1: "1 Main St" },
    },
    CheckNumber: "20045",
    PaymentDate: "2026-11-02",
    Amount: 1250.0,
    DeliveryMethod: "AvidPayCheck",
    Remittance: [
      {
        InvoiceNumber: "INV-E-1",
        InvoiceDate: "2026-10-20",
        GrossAmount: 1250,
        DiscountAmount: 0,
        Amount: 1250,
      },
    ],
    ...overrides,
  });

  it("creates payments with per-item validation, replays a re-posted BatchId, and reports batch status", async () => {
    const { sandbox, api } = await withPayments(1);
    const body = {
      BatchId: { Value: "SYS-42 11/02/2026 10.00.00 000" },
      Payments: [
        payment("SYS-1"),
        payment("SYS-2", { Amount: 1000 }),
        payment("SYS-3", { Payee: { ExternalId: { Value: "V100" }, Address: {} } }),
        payment("SYS-1"),
      ],
    };
    const res = await api("POST", "/v1/payments/batches", { body });
    expect(res.status).toBe(200);
    expect(res.json.Results[0]).toMatchObject({
      Successful: true,
      Item: {
        ExternalPaymentIds: [{ Value: "SYS-1" }],
        Status: { Id: 1, Description: "Pending Approval" },
      },
    });
    expect(
      res.json.Results.slice(1).map((r: { Errors: { Message: string }[] }) =>
        r.Errors.map((e) => e.Message),
      ),
    ).toEqual([
      ["Remittance total 1250.00 does not equal Amount 1000.00"],
      ["Vendor V100 not found"],
      ["Duplicate external payment id"],
    ]);
    const replay = await api("POST", "/v1/payments/batches", { body });
    expect(replay.json).toEqual(res.json);
    expect(sandbox.control.snapshot().payments.filter((p) => p.Origin === "batch")).toHaveLength(1);

    const status = async () =>
      (
        await api(
          "GET",
          `/v1/payments/batches?batchIds=${encodeURIComponent(body.BatchId.Value)},UNKNOWN`,
        )
      ).json.Items;
    expect(await status()).toEqual([
      {
        ExternalIdentifier: { Value: body.BatchId.Value },
        Status: { Id: 3, Description: "Processing with Exceptions" },
        TotalAmount: 1250,
        PaymentCount: 1,
      },
    ]);
    sandbox.control.advance(14 * DAY);
    expect((await status())[0].Status.Description).toBe("Closed");
    const [created] = (await api("GET", "/v1/payments?externalPaymentIds=SYS-1")).json.Items;
    expect(created).toMatchObject({
      CheckNumber: "20045",
      Status: { Description: "Cleared" },
      Remittance: [{ InvoiceNumber: "INV-E-1", ExternalInvoiceId: "E-1" }],
    });
  });

  it("refuses a batch read without batchIds and an empty Payments array", async () => {
    const { api } = await withPayments(1);
    const read = await api("GET", "/v1/payments/batches");
    expect(read.status).toBe(400);
    expect(read.json.exception.detail).toBe("batchIds is required");
    const empty = await api("POST", "/v1/payments/batches", {
      body: { BatchId: { Value: "B" }, Payments: [] },
    });
    expect(empty.status).toBe(400);
    expect(empty.json.exception.detail).toBe("Payments must contain at least one item");
  });
});
