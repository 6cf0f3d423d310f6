/**
 * Column lists of the SYSPRO tables the sandbox keeps, from contract §3.4 (SQL written against real
 * SYSPRO databases). Columns marked [I] are the sandbox's additions where the contract names the table
 * but not the column (or not the table: the GL journal tables GENTJL writes).
 */
import type { ColumnDef, ColumnType } from "./table.js";

function cols(spec: Record<string, ColumnType | readonly string[]>): ColumnDef[] {
  const out: ColumnDef[] = [];
  for (const [type, names] of Object.entries(spec)) {
    for (const name of names as readonly string[]) {
      out.push({ name, type: type as ColumnType });
    }
  }
  return out;
}

export interface TableSchema {
  name: string;
  columns: ColumnDef[];
  key: string[];
}

export const AP_SUPPLIER: TableSchema = {
  name: "ApSupplier",
  key: ["Supplier"],
  columns: cols({
    string: [
      "Supplier",
      "SupplierName",
      "SupShortName",
      "Currency",
      "TermsCode",
      "Branch",
      "Bank",
      "OnHold",
      "SupplierClass",
      "SupplierType",
      "MerchGlCode",
      "FreightGlCode",
      "Email",
      "Telephone",
      "Contact",
      "SupAddr1",
      "SupAddr2",
      "SupAddr3",
      "SupAddr4",
      "SupAddr5",
      "SupPostalCode",
      "TaxRegnNum",
      "PayByEft",
    ],
    date: ["DateSuppAdded"],
  }),
};

export const AP_INVOICE: TableSchema = {
  name: "ApInvoice",
  key: ["Supplier", "Invoice"],
  columns: cols({
    string: [
      "Supplier",
      "Invoice",
      "Branch",
      "Reference",
      "ManualChqNum",
      "DiscActiveFlag",
      "InvoiceStatus",
      "Currency",
      "Bank",
      "FirstTaxCode",
      "PostCurrency",
      "MulDiv",
      "AccountCur",
      "AccMulDiv",
      "TriangCurrency",
      "TriangMulDiv",
      "VatInvalid",
      "PaymentChkType",
      "ManualChRef",
      "InvoiceTakeOn",
      "FixExchangeRate",
      "TaxReverse",
      "Tax2Reverse",
      "NationalitySource",
      "NationalityDest",
      "AutoVoucherCreated",
      "AutoVoucherPrinted",
      "SecondTaxCode",
      "WithTaxCode",
      "YearInvBalZero",
      "MonthInvBalZero",
    ],
    integer: [
      "NextPaymEntry",
      "Journal",
      "InvoiceYear",
      "InvoiceMonth",
      "EntryNumber",
      "PaymentNumber",
      "NextRevalNo",
    ],
    date: [
      "JournalDate",
      "InvoiceDate",
      "DiscountDate",
      "DueDate",
      "ManualChqDate",
      "NotificationDate",
    ],
    decimal: [
      "OrigInvValue",
      "OrigDiscValue",
      "MthInvBal1",
      "MthInvBal2",
      "MthInvBal3",
      "PaymGrossValue",
      "PaymDiscValue",
      "TaxPortionDisc",
      "ExchangeRate",
      "WithTaxValue",
      "WithTaxRate",
      "CurrencyValue",
      "ConvRate",
      "AccConvRate",
      "TriangRate",
      "Tax2Value",
    ],
  }),
};

export const AP_INVOICE_PAY: TableSchema = {
  name: "ApInvoicePay",
  key: ["Supplier", "Invoice", "PaymentReference"],
  columns: cols({
    string: ["Supplier", "Invoice", "PaymentReference", "TrnType", "PostCurrency"], // TrnType, PostCurrency [I]
    decimal: ["PostValue", "TrnValue"], // TrnValue [I]
    integer: ["Journal", "EntryNumber"], // [I]
    date: ["JournalDate"], // [I]
  }),
};

