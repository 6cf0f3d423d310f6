/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import type { AvidSandboxOptions } from "../../../sandboxes/avidxchange/index.js";
import type { Client } from "./helpers.js";
import { client, DAY, HOUR, invoice, START, startSandbox, token, vendor } from "./helpers.js";

const NOTHING_GOES_WRONG = {
  reject: 0,
  hold: 0,
  recode: 0,
  paymentHeld: 0,
  paymentError: 0,
  paymentVoid: 0,
};

/** Approvals finish within a day of 08:00; the first payment run is at 20:00, after all of them. */
async function setup(options: AvidSandboxOptions = {}) {
  const sandbox = await startSandbox({
    ...options,
    lifecycle: {
      probabilities: NOTHING_GOES_WRONG,
      timings: { paymentRunOffsetMs: 20 * HOUR },
      ...options.lifecycle,
    },
  });
  const api = await client(sandbox);
  await api("POST", "/v1/vendors", { body: { Vendors: [vendor("0000001"), vendor("0000002")] } });
  return { sandbox, api };
}

async function post(api: Client, ...invoices: Record<string, unknown>[]) {
  const res = await api("POST", "/v1/invoices", { body: { Invoices: invoices } });
  expect(res.json.Results.every((r: { Successful: boolean }) => r.Successful)).toBe(true);
}

async function invoices(api: Client) {
  return (await api("GET", "/v1/invoices?lastModifiedFrom=2026-10-01")).json.Items as {
    ExternalInvoiceId: string;
    Status: { Description: string };
    Lines: {
      GLCode: { CodeValue: string };
      Dimensions: { GroupName: string; CodeValue: string }[];
    }[];
    ApprovalHistory: { Step: number; Approver: string; Action: string; Comment: string }[];
    LastModifiedDate: string;
  }[];
}

async function payments(api: Client) {
  return (await api("GET", "/v1/payments?lastModifiedFrom=2026-11-01&lastModifiedTo=2026-12-01"))
    .json.Items as {
    PaymentId: number;
    Amount: number;
    Status: { Description: string };
    ExternalPaymentIds: { Value: string }[];
    Remittance: {
      InvoiceId: number;
      ExternalInvoiceId: string;
      InvoiceNumber: string;
      Amount: number;
    }[];
    Payee: { ExternalId: { Value: string } };
    ClearedDate: string | null;
    LastModifiedDate: string;
    Exceptions: { ReasonCode: { Id: number; Description: string } }[];
  }[];
}

const statuses = async (api: Client) =>
  Object.fromEntries((await invoices(api)).map((i) => [i.ExternalInvoiceId, i.Status.Description]));

