/**
 * The query objects (contract §2.5–2.7): APSQRY supplier, PORQRY purchase order, GENQRY ledger code.
 * Query objects take one XML (`XmlIn`) and are idempotent, so the session layer may retry them.
 */
import { SysproMalformedResponseError } from "../errors.js";
import type {
  ApQueryInvoice,
  ApQueryPayment,
  ApQuerySupplier,
  LedgerQuery,
  PorDetail,
} from "../types.js";
import { code, parseSysproDate, parseSysproDecimal, validateDocument } from "../wire-values.js";
import { child, children, childText, documentXml, leaf, node, yn } from "../xml.js";
import { leafFields, optionalText, parseQueryOutput } from "./outcome.js";

/** The XML a query object sends. */
export interface QueryDocument {
  businessObject: string;
  xmlIn: string;
}

const str = (n: Parameters<typeof childText>[0], name: string) => childText(n, name) ?? "";
const dec = (n: Parameters<typeof childText>[0], name: string) =>
  parseSysproDecimal(optionalText(n, name), name);
const date = (n: Parameters<typeof childText>[0], name: string) =>
  parseSysproDate(optionalText(n, name));

// ---- APSQRY ---------------------------------------------------------------------------------------

export interface ApSupplierQueryOptions {
  includeInvoices?: boolean;
  includeInvoicePayments?: boolean;
}

export function buildApSupplierQuery(
  supplier: string,
  options: ApSupplierQueryOptions = {},
): QueryDocument {
  const s = validateDocument("APSQRY", code(15), supplier);
  const xmlIn = documentXml(
    "Query",
    "APSQRY.XSD",
    node("Key", leaf("Supplier", s)),
    node(
      "Option",
      leaf("IncludeInvoices", yn(options.includeInvoices ?? true)),
      leaf("IncludeInvoicePayments", yn(options.includeInvoicePayments)),
      leaf("IncludeCustomForms", "N"),
      leaf("IncludeDimensionAnalysis", "N"),
    ),
  );
  return { businessObject: "APSQRY", xmlIn };
}

export function parseApSupplierQuery(xml: string): ApQuerySupplier {
  const doc = parseQueryOutput("APSQRY", xml, ["ApQuery"]);
  const s = child(doc.root, "Supplier");
  if (!s) {
    throw new SysproMalformedResponseError("unexpected_shape", "ApQuery has no Supplier element");
  }
  const invoices = children(s, "InvoiceDetail").map((inv): ApQueryInvoice => ({
    Invoice: str(inv, "Invoice"),
    JournalDate: date(inv, "JournalDate"),
    Journal: str(inv, "Journal"),
    InvoiceDate: date(inv, "InvoiceDate"),
    DueDate: date(inv, "DueDate"),
    Reference: str(inv, "Reference"),
    OrigInvValue: dec(inv, "OrigInvValue"),
    MthInvBal: dec(inv, "MthInvBal"),
    InvoiceStatus: str(inv, "InvoiceStatus"),
    Currency: str(inv, "Currency"),
    Payments: children(child(inv, "Payments"), "PaymentDetail").map((p): ApQueryPayment => ({
      EntryNumber: str(p, "EntryNumber"),
      JournalDate: date(p, "JournalDate"),
      Journal: str(p, "Journal"),
      PaymentReference: str(p, "PaymentReference"),
      TrnValue: dec(p, "TrnValue"),
      TrnType: str(p, "TrnType"),
      PostValue: dec(p, "PostValue"),
      PostCurrency: str(p, "PostCurrency"),
    })),
  }));
  return {
    Supplier: str(s, "Supplier"),
    SupplierName: str(s, "SupplierName"),
    Currency: str(s, "Currency"),
    OnHold: str(s, "OnHold"),
    Bank: str(s, "Bank"),
    Branch: str(s, "Branch"),
    TermsDescription: str(s, "TBLAPT_Description"),
    Email: str(s, "Email"),
    CurrentBalance: dec(s, "CurrentBalance"),
    InvoiceDetail: invoices,
  };
}

// ---- PORQRY ---------------------------------------------------------------------------------------

export function buildPurchaseOrderQuery(purchaseOrder: string): QueryDocument {
  const po = validateDocument("PORQRY", code(20), purchaseOrder);
  const include = [
    "IncludeStockedLines",
    "IncludeNonStockedLines",
    "IncludeFreightLines",
    "IncludeMiscellaneousLines",
  ];
  const exclude = [
    "IncludeCommentLines",
    "IncludeGrns",
    "IncludeHistory",
    "IncludeLctDetails",
    "IncludeRequisitionDetails",
    "IncludeRequisitionRouting",
    "IncludeSalesOrders",
    "IncludeCustomForms",
  ];
  const xmlIn = documentXml(
    "Query",
    "PORQRY.XSD",
    node("Key", leaf("PurchaseOrder", po)),
    node(
      "Option",
      ...include.map((n) => leaf(n, "Y")),
      leaf("IncludeCompletedLines", "Y"),
      ...exclude.map((n) => leaf(n, "N")),
    ),
  );
  return { businessObject: "PORQRY", xmlIn };
}

export function parsePurchaseOrderQuery(xml: string): PorDetail {
  const doc = parseQueryOutput("PORQRY", xml, ["PorDetail"]);
  const r = doc.root;
  return {
    PurchaseOrder: str(r, "PurchaseOrder"),
    Supplier: str(r, "Supplier"),
    SupplierName: str(r, "SupplierName"),
    Currency: str(r, "Currency"),
    OrderStatus: str(r, "OrderStatus"),
    OrderStatusDescription: str(r, "OrderStatusDescription"),
    ApInvoiceTerms: str(r, "ApInvoiceTerms"),
    Warehouse: str(r, "Warehouse"),
    fields: leafFields(r),
  };
}

// ---- GENQRY ---------------------------------------------------------------------------------------

export function buildLedgerQuery(ledgerCode: string): QueryDocument {
  const gl = validateDocument("GENQRY", code(35), ledgerCode);
  const xmlIn = documentXml(
    "Query",
    "GENQRY.XSD",
    node("Key", leaf("LedgerCode", gl)),
    node(
      "Option",
      leaf("AddSeparators", "N"),
      leaf("IncludeCustomForms", "N"),
      leaf("IncludeTransactions", "N"),
      leaf("IncludeDimensionAnalysis", "N"),
    ),
  );
  return { businessObject: "GENQRY", xmlIn };
}

export function parseLedgerQuery(xml: string): LedgerQuery {
  const doc = parseQueryOutput("GENQRY", xml, ["LedgerQuery"]);
  const r = doc.root;
  return {
    // SYSPRO's sample says GlCode; some outputs echo the key as LedgerCode.
    GlCode: optionalText(r, "GlCode") ?? str(r, "LedgerCode"),
    Description: str(r, "Description"),
    Currency: str(r, "Currency"),
    AccountType: str(r, "AccountType"),
    fields: leafFields(r),
  };
}