export const AP_JNL_SUMMARY: TableSchema = {
  name: "ApJnlSummary",
  key: ["TrnYear", "TrnMonth", "Journal", "EntryNumber"],
  columns: cols({
    string: ["Supplier", "Invoice", "TransactionCode"],
    integer: ["TrnYear", "TrnMonth", "Journal", "EntryNumber"],
    decimal: ["InvoiceValue"],
  }),
};

export const AP_JNL_DISTRIB: TableSchema = {
  name: "ApJnlDistrib",
  key: ["TrnYear", "TrnMonth", "Journal", "EntryNumber", "ExpenseGlCode"],
  columns: cols({
    integer: ["TrnYear", "TrnMonth", "Journal", "EntryNumber"],
    decimal: ["DistrValue"],
    string: ["ExpenseGlCode"],
  }),
};

export const POR_MASTER_HDR: TableSchema = {
  name: "PorMasterHdr",
  key: ["PurchaseOrder"],
  columns: cols({
    string: [
      "PurchaseOrder",
      "Supplier",
      "OrderStatus",
      "CancelledFlag",
      "Buyer",
      "DeliveryAddr1",
      "Warehouse",
    ], // Warehouse [I]
    date: ["OrderEntryDate", "OrderDueDate", "DatePoCompleted"],
  }),
};

export const POR_MASTER_DETAIL: TableSchema = {
  name: "PorMasterDetail",
  key: ["PurchaseOrder", "Line"],
  columns: cols({
    string: [
      "PurchaseOrder",
      "MStockCode",
      "MStockDes",
      "MSupCatalogue",
      "MGlCode",
      "MCompleteFlag",
      "MOrderUom",
      "MWarehouse",
      "MSalesOrder",
    ],
    integer: ["Line", "MSalesOrderLine"],
    decimal: ["MOrderQty", "MReceivedQty", "MPrice", "MForeignPrice"],
    date: ["MLatestDueDate"],
  }),
};

export const GEN_MASTER: TableSchema = {
  name: "GenMaster",
  key: ["Company", "GlCode"],
  columns: cols({
    string: [
      "Company",
      "GlCode",
      "Description",
      "AccountType",
      "ReportIndex1",
      "ReportIndex2",
      "ExpenseType",
      "GlGroup",
      "ControlAccFlag",
      "AccOnHldFlag",
      "TaxCode",
    ],
  }),
};

export const TBL_AP_TERMS: TableSchema = {
  name: "TblApTerms",
  key: ["TermsCode"],
  columns: cols({ string: ["TermsCode", "Description"], integer: ["DueDays"] }), // DueDays [I]
};

/** [I] GL journal header written by GENTJL (SYSPRO's table name; columns chosen by the sandbox). */
export const GEN_JOURNAL_CTL: TableSchema = {
  name: "GenJournalCtl",
  key: ["GlYear", "GlPeriod", "Journal"],
  columns: cols({
    integer: ["GlYear", "GlPeriod", "Journal", "NumOfEntries"],
    date: ["JournalDate"],
    string: [
      "JournalType",
      "JnlStatus",
      "Source",
      "JournalReference",
      "Notation",
      "Operator",
      "Authorised",
    ],
    decimal: ["DebitAmount", "CreditAmount"],
  }),
};

/** [I] GL journal lines written by GENTJL. EntryValue: positive debit, negative credit. */
export const GEN_JOURNAL_DETAIL: TableSchema = {
  name: "GenJournalDetail",
  key: ["GlYear", "GlPeriod", "Journal", "EntryNumber"],
  columns: cols({
    integer: ["GlYear", "GlPeriod", "Journal", "EntryNumber"],
    string: ["GlCode", "EntryType", "Reference", "Comment"],
    decimal: ["EntryValue"],
    date: ["EntryDate"],
  }),
};

export const ALL_TABLES: readonly TableSchema[] = [
  AP_SUPPLIER,
  AP_INVOICE,
  AP_INVOICE_PAY,
  AP_JNL_SUMMARY,
  AP_JNL_DISTRIB,
  POR_MASTER_HDR,
  POR_MASTER_DETAIL,
  GEN_MASTER,
  TBL_AP_TERMS,
  GEN_JOURNAL_CTL,
  GEN_JOURNAL_DETAIL,
];
