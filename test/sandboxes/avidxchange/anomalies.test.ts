/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import { client, DAY, invoice, startSandbox, vendor } from "./helpers.js";

async function withInvoices() {
  const sandbox = await startSandbox({ lifecycle: { enabled: false } });
  const api = await client(sandbox);
  await api("POST", "/v1/vendors", { body: { Vendors: [vendor("0000001"), vendor("0000002")] } });
  await api("POST", "/v1/invoices", {
    body: {
      Invoices: [
        invoice("E-1", "0000001"),
        invoice("E-2", "0000001", {
          Amount: 575,
          TaxAmount: 75,
          Lines: [{ Amount: 500, GLCode: { CodeValue: "6100" } }],
        }),
        invoice("E-3", "0000002", { Currency: "EUR" }),
      ],
    },
  });
  return { sandbox, api };
}

type Remit = {
  InvoiceId: number | null;
  ExternalInvoiceId: string | null;
  Amount: number;
  GrossAmount: number;
};

describe("anomaly injection", () => {
  it("pays more than the invoice", async () => {
    const { sandbox, api } = await withInvoices();
    const p = sandbox.control.injectAnomaly({
      kind: "overpayment",
      externalInvoiceIds: ["E-1"],
      amount: "25.50",
    });
    expect(p).toMatchObject({
      Amount: 1175.5,
      Currency: "USD",
      Status: { Description: "Funds Received" },
    });
    expect(
      (p.Remittance as Remit[]).map((r) => [r.ExternalInvoiceId, r.Amount, r.GrossAmount]),
    ).toEqual([["E-1", 1175.5, 1175.5]]);
    const listed = await api("GET", `/v1/payments?paymentIds=${String(p.PaymentId)}`);
    expect(listed.json.Items[0]).toEqual(p);
    // The invoice's own state is left alone.
    expect(
      (await api("GET", "/v1/invoices?externalInvoiceIds=E-1")).json.Items[0].Status.Description,
    ).toBe("Received");
  });

  it("pays in another currency", async () => {
    const { sandbox } = await withInvoices();
    expect(
      sandbox.control.injectAnomaly({ kind: "currency", externalInvoiceIds: ["E-1"] }),
    ).toMatchObject({ Currency: "EUR", Amount: 1150 });
    expect(
      sandbox.control.injectAnomaly({ kind: "currency", externalInvoiceIds: ["E-3"] }),
    ).toMatchObject({ Currency: "CAD" });
  });

  it("pays an invoice that was never sent", async () => {
    const { sandbox } = await withInvoices();
    const p = sandbox.control.injectAnomaly({ kind: "unknown-invoice", amount: "99.99" });
    const [line] = p.Remittance as (Remit & { InvoiceNumber: string })[];
    expect(line?.ExternalInvoiceId).toBeNull();
    expect(line?.InvoiceId).not.toBeNull();
    expect(sandbox.control.snapshot().invoices.map((i) => i.InvoiceId)).not.toContain(
      line?.InvoiceId,
    );
    expect(p.Amount).toBe(99.99);
  });

  it("splits one payment wrongly across two invoices of a vendor", async () => {
    const { sandbox } = await withInvoices();
    const p = sandbox.control.injectAnomaly({ kind: "wrong-split", amount: "100.00" });
    const lines = p.Remittance as Remit[];
    expect(p.Amount).toBe(1725);
    expect(lines.reduce((sum, r) => sum + r.Amount * 100, 0)).toBe(172_500);
    expect(Object.fromEntries(lines.map((r) => [r.ExternalInvoiceId, r.Amount]))).toEqual({
      "E-2": 675,
      "E-1": 1050,
    });
    expect(() =>
      sandbox.control.injectAnomaly({ kind: "wrong-split", externalInvoiceIds: ["E-1", "E-3"] }),
    ).toThrow("A wrong-split anomaly needs two invoices of one vendor");
  });

  it("walks an anomaly payment on to Cleared and can start it elsewhere, also over HTTP", async () => {
    const sandbox = await startSandbox();
    const api = await client(sandbox);
    await api("POST", "/v1/vendors", { body: { Vendors: [vendor("0000001")] } });
    await api("POST", "/v1/invoices", { body: { Invoices: [invoice("E-1", "0000001")] } });
    const res = await fetch(`${sandbox.gatewayUrl}/__sandbox/anomalies`, {
      method: "POST",
      body: JSON.stringify({
        kind: "overpayment",
        externalInvoiceIds: ["E-1"],
        atStatus: "Pending Approval",
      }),
    });
    const p = (await res.json()) as { PaymentId: number; Status: { Description: string } };
    expect(p.Status.Description).toBe("Pending Approval");
    sandbox.control.advance(14 * DAY);
    const after = sandbox.control.snapshot().payments.find((x) => x.PaymentId === p.PaymentId);
    expect(after).toMatchObject({
      Status: { Description: "Cleared" },
      Origin: "anomaly",
      Anomaly: "overpayment",
    });
  });
});
