import { describe, expect, it } from "vitest";

import { isBalanced, journalTotals } from "../../../src/sync/journal.js";
import {
  planPaymentPosting,
  planPaymentReversal,
} from "../../../src/sync/payments/posting-plan.js";
import { validateRemittance } from "../../../src/sync/payments/validate-remittance.js";
import { paymentReference, SYSPRO_REFERENCE_MAX } from "../../../src/sync/references.js";
import { glAccounts, payment, sentInvoice } from "../fixtures.js";

import type { Payment, PostingSettings, SentInvoice } from "../../../src/sync/domain.js";
import type { ValidRemittance } from "../../../src/sync/payments/validate-remittance.js";

const APSTPM: PostingSettings = {
  method: "APSTPM",
  postingStatus: "Funds Received",
  bank: "FB",
  apControlGlCode: "2100",
  bankGlCode: "1010",
  discountGlCode: "4900",
};
const JOURNAL: PostingSettings = { ...APSTPM, method: "GENTJL", bankGlCode: "1015" };

const second = sentInvoice({
  externalInvoiceId: "ERP-c1-0000001-INV-1002",
  avidInvoiceId: "90002",
  invoiceNumber: "INV-1002",
  openBalance: "500.00",
});

/** Two invoices, one with a 23.00 discount: gross 1150 + 500, net 1127 + 500. */
const twoInvoicePayment: Payment = payment({
  amount: "1627.00",
  remittance: [
    {
      externalInvoiceId: "ERP-c1-0000001-INV-1001",
      invoiceNumber: "INV-1001",
      grossAmount: "1150.00",
      discountAmount: "23.00",
      amount: "1127.00",
    },
    {
      externalInvoiceId: "ERP-c1-0000001-INV-1002",
      invoiceNumber: "INV-1002",
      grossAmount: "500.00",
      discountAmount: "0.00",
      amount: "500.00",
    },
  ],
});

function valid(
  p: Payment,
  posting: PostingSettings,
  invoices: SentInvoice[] = [sentInvoice(), second],
): ValidRemittance {
  const result = validateRemittance({ payment: p, sentInvoices: invoices, glAccounts, posting });
  if (!result.ok) {
    throw new Error(result.exceptions.map((e) => e.message).join("; "));
  }
  return result;
}

describe("payment posting plan", () => {
  it("is an APSTPM manual payment by default: ChequeValue = Σ(gross − discount), one line per invoice", () => {
    const posting = planPaymentPosting("c1", valid(twoInvoicePayment, APSTPM), APSTPM);
    expect(posting.plan).toEqual({
      kind: "APSTPM",
      supplier: "0000001",
      bank: "FB",
      chequeDate: "2026-01-15",
      cheque: "AVP4765360",
      chequeValue: "1627.00",
      releasedInvoices: [
        { invoice: "INV-1001", grossPayValue: "1150.00", discPayValue: "23.00" },
        { invoice: "INV-1002", grossPayValue: "500.00", discPayValue: "0.00" },
      ],
    });
    expect(posting.reference).toBe("AVP4765360");
    expect(posting.ledgerKeys).toEqual([
      { connection: "c1", avidPaymentId: "4765360", invoice: "INV-1001", kind: "payment" },
      { connection: "c1", avidPaymentId: "4765360", invoice: "INV-1002", kind: "payment" },
    ]);
  });

  it("is a balanced GENTJL journal by setting: Dr AP control (gross), Cr bank clearing (net), Cr discount", () => {
    const posting = planPaymentPosting("c1", valid(twoInvoicePayment, JOURNAL), JOURNAL);
    if (posting.plan.kind !== "GENTJL") {
      throw new Error("expected a journal");
    }
    expect(posting.plan.lines.map(({ glCode, side, amount }) => [glCode, side, amount])).toEqual([
      ["2100", "debit", "1150.00"],
      ["2100", "debit", "500.00"],
      ["1015", "credit", "1627.00"],
      ["4900", "credit", "23.00"],
    ]);
    expect(isBalanced(posting.plan.lines)).toBe(true);
    expect(posting.plan.reference).toBe("AVP4765360");
    expect(posting.plan.journalDate).toBe("2026-01-15");
  });

  it("derives the same reference every time, within SYSPRO's field length", () => {
    expect(paymentReference("4765360", "payment")).toBe(paymentReference("4765360", "payment"));
    expect(paymentReference("4765360", "reversal")).toBe("AVR4765360");
    const long = paymentReference("123456789012345678", "payment");
    expect(long.length).toBeLessThanOrEqual(SYSPRO_REFERENCE_MAX);
    expect(long).toMatch(/^AVPH/);
    expect(long).not.toBe(paymentReference("123456789012345679", "payment"));
  });
});

describe("payment reversal plan", () => {
  it("reverses a journal posting by swapping every line, referencing the original", () => {
    const original = planPaymentPosting("c1", valid(twoInvoicePayment, JOURNAL), JOURNAL);
    const reversal = planPaymentReversal({
      connection: "c1",
      avidPaymentId: "4765360",
      original,
      posting: JOURNAL,
    });
    if (!reversal.ok) {
      throw new Error(reversal.exception.message);
    }
    expect(reversal.reference).toBe("AVR4765360");
    expect(reversal.plan.notation).toContain("AVP4765360");
    expect(reversal.plan.lines.map(({ glCode, side, amount }) => [glCode, side, amount])).toEqual([
      ["2100", "credit", "1150.00"],
      ["2100", "credit", "500.00"],
      ["1015", "debit", "1627.00"],
      ["4900", "debit", "23.00"],
    ]);
    expect(reversal.followUp).toBeUndefined();
    expect(reversal.ledgerKeys.map((k) => [k.invoice, k.kind])).toEqual([
      ["INV-1001", "reversal"],
      ["INV-1002", "reversal"],
    ]);
  });

  it("reverses an APSTPM posting by journal and asks a person to void the cheque in AP", () => {
    const original = planPaymentPosting("c1", valid(twoInvoicePayment, APSTPM), APSTPM);
    const reversal = planPaymentReversal({
      connection: "c1",
      avidPaymentId: "4765360",
      original,
      posting: APSTPM,
      reversalDate: "2026-01-20",
    });
    if (!reversal.ok) {
      throw new Error(reversal.exception.message);
    }
    expect(reversal.plan.lines.map(({ glCode, side, amount }) => [glCode, side, amount])).toEqual([
      ["1010", "debit", "1627.00"],
      ["2100", "credit", "1150.00"],
      ["2100", "credit", "500.00"],
      ["4900", "debit", "23.00"],
    ]);
    const totals = journalTotals(reversal.plan.lines);
    expect(totals.debit).toBe(totals.credit);
    expect(reversal.plan.journalDate).toBe("2026-01-20");
    expect(reversal.followUp?.reason).toBe("REVERSAL_AP_REVIEW");
  });

  it("cannot reverse an APSTPM posting without the accounts to do it with", () => {
    const settings: PostingSettings = {
      method: "APSTPM",
      postingStatus: "Funds Received",
      bank: "FB",
    };
    const original = planPaymentPosting(
      "c1",
      valid(payment(), settings, [sentInvoice()]),
      settings,
    );
    const reversal = planPaymentReversal({
      connection: "c1",
      avidPaymentId: "4765360",
      original,
      posting: settings,
    });
    expect(!reversal.ok && reversal.exception.reason).toBe("CONFIGURATION_MISSING");
    expect(!reversal.ok && reversal.exception.details.settings).toEqual([
      "apControlGlCode",
      "bankGlCode",
    ]);
  });
});
