/**
 * SYSPRO wire types, named as SYSPRO names them (tables, columns, business-object elements). They
 * stay inside `connectors/syspro`; the sync code maps them to domain types.
 *
 * Conventions: money and quantities are decimal strings ("115.00"); dates are "YYYY-MM-DD" or null;
 * journal keys and years are numbers; flags and codes are the strings SYSPRO stores ("Y", "N", "4").
 */

// ---- OData tables (contract §3.4) ---------------------------------------------------------------

export interface ApSupplier {
  Supplier: string;
  SupplierName: string;
  SupShortName: string;
  Currency: string;
  TermsCode: string;
  Branch: string;
  Bank: string;
  OnHold: string;
  SupplierClass: string;
  SupplierType: string;
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
  DateSuppAdded: string | null;
  TaxRegnNum: string;
  PayByEft: string;
}

export interface ApInvoice {
  Supplier: string;
  Invoice: string;
  InvoiceDate: string | null;
  DueDate: string | null;
  DiscountDate: string | null;
  JournalDate: string | null;
  Journal: number | null;
  EntryNumber: number | null;
  InvoiceYear: number | null;
  InvoiceMonth: number | null;
  Branch: string;
  Reference: string;
  OrigInvValue: string;
  OrigDiscValue: string;
  /** The open balance; 0 when paid. */
  MthInvBal1: string;
  InvoiceStatus: string;
  Currency: string;
  Bank: string;
  PaymGrossValue: string;
  ConvRate: string;
  MulDiv: string;
}

export interface ApJnlSummary {
  Supplier: string;
  Invoice: string;
  TrnYear: number;
  TrnMonth: number;
  Journal: number;
  EntryNumber: number;
  TransactionCode: string;
  InvoiceValue: string;
}

export interface ApJnlDistrib {
  TrnYear: number;
  TrnMonth: number;
  Journal: number;
  EntryNumber: number;
  ExpenseGlCode: string;
  DistrValue: string;
}

export interface ApInvoicePay {
  Supplier: string;
  Invoice: string;
  PaymentReference: string;
  PostValue: string;
}

export interface PorMasterHdr {
  PurchaseOrder: string;
  Supplier: string;
  OrderEntryDate: string | null;
  OrderDueDate: string | null;
  OrderStatus: string;
  CancelledFlag: string;
  DatePoCompleted: string | null;
  Buyer: string;
  DeliveryAddr1: string;
}

export interface PorMasterDetail {
  PurchaseOrder: string;
  Line: number;
  MStockCode: string;
  MStockDes: string;
  MSupCatalogue: string;
  MOrderQty: string;
  MReceivedQty: string;
  MPrice: string;
  MForeignPrice: string;
  MGlCode: string;
  MCompleteFlag: string;
  MLatestDueDate: string | null;
  MOrderUom: string;
  MWarehouse: string;
  MSalesOrder: string;
  MSalesOrderLine: number | null;
}

export interface GenMaster {
  Company: string;
  GlCode: string;
  Description: string;
  AccountType: string;
  ReportIndex1: string;
  ReportIndex2: string;
  ExpenseType: string;
  GlGroup: string;
  ControlAccFlag: string;
  AccOnHldFlag: string;
  TaxCode: string;
}

export interface TblApTerms {
  TermsCode: string;
  Description: string;
}

// ---- e.net outputs ------------------------------------------------------------------------------

/** What every write returns besides its own key. */
export interface WriteOutcome {
  /** True when sent with ValidateOnly=Y: SYSPRO validated and changed nothing. */
  validateOnly: boolean;
  warnings: string[];
  /** Every counter under StatusOfItems by its SYSPRO name (ItemsProcessed, RecordsRead…). */
  counters: Record<string, number>;
}

/** APSTIN XmlOut: the AP journal key of the posted invoice. Keys absent on a dry run. */
export interface PostApInvoiceResult extends WriteOutcome {
  Supplier: string | undefined;
  Invoice: string | undefined;
  TrnYear: number | undefined;
  TrnMonth: number | undefined;
  Journal: number | undefined;
  EntryNumber: number | undefined;
  GlJournal: { GlYear: number; GlPeriod: number; GlJournal: number } | undefined;
}

/** GENTJL XmlOut. `JournalDate` converted from `yyyymmdd`. */
export interface PostGlJournalResult extends WriteOutcome {
  GlYear: number | undefined;
  GlPeriod: number | undefined;
  GlJournal: number | undefined;
  JournalDate: string | undefined;
  NumOfEntries: number | undefined;
  DebitAmount: string | undefined;
  CreditAmount: string | undefined;
}

/** APSTPM XmlOut. */
export interface PostApManualPayResult extends WriteOutcome {
  PaymentNumber: string | undefined;
  NumberOfInvoicesReleased: number | undefined;
  GrossValueReleased: string | undefined;
  NetValueReleased: string | undefined;
}

/** APSSSP XmlOut. */
export interface SetupApSupplierResult extends WriteOutcome {
  Supplier: string | undefined;
}

export interface ApQueryPayment {
  EntryNumber: string;
  JournalDate: string | undefined;
  Journal: string;
  PaymentReference: string;
  TrnValue: string | undefined;
  TrnType: string;
  PostValue: string | undefined;
  PostCurrency: string;
}

export interface ApQueryInvoice {
  Invoice: string;
  JournalDate: string | undefined;
  Journal: string;
  InvoiceDate: string | undefined;
  DueDate: string | undefined;
  Reference: string;
  OrigInvValue: string | undefined;
  MthInvBal: string | undefined;
  InvoiceStatus: string;
  Currency: string;
  Payments: ApQueryPayment[];
}

/** APSQRY XmlOut (`ApQuery/Supplier`). */
export interface ApQuerySupplier {
  Supplier: string;
  SupplierName: string;
  Currency: string;
  OnHold: string;
  Bank: string;
  Branch: string;
  TermsDescription: string;
  Email: string;
  CurrentBalance: string | undefined;
  InvoiceDetail: ApQueryInvoice[];
}

/** PORQRY XmlOut (`PorDetail`): header fields by name, plus any line elements found. */
export interface PorDetail {
  PurchaseOrder: string;
  Supplier: string;
  SupplierName: string;
  Currency: string;
  OrderStatus: string;
  OrderStatusDescription: string;
  ApInvoiceTerms: string;
  Warehouse: string;
  /** Every leaf element of the root, by its SYSPRO name (the XSD is only partly known). */
  fields: Record<string, string>;
}

/** GENQRY XmlOut (`LedgerQuery`). */
export interface LedgerQuery {
  GlCode: string;
  Description: string;
  Currency: string;
  AccountType: string;
  /** Every leaf element of the root, by its SYSPRO name. */
  fields: Record<string, string>;
}

/** GetLogonProfile: the parts the connector and diagnosis use. */
export interface LogonProfile {
  CompanyName: string | undefined;
  CompanyId: string | undefined;
  OperatorCode: string | undefined;
  SysproVersion: string | undefined;
  EnetVersion: string | undefined;
  AccountingDate: string | undefined;
  DefaultApBranch: string | undefined;
  DefaultBank: string | undefined;
  LocalCurrencyCode: string | undefined;
  /** Every leaf element by name. */
  fields: Record<string, string>;
}
