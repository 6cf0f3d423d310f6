/**
 * The reference customer's shapes. SYSPRO rows use SYSPRO's column names (ApSupplier, GenMaster, …) and
 * AvidXchange seeds use AvidXchange's field names, so each sandbox can serve them as they are.
 * Amounts are 2-decimal strings computed in integer cents; dates are 'YYYY-MM-DD'.
 */
import type { InvoiceIndex, PurchaseOrderIndex } from "./lookup.js";

export type { InvoiceIndex, PurchaseOrderIndex } from "./lookup.js";

/** Sizes and seed of a generated customer. */
export interface ReferenceCustomerOptions {
  /** PRNG seed; default 42. */
  seed?: number;
  /** Number of ApSupplier rows; default 200. */
  suppliers?: number;
  /** Number of ApInvoice rows (a month's worth by default); default 8000, up to 1_000_000. */
  invoices?: number;
  /** Number of PorMasterHdr rows; default 1500. */
  purchaseOrders?: number;
  /** 'YYYY-MM-DD', the first journal date; default '2026-10-01'. */
  startDate?: string;
  /** Invoices are spread over this many days from `startDate`; default 30. */
  days?: number;
}

/** A cost centre: the second segment of a GL code ('6100-210'). */
export interface CostCentre {
  code: string;
  name: string;
}

/** A natural account: the first segment of a GL code. */
export interface NaturalAccount {
  account: string;
  description: string;
  /** SYSPRO GenMaster AccountType: Asset, Liability, Capital, Revenue, Expense. */
  accountType: "A" | "L" | "C" | "R" | "E";
  /** True for the accounts AP invoices are distributed to (the ones AvidXchange codes lines with). */
  expense: boolean;
}

/** A SYSPRO GenMaster row. */
export interface GlCodeRow {
  Company: string;
  GlCode: string;
  Description: string;
  AccountType: string;
  ReportIndex1: string;
  ReportIndex2: string;
  ExpenseType: string;
  GlGroup: string;
  ControlAccFlag: "Y" | "N";
  AccOnHldFlag: "Y" | "N";
  TaxCode: string;
}

/** A SYSPRO TblApTerms row, with the number of days to the due date. */
export interface ApTermsRow {
  TermsCode: string;
  Description: string;
  DueDays: number;
}

/** A SYSPRO ApSupplier row. */
export interface SupplierRow {
  Supplier: string;
  SupplierName: string;
  SupShortName: string;
  Currency: string;
  TermsCode: string;
  Branch: string;
  Bank: string;
  OnHold: "Y" | "N";
  SupplierClass: string;
  SupplierType: "P" | "T";
  MerchGlCode: string;
  FreightGlCode: string;
  Email: string;
  Telephone: string;
  Contact: string;
  SupAddr1: string;
  SupAddr2: string;
  SupAddr3: string;
  SupAddr4: string;
  SupAddr5: string;
  SupPostalCode: string;
  DateSuppAdded: string;
  TaxRegnNum: string;
  PayByEft: "Y" | "N";
}

/** A vendor that exists in AvidXchange only (AvidXchange's vendor fields). */
export interface AvidVendorSeed {
  ExternalVendorCode: string;
  Name: string;
  NameOnCheck: string;
  FedTaxId: string;
  Address: {
    Line1: string;
    Line2: string;
    City: string;
    State: string;
    Country: string;
    PostalCode: string;
  };
  Telephone1: string;
  Email: string;
  Website: string;
  Active: boolean;
}

/** One GL line of an AP invoice (ApJnlDistrib). */
export interface InvoiceDistribution {
  ExpenseGlCode: string;
  DistrValue: string;
}

/** One AP invoice as SYSPRO holds it (ApInvoice + its ApJnlSummary key + ApJnlDistrib lines). */
export interface InvoiceSeed {
  Supplier: string;
  /** The supplier's invoice number; unique per supplier. */
  Invoice: string;
  InvoiceDate: string;
  JournalDate: string;
  DueDate: string;
  TermsCode: string;
  Currency: string;
  OrigInvValue: string;
  TaxValue: string;
  /** Open balance: OrigInvValue, or '0.00' for the ≈10% already paid. */
  MthInvBal1: string;
  TrnYear: number;
  TrnMonth: number;
  Journal: number;
  EntryNumber: number;
  /** '' when the invoice has no purchase order (≈40%). */
  PurchaseOrder: string;
  /** 1–4 lines summing exactly to OrigInvValue − TaxValue. */
  distribution: InvoiceDistribution[];
}

/** A SYSPRO PorMasterHdr row. */
export interface PurchaseOrderHeader {
  PurchaseOrder: string;
  Supplier: string;
  OrderEntryDate: string;
  OrderDueDate: string;
  /** '0','1','4' open; '9' complete; '*' cancelled. */
  OrderStatus: "0" | "1" | "4" | "9" | "*";
  CancelledFlag: "Y" | "N";
  /** '' while the order is not complete. */
  DatePoCompleted: string;
  Buyer: string;
  Warehouse: string;
}

/** A SYSPRO PorMasterDetail row. */
export interface PurchaseOrderLine {
  PurchaseOrder: string;
  Line: number;
  MStockCode: string;
  MStockDes: string;
  MOrderQty: string;
  MReceivedQty: string;
  MPrice: string;
  MGlCode: string;
  MWarehouse: string;
}

/** A purchase order: header plus detail lines. */
export interface PurchaseOrderSeed extends PurchaseOrderHeader {
  lines: PurchaseOrderLine[];
}

/** The generated customer; see `createReferenceCustomer`. */
export interface ReferenceCustomer {
  /** The options after defaults were applied. */
  options: Required<ReferenceCustomerOptions>;
  company: { id: string; name: string; currency: string };
  costCentres: CostCentre[];
  warehouses: { code: string; name: string; costCentre: string }[];
  naturalAccounts: NaturalAccount[];
  genMaster: GlCodeRow[];
  apTerms: ApTermsRow[];
  avidAccountingCodes: { CodeValue: string; Description: string; IsActive: boolean }[];
  avidDimensions: {
    GroupName: "Department" | "Location";
    CodeValue: string;
    Description: string;
    IsActive: boolean;
  }[];
  suppliers: SupplierRow[];
  avidOnlyVendors: AvidVendorSeed[];
  /** Invoice `i` in [0, invoices), computed from (seed, i) alone. */
  invoice(i: number): InvoiceSeed;
  /** Purchase order `i` in [0, purchaseOrders), computed from (seed, i) alone. */
  purchaseOrder(i: number): PurchaseOrderSeed;
  /** Key → index lookups for invoices (for sandboxes answering filtered queries on huge seeds). */
  invoiceIndex: InvoiceIndex;
  /** Key → index lookups for purchase orders. */
  purchaseOrderIndex: PurchaseOrderIndex;
}
