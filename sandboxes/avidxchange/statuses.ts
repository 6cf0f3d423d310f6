/**
 * Status vocabularies. Descriptions are the contract's strings (§3.1, §7.6, §9.4); the numeric ids are
 * our choice [I], fixed so records and tests agree (Pending Approval = 1 and Cleared = 9 as in §7.6).
 */

export const INVOICE_STATUSES = {
  Received: 1,
  "In Approval": 2,
  Approved: 3,
  "Payment Scheduled": 4,
  Paid: 5,
  Rejected: 6,
  "On Hold": 7,
  Void: 8,
} as const;
export type InvoiceStatus = keyof typeof INVOICE_STATUSES;

export const PAYMENT_STATUSES = {
  "Pending Approval": 1,
  Held: 2,
  Processing: 3,
  Error: 4,
  Void: 5,
  "Debit Requested": 6,
  "Funds Received": 7,
  "Sent to Check Printer": 8,
  Cleared: 9,
  "Issued to Supplier": 10,
  "ACH Credit Issued": 11,
  "VCC Processing": 12,
} as const;
export type PaymentStatus = keyof typeof PAYMENT_STATUSES;

export type PaymentMethod = "check" | "ach" | "vcc" | "epayment";

export const PAYMENT_METHODS: Record<PaymentMethod, { Id: number; Description: string }> = {
  check: { Id: 1, Description: "AvidPay Check" },
  ach: { Id: 2, Description: "AvidPay Direct" },
  vcc: { Id: 3, Description: "Virtual Credit Card" },
  epayment: { Id: 4, Description: "e-Payment" },
};

/** The AvidPay status chain of each method, first to last (§7.6). */
export const PAYMENT_CHAINS: Record<PaymentMethod, readonly PaymentStatus[]> = {
  check: [
    "Pending Approval",
    "Processing",
    "Debit Requested",
    "Funds Received",
    "Sent to Check Printer",
    "Issued to Supplier",
    "Cleared",
  ],
  ach: [
    "Pending Approval",
    "Processing",
    "Debit Requested",
    "Funds Received",
    "ACH Credit Issued",
    "Cleared",
  ],
  vcc: [
    "Pending Approval",
    "Processing",
    "Debit Requested",
    "Funds Received",
    "VCC Processing",
    "Cleared",
  ],
  epayment: ["Pending Approval", "Processing", "Funds Received", "Cleared"],
};

export const FINAL_PAYMENT_STATUSES: ReadonlySet<PaymentStatus> = new Set(["Cleared", "Void"]);

/** `Exceptions[].ReasonCode` values seen in the wild (§2.4). */
export const PAYMENT_EXCEPTION_REASONS = [
  { Id: 4, Description: "Missing bank account" },
  { Id: 5, Description: "Testing bank account" },
  { Id: 6, Description: "Inactive bank account" },
  { Id: 9, Description: "New Bank Account Imported" },
] as const;

/** `DeliveryMethod` of a submitted payment batch → method. */
export const DELIVERY_METHODS: Record<string, PaymentMethod> = {
  AvidPayCheck: "check",
  AvidPayDirect: "ach",
  VirtualCreditCard: "vcc",
  ePayment: "epayment",
};
