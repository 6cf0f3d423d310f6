/**
 * The sandbox's records, and how each is written on the wire. Internally money is integer cents and
 * times are epoch ms; the `render*` functions produce the PascalCase JSON of §7.6 / §9.4 / §9.5.
 */
import { iso, spaceDateTime } from "./dates.js";
import { centsToWire } from "./money.js";
import type { InvoiceStatus, PaymentMethod, PaymentStatus } from "./statuses.js";
import { INVOICE_STATUSES, PAYMENT_METHODS, PAYMENT_STATUSES } from "./statuses.js";

export interface VendorAddress {
  Line1: string;
  Line2: string;
  City: string;
  State: string;
  Country: string;
  PostalCode: string;
}

export interface Vendor {
  VendorId: number;
  ExternalVendorCode: string;
  Name: string;
  NameOnCheck: string;
  FedTaxId: string;
  Address: VendorAddress;
  Telephone1: string;
  Email: string;
  Website: string;
  Active: boolean;
  createdMs: number;
  lastModifiedMs: number;
}

export interface EnterpriseCode {
  EnterpriseCodeId: number;
  GroupName: string;
  CodeValue: string;
  Description: string;
  IsActive: boolean;
  lastModifiedMs: number;
}

export interface PurchaseOrder {
  PurchaseOrderId: number;
  ExternalCode: string;
  VendorExternalCode: string;
  /** The other fields as the client sent them (§3 PurchaseOrder). */
  fields: Record<string, unknown>;
  createdMs: number;
  lastModifiedMs: number;
}

export interface Dimension {
  GroupName: string;
  CodeValue: string;
}

export interface InvoiceLine {
  LineNumber: number;
  amountCents: number;
  Description: string;
  GLCode: string;
  Dimensions: Dimension[];
}

export interface ApprovalEntry {
  Step: number;
  Approver: string;
  Action: "Approved" | "Rejected" | "On Hold" | "Released" | "Recoded" | "Voided";
  Comment: string;
  DateTime: string;
}

export interface Invoice {
  InvoiceId: number;
  ExternalInvoiceId: string;
  InvoiceNumber: string;
  VendorExternalCode: string;
  InvoiceDate: string;
  DueDate: string;
  Currency: string;
  amountCents: number;
  taxCents: number;
  PONumber: string;
  Memo: string;
  TransactionId: string | null;
  status: InvoiceStatus;
  lines: InvoiceLine[];
  history: ApprovalEntry[];
  /** Approval steps needed and done (large invoices need two approvers). */
  stepsRequired: number;
  stepsDone: number;
  /** Set once an approver re-coded a line. */
  recoded: boolean;
  /** The payment currently settling it. */
  paymentId: number | null;
  /** Bumped whenever a pending lifecycle event for this invoice becomes stale. */
  epoch: number;
  createdMs: number;
  lastModifiedMs: number;
}

export interface RemittanceLine {
  InvoiceId: number | null;
  ExternalInvoiceId: string | null;
  InvoiceNumber: string;
  InvoiceDate: string | null;
  grossCents: number;
  discountCents: number;
  amountCents: number;
  Memo: string;
}

export interface PaymentHistoryRow {
  Id: number;
  PaymentID: number;
  PaymentProcessName: string;
  Description: string;
  Comment: string;
  InsertDateTime: string;
}

/** When a payment leaves the happy path (decided at creation, or forced by a test). */
export interface PaymentPath {
  heldAfter: PaymentStatus | null;
  errorAfter: PaymentStatus | null;
  errorReason: { Id: number; Description: string };
  voidAfter: PaymentStatus | null;
}

export interface Payment {
  PaymentId: number;
  BatchId: string;
  externalIds: string[];
  CheckNumber: string | null;
  AvidPayChecknumber: string | null;
  amountCents: number;
  Currency: string;
  PaymentDate: string;
  method: PaymentMethod;
  status: PaymentStatus;
  /** Index of the current (or last, when Held/Error) chain status. */
  chainIndex: number;
  clearedMs: number | null;
  exceptions: { Id: number; Description: string }[];
  payee: { code: string; name: string };
  remittance: RemittanceLine[];
  bankClientId: string;
  history: PaymentHistoryRow[];
  path: PaymentPath;
  heldDone: boolean;
  errorDone: boolean;
  origin: "lifecycle" | "batch" | "anomaly";
  anomaly: string | null;
  /** Bumped whenever a pending lifecycle event for this payment becomes stale. */
  epoch: number;
  createdMs: number;
  lastModifiedMs: number;
}

