import { describe, expect, it } from "vitest";

import { createGlAccountIndex } from "../../../src/sync/mapping/catalogs.js";
import { validateRemittance } from "../../../src/sync/payments/validate-remittance.js";
import { GEN_MASTER, glAccounts, payment, sentInvoice } from "../fixtures.js";

import type { Payment, PostingSettings, SentInvoice } from "../../../src/sync/domain.js";

const APSTPM: PostingSettings = { method: "APSTPM", postingStatus: "Funds Received", bank: "FB" };
const JOURNAL: PostingSettings = {
  method: "GENTJL",
  postingStatus: "Funds Received",
  apControlGlCode: "2100",
  bankGlCode: "1015",
};

function validate(
  p: Payment,
  invoices: SentInvoice[] = [sentInvoice()],
  posting = APSTPM,
  gl = glAccounts,
) {
  return validateRemittance({ payment: p, sentInvoices: invoices, glAccounts: gl, posting });
}

function reasons(result: ReturnType<typeof validateRemittance>) {
  return result.ok ? [] : result.exceptions.map((e) => e.reason);
}

const line = payment().remittance[0]!;

describe("remittance validation", () => {
  it("accepts a payment of an invoice we sent, within its open balance", () => {
    const result = validate(payment());
    expect(result.ok).toBe(true);
    expect(result.ok && result.applications).toEqual([
      { invoice: sentInvoice(), grossCents: 115000n, discountCents: 0n, netCents: 115000n },
    ]);
  });

  it("refuses a payment above the invoice's open balance", () => {
    expect(reasons(validate(payment(), [sentInvoice({ openBalance: "1000.00" })]))).toEqual([
      "PAYMENT_ABOVE_OPEN_BALANCE",
    ]);
  });

  it("sums several lines for one invoice before comparing with the open balance", () => {
    const p = payment({
      amount: "1200.00",
      remittance: [
        { ...line, grossAmount: "600.00", amount: "600.00" },
        { ...line, grossAmount: "600.00", amount: "600.00" },
      ],
    });
    expect(reasons(validate(p))).toEqual(["PAYMENT_ABOVE_OPEN_BALANCE"]);
  });

  it("refuses another currency", () => {
    expect(reasons(validate(payment({ currency: "CAD" })))).toEqual(["CURRENCY_MISMATCH"]);
  });

  it("refuses an invoice we never sent", () => {
    const p = payment({ remittance: [{ ...line, externalInvoiceId: "ERP-c1-0000001-INV-404" }] });
    expect(reasons(validate(p))).toEqual(["UNKNOWN_INVOICE"]);
  });

  it("refuses an invoice of another supplier", () => {
    expect(reasons(validate(payment(), [sentInvoice({ supplier: "0000002" })]))).toEqual([
      "SUPPLIER_MISMATCH",
    ]);
  });

  it("refuses remittance lines that do not add up to the payment", () => {
    expect(reasons(validate(payment({ amount: "1200.00" })))).toEqual(["SPLIT_MISMATCH"]);
    expect(reasons(validate(payment({ remittance: [] })))).toEqual(["SPLIT_MISMATCH"]);
  });

  it("refuses when an invoice's GL account is gone or on hold", () => {
    const held = createGlAccountIndex(
      GEN_MASTER.map((a) => (a.code === "6200-220" ? { ...a, onHold: true } : a)),
    );
    expect(reasons(validate(payment(), [sentInvoice()], APSTPM, held))).toEqual(["GL_INVALID"]);
  });

  it("checks the posting's own accounts in journal mode", () => {
    expect(validate(payment(), [sentInvoice()], JOURNAL).ok).toBe(true);
    expect(
      reasons(validate(payment(), [sentInvoice()], { ...JOURNAL, bankGlCode: "9999" })),
    ).toEqual(["GL_INVALID"]);
    const { bankGlCode: _unset, ...noBank } = JOURNAL;
    expect(reasons(validate(payment(), [sentInvoice()], noBank))).toEqual([
      "CONFIGURATION_MISSING",
    ]);
    const discounted = payment({
      amount: "1127.00",
      remittance: [{ ...line, discountAmount: "23.00", amount: "1127.00" }],
    });
    expect(reasons(validate(discounted, [sentInvoice()], JOURNAL))).toEqual([
      "CONFIGURATION_MISSING",
    ]);
    expect(reasons(validate(payment(), [sentInvoice()], { ...APSTPM, bank: "" }))).toEqual([
      "CONFIGURATION_MISSING",
    ]);
  });

  it("refuses inconsistent or malformed line amounts", () => {
    const p = payment({ remittance: [{ ...line, discountAmount: "10.00" }] });
    expect(reasons(validate(p))).toEqual(["INVALID_AMOUNT"]);
    expect(reasons(validate(payment({ amount: "abc" })))).toEqual(["INVALID_AMOUNT"]);
  });

  it("posts NOTHING when any one line is invalid, and reports every bad line", () => {
    const second = sentInvoice({
      externalInvoiceId: "ERP-c1-0000001-INV-1002",
      avidInvoiceId: "90002",
      invoiceNumber: "INV-1002",
      openBalance: "50.00",
    });
    const p = payment({
      amount: "1250.00",
      remittance: [
        line,
        {
          ...line,
          externalInvoiceId: second.externalInvoiceId,
          invoiceNumber: "INV-1002",
          grossAmount: "100.00",
          amount: "100.00",
        },
      ],
    });
    const result = validate(p, [sentInvoice(), second]);
    expect(result.ok).toBe(false);
    expect(reasons(result)).toEqual(["PAYMENT_ABOVE_OPEN_BALANCE"]);
    expect(!result.ok && result.exceptions[0]?.details).toMatchObject({ invoice: "INV-1002" });
  });

  it("finds the invoice by AvidXchange id, then by payee + number, but never across suppliers", () => {
    const { externalInvoiceId: _external, ...lineWithoutExternalId } = line;
    const byId = payment({ remittance: [lineWithoutExternalId] });
    expect(validate(byId).ok).toBe(true);
    const byNumber = payment({
      remittance: [
        {
          invoiceNumber: "INV-1001",
          grossAmount: "1150.00",
          discountAmount: "0",
          amount: "1150.00",
        },
      ],
    });
    expect(validate(byNumber).ok).toBe(true);
    expect(reasons(validate(byNumber, [sentInvoice({ supplier: "0000002" })]))).toEqual([
      "UNKNOWN_INVOICE",
    ]);
  });
});
