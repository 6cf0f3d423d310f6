// Small builders for the pure sync tests: one realistic connection (GL codes `NNNN-CCC`: natural
// account and cost centre) and records with defaults a test overrides field by field.
import { createAvidCodeCatalog, createGlAccountIndex } from "../../src/sync/mapping/catalogs.js";
import { createGlMappingResolver } from "../../src/sync/mapping/resolve.js";

import type {
  AvidCode,
  ExactGlMapping,
  GlAccount,
  GlMapping,
  Invoice,
  Payment,
  SegmentGlRule,
  SentInvoice,
  Supplier,
} from "../../src/sync/domain.js";

export const AVID_CODES: AvidCode[] = [
  { group: "Accounting Codes", value: "6100", active: true },
  { group: "Accounting Codes", value: "6200", active: true },
  { group: "Accounting Codes", value: "6300", active: false },
  { group: "Accounting Codes", value: "7000", active: true },
  { group: "Department", value: "OPS", active: true },
  { group: "Department", value: "FIN", active: true },
  { group: "Department", value: "OLD", active: false },
  { group: "Location", value: "CHI", active: true },
];

export const GEN_MASTER: GlAccount[] = [
  { code: "6100-210", accountType: "E", onHold: false },
  { code: "6100-220", accountType: "E", onHold: false },
  { code: "6200-210", accountType: "E", onHold: false },
  { code: "6200-220", accountType: "E", onHold: false },
  { code: "6300-210", accountType: "E", onHold: false },
  { code: "6400-210", accountType: "E", onHold: true },
  { code: "7000", accountType: "E", onHold: false },
  { code: "2100", accountType: "L", onHold: false },
  { code: "1010", accountType: "A", onHold: false },
  { code: "1015", accountType: "A", onHold: false },
  { code: "4900", accountType: "R", onHold: false },
  { code: "FORCED", accountType: "A", onHold: false },
];

/** Segment 1 → GL account as is; segment 2 (cost centre) → Department through a value table. */
export const SEGMENT_RULES: SegmentGlRule[] = [
  { kind: "segment", id: "r-gl", separator: "-", segment: 1, target: { kind: "glAccount" } },
  {
    kind: "segment",
    id: "r-dept",
    separator: "-",
    segment: 2,
    target: { kind: "dimension", group: "Department" },
    values: { "210": "OPS", "220": "FIN", "230": "OLD" },
  },
];

export const EXACT_7000: ExactGlMapping = {
  kind: "exact",
  id: "x-7000",
  sysproGlCode: "7000",
  avidGlCode: "7000",
  dimensions: [{ group: "Location", value: "CHI" }],
};

export function resolverWith(mappings: GlMapping[] = [...SEGMENT_RULES, EXACT_7000]) {
  return createGlMappingResolver({ mappings, avidCodes: createAvidCodeCatalog(AVID_CODES) });
}

export const glAccounts = createGlAccountIndex(GEN_MASTER);

export function supplier(overrides: Partial<Supplier> = {}): Supplier {
  return {
    code: "0000001",
    name: "Bicycles Unlimited",
    currency: "$",
    onHold: false,
    email: "ap@bicycles.example",
    telephone: "416-555-9865",
    address: { line1: "P O Box 3469", city: "Richmond", state: "Ontario", country: "Canada" },
    ...overrides,
  };
}

export function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    supplier: "0000001",
    invoiceNumber: "INV-1001",
    invoiceDate: "2026-01-10",
    dueDate: "2026-02-09",
    currency: "USD",
    amount: "1150.00",
    taxAmount: "150.00",
    openBalance: "1150.00",
    lines: [
      { lineNumber: 1, glCode: "6100-210", amount: "600.00" },
      { lineNumber: 2, glCode: "6200-220", amount: "400.00" },
    ],
    ...overrides,
  };
}

export function sentInvoice(overrides: Partial<SentInvoice> = {}): SentInvoice {
  return {
    externalInvoiceId: "ERP-c1-0000001-INV-1001",
    avidInvoiceId: "90001",
    supplier: "0000001",
    invoiceNumber: "INV-1001",
    currency: "USD",
    openBalance: "1150.00",
    glCodes: ["6100-210", "6200-220"],
    ...overrides,
  };
}

export function payment(overrides: Partial<Payment> = {}): Payment {
  return {
    paymentId: "4765360",
    status: "Funds Received",
    method: "AvidPay Check",
    currency: "USD",
    amount: "1150.00",
    paymentDate: "2026-01-15",
    payeeExternalId: "0000001",
    lastModified: "2026-01-15T10:00:00Z",
    remittance: [
      {
        invoiceId: "90001",
        externalInvoiceId: "ERP-c1-0000001-INV-1001",
        invoiceNumber: "INV-1001",
        grossAmount: "1150.00",
        discountAmount: "0.00",
        amount: "1150.00",
      },
    ],
    ...overrides,
  };
}
