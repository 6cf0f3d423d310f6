import type {
  AvidInvoiceInput,
  AvidVendorInput,
} from "../../../src/connectors/avidxchange/index.js";

/** Test vendors; codes the reference customer does not use, so each file starts clean. */
export const vendor = (n: number): AvidVendorInput => ({
  ExternalVendorCode: `T${String(n).padStart(6, "0")}`,
  Name: `Test Vendor ${n}`,
  Address: {
    Line1: `${n} Main St`,
    City: "Chicago",
    State: "IL",
    Country: "US",
    PostalCode: "60601",
  },
  Email: `ap${n}@vendor${n}.test`,
  Active: true,
});

let serial = 0;

/**
 * A valid invoice for `vendorCode`: Amount = lines + tax, GL 6100 (active in the reference chart),
 * Department 100.
 */
export function invoice(
  vendorCode: string,
  overrides: Partial<AvidInvoiceInput> = {},
): AvidInvoiceInput {
  serial++;
  return {
    ExternalInvoiceId: `ERP-test-${vendorCode}-INV-${serial}`,
    InvoiceNumber: `INV-${serial}`,
    VendorExternalCode: vendorCode,
    InvoiceDate: "2026-11-02",
    DueDate: "2026-12-02",
    Currency: "USD",
    Amount: "1150.10",
    TaxAmount: "150.00",
    Memo: "test invoice",
    TransactionId: `01JTEST${String(serial).padStart(6, "0")}`,
    Lines: [
      {
        LineNumber: 1,
        Amount: "600.05",
        Description: "Office supplies",
        GLCode: { CodeValue: "6100" },
        Dimensions: [{ GroupName: "Department", CodeValue: "100" }],
      },
      { LineNumber: 2, Amount: "400.05", GLCode: { CodeValue: "6100" } },
    ],
    ...overrides,
  };
}
