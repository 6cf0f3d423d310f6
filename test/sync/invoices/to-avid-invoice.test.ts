import { describe, expect, it } from "vitest";

import {
  externalInvoiceId,
  EXTERNAL_INVOICE_ID_MAX,
} from "../../../src/sync/invoices/external-invoice-id.js";
import { toAvidInvoice } from "../../../src/sync/invoices/to-avid-invoice.js";
import { invoice, resolverWith } from "../fixtures.js";

const TX = "01KFAKE0000000000000000000";

function convert(overrides: Parameters<typeof invoice>[0] = {}, vendorSynced = true) {
  return toAvidInvoice({
    connection: "c1",
    invoice: invoice(overrides),
    vendorSynced,
    resolver: resolverWith(),
    transactionId: TX,
  });
}

describe("SYSPRO invoice → AvidXchange invoice", () => {
  it("maps every line and carries our idempotency key and transaction id", () => {
    const result = convert({ poNumber: "000419", amount: "1150", taxAmount: "150.0" });
    expect(result).toEqual({
      ok: true,
      invoice: {
        externalInvoiceId: "ERP-c1-0000001-INV-1001",
        invoiceNumber: "INV-1001",
        vendorExternalCode: "0000001",
        invoiceDate: "2026-01-10",
        dueDate: "2026-02-09",
        currency: "USD",
        amount: "1150.00",
        taxAmount: "150.00",
        poNumber: "000419",
        transactionId: TX,
        lines: [
          {
            lineNumber: 1,
            amount: "600.00",
            glCode: "6100",
            dimensions: [{ group: "Department", value: "OPS" }],
            sysproGlCode: "6100-210",
          },
          {
            lineNumber: 2,
            amount: "400.00",
            glCode: "6200",
            dimensions: [{ group: "Department", value: "FIN" }],
            sysproGlCode: "6200-220",
          },
        ],
      },
    });
  });

  it("is one UNMAPPED_GL exception naming every unmapped code, and nothing is sent", () => {
    const result = convert({
      lines: [
        { lineNumber: 1, glCode: "6100-999", amount: "300.00" },
        { lineNumber: 2, glCode: "6100-210", amount: "300.00" },
        { lineNumber: 3, glCode: "8888", amount: "200.00" },
        { lineNumber: 4, glCode: "6100-999", amount: "200.00" },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    expect(result.exceptions.map((e) => e.reason)).toEqual(["UNMAPPED_GL"]);
    const [unmapped] = result.exceptions;
    expect(unmapped?.details.glCodes).toEqual(["6100-999", "8888"]);
    expect(unmapped?.message).toContain("6100-999, 8888");
    expect(unmapped?.details.lines).toEqual([
      expect.objectContaining({ glCode: "6100-999", lineNumbers: [1, 4] }),
      expect.objectContaining({ glCode: "8888", lineNumbers: [3] }),
    ]);
  });

  it("keeps other mapping reasons apart (inactive target)", () => {
    const result = convert({
      lines: [
        { lineNumber: 1, glCode: "6300-210", amount: "600.00" },
        { lineNumber: 2, glCode: "6200-220", amount: "400.00" },
      ],
    });
    expect(!result.ok && result.exceptions.map((e) => e.reason)).toEqual(["INACTIVE_TARGET"]);
  });

  it("checks lines = amount − tax in cents", () => {
    const result = convert({ taxAmount: "150.01" });
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    expect(result.exceptions).toHaveLength(1);
    expect(result.exceptions[0]).toMatchObject({
      reason: "AMOUNT_MISMATCH",
      details: { linesTotal: "1000.00", amountLessTax: "999.99" },
    });
  });

  it("does not let float error pass or fail a sum (0.1 + 0.2 = 0.3)", () => {
    const result = convert({
      amount: "0.30",
      taxAmount: "0",
      lines: [
        { lineNumber: 1, glCode: "6100-210", amount: "0.1" },
        { lineNumber: 2, glCode: "6100-210", amount: "0.2" },
      ],
    });
    expect(result.ok).toBe(true);
  });

  it("refuses a sub-cent or malformed amount instead of rounding it", () => {
    const result = convert({ amount: "1150.004" });
    expect(!result.ok && result.exceptions.map((e) => e.reason)).toEqual(["INVALID_AMOUNT"]);
  });

  it("needs the supplier's vendor first, and reports all reasons at once", () => {
    const result = convert({ lines: [{ lineNumber: 1, glCode: "9999", amount: "1" }] }, false);
    expect(!result.ok && result.exceptions.map((e) => e.reason)).toEqual([
      "SUPPLIER_NOT_SYNCED",
      "UNMAPPED_GL",
      "AMOUNT_MISMATCH",
    ]);
  });

  it("holds an invoice without GL distribution", () => {
    const result = convert({ lines: [] });
    expect(!result.ok && result.exceptions.map((e) => e.reason)).toEqual(["NO_GL_DISTRIBUTION"]);
  });
});

describe("ExternalInvoiceId", () => {
  it("is deterministic and readable for ordinary codes", () => {
    expect(externalInvoiceId("c1", "0000001", "INV-1001")).toBe("ERP-c1-0000001-INV-1001");
    expect(externalInvoiceId("c1", "0000001", "INV-1001")).toBe(
      externalInvoiceId("c1", "0000001", "INV-1001"),
    );
  });

  it("cannot collide when supplier codes contain dashes", () => {
    const a = externalInvoiceId("c1", "A-B", "C");
    const b = externalInvoiceId("c1", "A", "B-C");
    expect(a).not.toBe(b);
    expect(a).toBe("ERP-c1-A%2DB-C");
  });

  it("escapes spaces and percent signs in invoice numbers", () => {
    expect(externalInvoiceId("c1", "S1", "INV 1")).toBe("ERP-c1-S1-INV%201");
    expect(externalInvoiceId("c1", "S1", "INV%201")).not.toBe(
      externalInvoiceId("c1", "S1", "INV 1"),
    );
  });

  it("stays within the length limit, deterministically and distinctly", () => {
    const connection = "6f1c2a9e-4b7d-4c1e-9a51-0c2d3e4f5a6b";
    const a = externalInvoiceId(connection, "SUPPLIER000001", "INVOICE-NUMBER-0000000001");
    const b = externalInvoiceId(connection, "SUPPLIER000001", "INVOICE-NUMBER-0000000002");
    expect(a.length).toBeLessThanOrEqual(EXTERNAL_INVOICE_ID_MAX);
    expect(a).toBe(externalInvoiceId(connection, "SUPPLIER000001", "INVOICE-NUMBER-0000000001"));
    expect(a).not.toBe(b);
    expect(a.startsWith("ERP-6f1c2a9e")).toBe(true);
  });
});
