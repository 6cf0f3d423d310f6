import { Decimal } from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { guardLeaks } from "../../setup/leaks.js";
import { invoice, vendor } from "./fixtures.js";
import { all, startHarness } from "./harness.js";

import type {
  AvidConnector,
  AvidInvoice,
  AvidInvoiceInput,
  AvidPayment,
} from "../../../src/connectors/avidxchange/index.js";
import type { Harness } from "./harness.js";

// The approval → payment lifecycle as the sync engine will see it: only through the connector,
// with the sandbox clock moved forward.
guardLeaks();
const DAY = 86_400_000;
let h: Harness;
let avid: AvidConnector;
let posted: Map<string, number>;
let inputs: Record<"approve" | "recode" | "reject" | "hold" | "second", AvidInvoiceInput>;
let recodeTo: string;
const START = "2026-11-02";

const invoicesNow = async (): Promise<Map<number, AvidInvoice>> =>
  new Map(
    (await all(avid.invoices.listModified({ from: START, to: h.sandbox.control.now() }))).map(
      (i) => [i.InvoiceId, i],
    ),
  );
const ourPayments = async (): Promise<AvidPayment[]> => {
  const ids = new Set(posted.values());
  const payments = await all(
    avid.payments.listModified({ from: START, to: h.sandbox.control.now() }),
  );
  return payments.filter((p) => p.Remittance.some((r) => ids.has(r.InvoiceId ?? -1)));
};

beforeAll(async () => {
  h = await startHarness({ lifecycle: { enabled: true } });
  const control = h.sandbox.control;
  // Only what we plan happens: no random rejections, holds, re-codings or payment detours.
  control.setProbabilities({
    reject: 0,
    hold: 0,
    recode: 0,
    paymentHeld: 0,
    paymentError: 0,
    paymentVoid: 0,
  });
  avid = h.connector();
  const vendors = await avid.vendors.upsert([vendor(1), vendor(2)]);
  expect(vendors.every((v) => v.ok)).toBe(true);
  const active = (await all(avid.enterpriseCodes.glAccounts())).filter(
    (c) => c.IsActive && c.CodeValue !== "6100",
  );
  recodeTo = active[0]!.CodeValue;
  inputs = {
    approve: invoice("T000001"),
    recode: invoice("T000001"),
    reject: invoice("T000002"),
    hold: invoice("T000002"),
    second: invoice("T000001", {
      Amount: "200.00",
      TaxAmount: "0.00",
      Lines: [{ LineNumber: 1, Amount: "200.00", GLCode: { CodeValue: "6100" } }],
    }),
  };
  control.planInvoice(inputs.approve.ExternalInvoiceId, { decision: "approve" });
  control.planInvoice(inputs.second.ExternalInvoiceId, { decision: "approve" });
  control.planInvoice(inputs.recode.ExternalInvoiceId, {
    decision: "approve",
    recode: { line: 1, glCode: recodeTo, department: "210" },
  });
  control.planInvoice(inputs.reject.ExternalInvoiceId, { decision: "reject" });
  control.planInvoice(inputs.hold.ExternalInvoiceId, { decision: "hold" });
  const results = await avid.invoices.post(Object.values(inputs));
  posted = new Map(results.map((r) => [r.input.ExternalInvoiceId, r.ok ? r.item.InvoiceId : -1]));
  expect([...posted.values()].every((id) => id > 0)).toBe(true);
});
afterAll(() => h.close());