export interface PaymentBatch {
  BatchId: string;
  paymentIds: number[];
  /** The Results of the first POST, replayed on a re-post of the same BatchId. */
  results: unknown[];
  createdMs: number;
}

export function renderVendor(v: Vendor): Record<string, unknown> {
  return {
    VendorId: v.VendorId,
    ExternalVendorCode: v.ExternalVendorCode,
    Name: v.Name,
    NameOnCheck: v.NameOnCheck,
    FedTaxId: v.FedTaxId,
    Address: { ...v.Address },
    Telephone1: v.Telephone1,
    Email: v.Email,
    Website: v.Website,
    Active: v.Active,
    IsValid: true,
    CreatedDate: iso(v.createdMs),
    LastModifiedDate: iso(v.lastModifiedMs),
  };
}

export function renderCode(c: EnterpriseCode): Record<string, unknown> {
  return {
    EnterpriseCodeId: c.EnterpriseCodeId,
    GroupName: c.GroupName,
    CodeValue: c.CodeValue,
    Description: c.Description,
    IsActive: c.IsActive,
    LastModifiedDate: iso(c.lastModifiedMs),
  };
}

export function renderPurchaseOrder(po: PurchaseOrder): Record<string, unknown> {
  return {
    ...po.fields,
    PurchaseOrderId: po.PurchaseOrderId,
    ExternalCode: po.ExternalCode,
    VendorExternalCode: po.VendorExternalCode,
    CreatedDate: iso(po.createdMs),
    LastModifiedDate: iso(po.lastModifiedMs),
  };
}

export function invoiceStatus(status: InvoiceStatus): { Id: number; Description: string } {
  return { Id: INVOICE_STATUSES[status], Description: status };
}

export function paymentStatus(status: PaymentStatus): { Id: number; Description: string } {
  return { Id: PAYMENT_STATUSES[status], Description: status };
}

export function renderLine(line: InvoiceLine): Record<string, unknown> {
  return {
    LineNumber: line.LineNumber,
    Amount: centsToWire(line.amountCents),
    Description: line.Description,
    GLCode: { CodeValue: line.GLCode },
    Dimensions: line.Dimensions.map((d) => ({ ...d })),
  };
}

export function renderInvoice(inv: Invoice): Record<string, unknown> {
  return {
    InvoiceId: inv.InvoiceId,
    ExternalInvoiceId: inv.ExternalInvoiceId,
    InvoiceNumber: inv.InvoiceNumber,
    VendorExternalCode: inv.VendorExternalCode,
    InvoiceDate: inv.InvoiceDate,
    DueDate: inv.DueDate,
    Currency: inv.Currency,
    Amount: centsToWire(inv.amountCents),
    TaxAmount: centsToWire(inv.taxCents),
    PONumber: inv.PONumber,
    Memo: inv.Memo,
    TransactionId: inv.TransactionId,
    Status: invoiceStatus(inv.status),
    Lines: inv.lines.map(renderLine),
    ApprovalHistory: inv.history.map((h) => ({ ...h })),
    CreatedDate: iso(inv.createdMs),
    LastModifiedDate: iso(inv.lastModifiedMs),
  };
}

export function renderPayment(p: Payment): Record<string, unknown> {
  return {
    PaymentId: p.PaymentId,
    BatchId: p.BatchId,
    ExternalPaymentIds: p.externalIds.map((Value) => ({ Value })),
    CheckNumber: p.CheckNumber,
    AvidPayChecknumber: p.AvidPayChecknumber,
    Amount: centsToWire(p.amountCents),
    Currency: p.Currency,
    PaymentDate: p.PaymentDate,
    PaymentMethod: { ...PAYMENT_METHODS[p.method] },
    Status: paymentStatus(p.status),
    ClearedDate: p.clearedMs === null ? null : spaceDateTime(p.clearedMs),
    HasClearedCheckImages: p.status === "Cleared" && p.method === "check",
    BankAccount: { ClientIds: [p.bankClientId] },
    Payee: { ExternalId: { Value: p.payee.code }, Name: p.payee.name },
    Remittance: p.remittance.map((r) => ({
      InvoiceId: r.InvoiceId,
      ExternalInvoiceId: r.ExternalInvoiceId,
      InvoiceNumber: r.InvoiceNumber,
      InvoiceDate: r.InvoiceDate,
      GrossAmount: centsToWire(r.grossCents),
      DiscountAmount: centsToWire(r.discountCents),
      Amount: centsToWire(r.amountCents),
      Memo: r.Memo,
    })),
    Exceptions: p.exceptions.map((reason) => ({ ReasonCode: { ...reason } })),
    LastModifiedDate: iso(p.lastModifiedMs),
  };
}