describe("invoice approval and payment lifecycle", () => {
  it("moves invoices Received → In Approval → Approved → Payment Scheduled → Paid, paying per vendor", async () => {
    const { sandbox, api } = await setup();
    await post(
      api,
      invoice("E-1", "0000001"),
      invoice("E-2", "0000001", {
        Amount: 575,
        TaxAmount: 75,
        Lines: [{ Amount: 500, GLCode: { CodeValue: "6100" } }],
      }),
      invoice("E-3", "0000002"),
    );
    expect(await statuses(api)).toEqual({
      "E-1": "Received",
      "E-2": "Received",
      "E-3": "Received",
    });
    sandbox.control.advance(HOUR);
    expect(await statuses(api)).toEqual({
      "E-1": "In Approval",
      "E-2": "In Approval",
      "E-3": "In Approval",
    });
    sandbox.control.advance(10 * HOUR);
    expect(await statuses(api)).toEqual({
      "E-1": "Approved",
      "E-2": "Approved",
      "E-3": "Approved",
    });
    const approved = await invoices(api);
    expect(approved[0]?.ApprovalHistory).toEqual([
      {
        Step: 1,
        Approver: expect.any(String),
        Action: "Approved",
        Comment: "",
        DateTime: expect.any(String),
      },
    ]);

    sandbox.control.advance(HOUR); // 20:00, the payment run
    expect(await statuses(api)).toEqual({
      "E-1": "Payment Scheduled",
      "E-2": "Payment Scheduled",
      "E-3": "Payment Scheduled",
    });
    const scheduled = await payments(api);
    expect(scheduled).toHaveLength(2);
    const [first, second] = scheduled;
    expect(first).toMatchObject({
      Amount: 1725,
      Status: { Description: "Pending Approval" },
      Payee: { ExternalId: { Value: "0000001" } },
      ClearedDate: null,
    });
    expect(first?.Remittance.map((r) => [r.ExternalInvoiceId, r.InvoiceNumber, r.Amount])).toEqual([
      ["E-1", "INV-E-1", 1150],
      ["E-2", "INV-E-2", 575],
    ]);
    expect(second?.Remittance.map((r) => r.InvoiceId)).toEqual([90003]);

    sandbox.control.advance(10 * DAY);
    expect(await statuses(api)).toEqual({ "E-1": "Paid", "E-2": "Paid", "E-3": "Paid" });
    const cleared = await payments(api);
    expect(cleared.map((p) => p.Status.Description)).toEqual(["Cleared", "Cleared"]);
    expect(cleared[0]?.ClearedDate).toMatch(/^2026-11-\d\d \d\d:\d\d:\d\d$/);
    expect(Date.parse(cleared[0]!.LastModifiedDate)).toBeGreaterThan(
      Date.parse(scheduled[0]!.LastModifiedDate),
    );
    // A window after the payment run sees only records that changed since.
    const late = await api("GET", `/v1/payments?lastModifiedFrom=${cleared[0]!.LastModifiedDate}`);
    expect(late.json.Items.map((p: { PaymentId: number }) => p.PaymentId)).toContain(
      cleared[0]!.PaymentId,
    );
  });

  it("lets an approver re-code a line (GL code and Department) before approving", async () => {
    const { sandbox, api } = await setup();
    sandbox.control.planInvoice("E-1", { recode: { line: 2, glCode: "6200", department: "230" } });
    await post(api, invoice("E-1", "0000001"));
    sandbox.control.advance(DAY);
    const [recoded] = await invoices(api);
    expect(recoded?.Lines[1]).toMatchObject({
      GLCode: { CodeValue: "6200" },
      Dimensions: [{ GroupName: "Department", CodeValue: "230" }],
    });
    expect(recoded?.Lines[0]).toMatchObject({ GLCode: { CodeValue: "6100" } });
    expect(recoded?.ApprovalHistory.map((h) => [h.Action, h.Comment])).toEqual([
      ["Recoded", "Line 2: GL code 7100 -> 6200; Department 220 -> 230"],
      ["Approved", ""],
    ]);
  });

  it("re-codes at random with the configured probability", async () => {
    const { sandbox, api } = await setup();
    sandbox.control.setProbabilities({ recode: 1 });
    await post(api, ...Array.from({ length: 6 }, (_, i) => invoice(`E-${i}`, "0000001")));
    sandbox.control.advance(DAY);
    for (const inv of await invoices(api)) {
      expect(inv.ApprovalHistory[0]?.Action).toBe("Recoded");
      const coding = inv.Lines.map((l) => `${l.GLCode.CodeValue}/${l.Dimensions[0]?.CodeValue}`);
      expect(coding).not.toEqual(["6100/210", "7100/220"]);
    }
  });

  it("rejects, holds and releases, and asks a second approver for large invoices", async () => {
    const { sandbox, api } = await setup();
    sandbox.control.planInvoice("E-R", { decision: "reject" });
    sandbox.control.planInvoice("E-H", { decision: "hold" });
    await post(
      api,
      invoice("E-R", "0000001"),
      invoice("E-H", "0000001"),
      invoice("E-BIG", "0000002", {
        Amount: 12_000,
        TaxAmount: 0,
        Lines: [{ Amount: 12_000, GLCode: { CodeValue: "6700" } }],
      }),
    );
    // 19:30: every first decision is in (by 17:45); holds last at least 12 h; the run is at 20:00.
    sandbox.control.advance(11.5 * HOUR);
    expect(await statuses(api)).toMatchObject({ "E-R": "Rejected", "E-H": "On Hold" });
    sandbox.control.advance(12 * DAY);
    expect(await statuses(api)).toEqual({ "E-R": "Rejected", "E-H": "Paid", "E-BIG": "Paid" });
    const big = (await invoices(api)).find((i) => i.ExternalInvoiceId === "E-BIG");
    expect(big?.ApprovalHistory.map((h) => [h.Step, h.Action])).toEqual([
      [1, "Approved"],
      [2, "Approved"],
    ]);
    expect(big?.ApprovalHistory[1]?.Approver).toBe("l.wong");
    const held = (await invoices(api)).find((i) => i.ExternalInvoiceId === "E-H");
    expect(held?.ApprovalHistory.map((h) => h.Action)).toEqual(["On Hold", "Released", "Approved"]);
  });

  it("voids a payment after Funds Received and pays its invoice again in the next run", async () => {
    const { sandbox, api } = await setup();
    sandbox.control.planInvoice("E-1", { payment: { outcome: "void" } });
    await post(api, invoice("E-1", "0000001"));
    sandbox.control.advance(14 * DAY);
    const all = await payments(api);
    expect(all.map((p) => p.Status.Description)).toEqual(["Void", "Cleared"]);
    expect(all.every((p) => p.Remittance[0]?.ExternalInvoiceId === "E-1")).toBe(true);
    const history = await api("GET", `/v1/payments/${all[0]!.PaymentId}/paymenthistory`);
    expect(history.json.map((h: { Description: string }) => h.Description)).toEqual([
      "Pending Approval",
      "Processing",
      "Debit Requested",
      "Funds Received",
      "Void",
    ]);
    expect(await statuses(api)).toEqual({ "E-1": "Paid" });
  });

  it("sends a payment to Error with an exception reason, then resolves it", async () => {
    const { sandbox, api } = await setup();
    sandbox.control.planInvoice("E-1", { payment: { outcome: "error", reasonId: 4 } });
    await post(api, invoice("E-1", "0000001"));
    let errored: Awaited<ReturnType<typeof payments>>[number] | undefined;
    for (let hour = 0; hour < 10 * 24 && !errored; hour++) {
      sandbox.control.advance(HOUR);
      errored = (await payments(api)).find((p) => p.Status.Description === "Error");
    }
    expect(errored?.Exceptions).toEqual([
      { ReasonCode: { Id: 4, Description: "Missing bank account" } },
    ]);
    sandbox.control.advance(14 * DAY);
    const [done] = await payments(api);
    expect(done).toMatchObject({ Status: { Description: "Cleared" }, Exceptions: [] });
  });

  it("follows the check chain to a cleared check image", async () => {
    const { sandbox, api } = await setup({
      lifecycle: { paymentMethodWeights: { check: 1, ach: 0, vcc: 0 } },
    });
    await post(api, invoice("E-1", "0000001"));
    sandbox.control.advance(13 * HOUR);
    const [pending] = await payments(api);
    expect(pending).toMatchObject({
      PaymentMethod: { Id: 1, Description: "AvidPay Check" },
      CheckNumber: "10001",
      AvidPayChecknumber: "7000001",
      HasClearedCheckImages: false,
    });
    const early = await api("GET", `/v1/payments/${pending!.PaymentId}/getclearedcheckimage`);
    expect(early.status).toBe(404);
    expect(early.json.exception).toMatchObject({
      reason: "NotFound",
      detail: `No cleared check image for payment ${pending!.PaymentId}`,
    });
    sandbox.control.advance(10 * DAY);
    const history = await api("GET", `/v1/payments/${pending!.PaymentId}/paymenthistory`);
    expect(history.json.map((h: { Description: string }) => h.Description)).toEqual([
      "Pending Approval",
      "Processing",
      "Debit Requested",
      "Funds Received",
      "Sent to Check Printer",
      "Issued to Supplier",
      "Cleared",
    ]);
    expect(Object.keys(history.json[0])).toEqual([
      "Id",
      "PaymentID",
      "PaymentProcessName",
      "Description",
      "Comment",
      "InsertDateTime",
    ]);
    const image = await fetch(
      `${sandbox.gatewayUrl}/v1/payments/${pending!.PaymentId}/getclearedcheckimage`,
      {
        headers: { authorization: `Bearer ${await token(sandbox)}`, "X-Avid-Company-Id": "10001" },
      },
    );
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(
      Buffer.from(await image.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    expect((await api("GET", "/v1/payments/999/paymenthistory")).status).toBe(404);
  });

  it("runs on an accelerated clock: one real second is N simulated seconds", async () => {
    let real = 1_000_000;
    const { sandbox, api } = await setup({ realNow: () => real, accelerate: 600 });
    await post(api, invoice("E-1", "0000001"));
    real += 6_000;
    expect(sandbox.control.now()).toBe("2026-11-02T09:00:00.000Z");
    expect(await statuses(api)).toEqual({ "E-1": "In Approval" });
    sandbox.control.accelerate(0);
    real += 60_000;
    expect(sandbox.control.now()).toBe("2026-11-02T09:00:00.000Z");
  });

  it("leaves invoices Received when the lifecycle is off", async () => {
    const { sandbox, api } = await setup({ lifecycle: { enabled: false } });
    await post(api, invoice("E-1", "0000001"));
    sandbox.control.advance(30 * DAY);
    expect(await statuses(api)).toEqual({ "E-1": "Received" });
    expect(sandbox.control.snapshot().now).not.toBe(START);
  });
});