describe("lifecycle through the connector", () => {
  it("starts Received", async () => {
    const invoices = await invoicesNow();
    for (const id of posted.values()) {
      expect(invoices.get(id)?.Status.Description).toBe("Received");
    }
    expect(await ourPayments()).toEqual([]);
  });

  it("after approval time: approved, re-coded, rejected, on hold — each as the records say", async () => {
    h.sandbox.control.advance(DAY / 2);
    const invoices = await invoicesNow();
    const of = (k: keyof typeof inputs) => invoices.get(posted.get(inputs[k].ExternalInvoiceId)!)!;
    // Approved, or already picked up by the afternoon's payment run.
    expect(of("approve").Status.Description).toMatch(/^(Approved|Payment Scheduled)$/);
    expect(of("approve").ApprovalHistory.map((s) => s.Action)).toContain("Approved");
    expect(of("reject").Status.Description).toBe("Rejected");
    expect(of("hold").Status.Description).toBe("On Hold");
    const recoded = of("recode");
    expect(recoded.Status.Description).toMatch(/^(Approved|Payment Scheduled)$/);
    expect(recoded.Lines[0]).toMatchObject({
      GLCode: { CodeValue: recodeTo },
      Dimensions: [{ GroupName: "Department", CodeValue: "210" }],
    });
    // The line not re-coded keeps its coding, and the amounts stay exact.
    expect(recoded.Lines[1]).toMatchObject({ Amount: "400.05", GLCode: { CodeValue: "6100" } });
    expect(recoded.Amount).toBe("1150.10");
  });

  it("a payment run pays the approved invoices, per vendor, remittance summing to the amount", async () => {
    h.sandbox.control.advance(DAY);
    const payments = await ourPayments();
    expect(payments.length).toBeGreaterThanOrEqual(1);
    const paidIds = new Set(payments.flatMap((p) => p.Remittance.map((r) => r.InvoiceId)));
    for (const k of ["approve", "recode", "second"] as const) {
      expect(paidIds.has(posted.get(inputs[k].ExternalInvoiceId))).toBe(true);
    }
    for (const k of ["reject", "hold"] as const) {
      expect(paidIds.has(posted.get(inputs[k].ExternalInvoiceId))).toBe(false);
    }
    for (const p of payments) {
      const sum = p.Remittance.reduce((s, r) => s.plus(r.Amount), new Decimal(0));
      expect(sum.equals(p.Amount)).toBe(true);
      expect(p.Amount).toMatch(/^\d+\.\d{2}$/);
      expect(p.Payee?.ExternalId?.Value).toBe("T000001");
    }
    // Each approved invoice paid once, for its full amount, to its vendor.
    const lines = payments.flatMap((p) => p.Remittance);
    for (const k of ["approve", "recode", "second"] as const) {
      const paid = lines.filter((r) => r.InvoiceId === posted.get(inputs[k].ExternalInvoiceId));
      expect(paid).toHaveLength(1);
      expect(new Decimal(paid[0]!.Amount).equals(inputs[k].Amount)).toBe(true);
    }
    const approveId = posted.get(inputs.approve.ExternalInvoiceId);
    const invoices = await invoicesNow();
    expect(invoices.get(approveId!)?.Status.Description).toMatch(/Payment Scheduled|Paid/);
  });

  it("payments move through AvidPay's statuses to Cleared, with their history", async () => {
    const [payment] = await ourPayments();
    h.sandbox.control.advance(12 * DAY);
    const [again] = await avid.payments.byIds([payment!.PaymentId]);
    expect(again?.Status.Description).toBe("Cleared");
    expect(avid.payments.isFinal(again!)).toBe(true);
    expect(avid.payments.isFinal(payment!)).toBe(false);
    expect(again?.ClearedDate).toBeTruthy();
    const history = await avid.payments.history(payment!.PaymentId);
    const steps = history.map((e) => e.Description ?? e.PaymentProcessName);
    expect(history.length).toBeGreaterThanOrEqual(4);
    expect(steps.join(" ")).toMatch(/Funds Received/);
    const invoices = await invoicesNow();
    expect(invoices.get(posted.get(inputs.approve.ExternalInvoiceId)!)?.Status.Description).toBe(
      "Paid",
    );
  });

  it("a Cleared payment cannot be voided: a per-item failure with the reason", async () => {
    const [payment] = await ourPayments();
    const ref = payment!.ExternalPaymentIds?.[0]?.Value;
    expect(ref).toBeTruthy();
    const [result] = await avid.payments.void([ref!]);
    expect(result).toMatchObject({
      ok: false,
      index: 0,
      messages: ["Payment cannot be voided in status Cleared"],
    });
  });

  it("a payment not yet final is voided; voiding it again is a per-item failure", async () => {
    const late = invoice("T000002", {
      Amount: "75.00",
      TaxAmount: "0.00",
      Lines: [{ LineNumber: 1, Amount: "75.00", GLCode: { CodeValue: "6100" } }],
    });
    h.sandbox.control.planInvoice(late.ExternalInvoiceId, { decision: "approve" });
    const [sent] = await avid.invoices.post([late]);
    const lateId = sent?.ok ? sent.item.InvoiceId : -1;
    h.sandbox.control.advance(DAY + DAY / 2);
    const payments = await all(
      avid.payments.listModified({ from: START, to: h.sandbox.control.now() }),
    );
    const payment = payments.find((p) => p.Remittance.some((r) => r.InvoiceId === lateId));
    expect(payment?.Status.Description).not.toMatch(/^(Cleared|Void)$/);
    const ref = payment!.ExternalPaymentIds![0]!.Value;
    const [voided, again] = await avid.payments.void([ref, ref]);
    expect(voided).toMatchObject({
      ok: true,
      index: 0,
      input: ref,
      item: { Status: { Description: "Void" } },
    });
    expect(again).toMatchObject({
      ok: false,
      index: 1,
      messages: ["Payment cannot be voided in status Void"],
    });
    const [reread] = await avid.payments.byExternalIds([ref]);
    expect(reread?.Status.Description).toBe("Void");
  });

  it("a long window is split into windows of at most 31 days, none refused", async () => {
    h.sandbox.control.clearRequests();
    const from = "2026-09-01";
    const payments = await all(avid.payments.listModified({ from, to: h.sandbox.control.now() }));
    const windows = h.sandbox.control.requests({ path: "/v1/payments" });
    expect(windows.length).toBeGreaterThanOrEqual(3);
    expect(windows.every((r) => r.status === 200)).toBe(true);
    expect(windows[0]?.query["lastModifiedFrom"]).toBe("2026-09-01T00:00:00.000Z");
    // Same payments as asking only for the recent part.
    const ids = new Set(payments.map((p) => p.PaymentId));
    for (const p of await ourPayments()) {
      expect(ids.has(p.PaymentId)).toBe(true);
    }
  });
});
