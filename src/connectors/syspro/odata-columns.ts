/**
 * Column specs of the OData tables the connector reads (contract §3.4) and the edge conversion of
 * their JSON values: money and quantities to decimal strings, date-times to days, char pads trimmed.
 */
import { Decimal } from "decimal.js";

import { SysproMalformedResponseError } from "./errors.js";
import type { ODataRow } from "./odata-client.js";
import type {
  ApInvoice,
  ApInvoicePay,
  ApJnlDistrib,
  ApJnlSummary,
  ApSupplier,
  GenMaster,
  PorMasterDetail,
  PorMasterHdr,
  TblApTerms,
} from "./types.js";

export type Kind = "text" | "money" | "decimal" | "date" | "int" | "key-int";
export type Spec<T> = { readonly [K in keyof T]-?: Kind };

const text = "text" as const;
const decimal = "decimal" as const;
const money = "money" as const;
const date = "date" as const;

export const AP_SUPPLIER: Spec<ApSupplier> = {
  Supplier: text,
  SupplierName: text,
  SupShortName: text,
  Currency: text,
  TermsCode: text,
  Branch: text,
  Bank: text,
  OnHold: text,
  SupplierClass: text,
  SupplierType: text,
  MerchGlCode: text,
  FreightGlCode: text,
  Email: text,
  Telephone: text,
  Contact: text,
  SupAddr1: text,
  SupAddr2: text,
  SupAddr3: text,
  SupAddr4: text,
  SupAddr5: text,
  SupPostalCode: text,
  DateSuppAdded: date,
  TaxRegnNum: text,
  PayByEft: text,
};
export const AP_INVOICE: Spec<ApInvoice> = {
  Supplier: text,
  Invoice: text,
  InvoiceDate: date,
  DueDate: date,
  DiscountDate: date,
  JournalDate: date,
  Journal: "int",
  EntryNumber: "int",
  InvoiceYear: "int",
  InvoiceMonth: "int",
  Branch: text,
  Reference: text,
  OrigInvValue: money,
  OrigDiscValue: money,
  MthInvBal1: money,
  InvoiceStatus: text,
  Currency: text,
  Bank: text,
  PaymGrossValue: money,
  ConvRate: decimal,
  MulDiv: text,
};
export const AP_JNL_SUMMARY: Spec<ApJnlSummary> = {
  Supplier: text,
  Invoice: text,
  TrnYear: "key-int",
  TrnMonth: "key-int",
  Journal: "key-int",
  EntryNumber: "key-int",
  TransactionCode: text,
  InvoiceValue: money,
};
export const AP_JNL_DISTRIB: Spec<ApJnlDistrib> = {
  TrnYear: "key-int",
  TrnMonth: "key-int",
  Journal: "key-int",
  EntryNumber: "key-int",
  ExpenseGlCode: text,
  DistrValue: money,
};
export const AP_INVOICE_PAY: Spec<ApInvoicePay> = {
  Supplier: text,
  Invoice: text,
  PaymentReference: text,
  PostValue: money,
};
export const POR_MASTER_HDR: Spec<PorMasterHdr> = {
  PurchaseOrder: text,
  Supplier: text,
  OrderEntryDate: date,
  OrderDueDate: date,
  OrderStatus: text,
  CancelledFlag: text,
  DatePoCompleted: date,
  Buyer: text,
  DeliveryAddr1: text,
};
export const POR_MASTER_DETAIL: Spec<PorMasterDetail> = {
  PurchaseOrder: text,
  Line: "key-int",
  MStockCode: text,
  MStockDes: text,
  MSupCatalogue: text,
  MOrderQty: decimal,
  MReceivedQty: decimal,
  MPrice: decimal,
  MForeignPrice: decimal,
  MGlCode: text,
  MCompleteFlag: text,
  MLatestDueDate: date,
  MOrderUom: text,
  MWarehouse: text,
  MSalesOrder: text,
  MSalesOrderLine: "int",
};
export const GEN_MASTER: Spec<GenMaster> = {
  Company: text,
  GlCode: text,
  Description: text,
  AccountType: text,
  ReportIndex1: text,
  ReportIndex2: text,
  ExpenseType: text,
  GlGroup: text,
  ControlAccFlag: text,
  AccOnHldFlag: text,
  TaxCode: text,
};
export const TBL_AP_TERMS: Spec<TblApTerms> = { TermsCode: text, Description: text };

function bad(raw: unknown, where: string): SysproMalformedResponseError {
  return new SysproMalformedResponseError(
    "unexpected_shape",
    `${where}: unexpected value ${JSON.stringify(raw)?.slice(0, 40)}`,
  );
}

/** Plain decimal text with at most two places: the common money case, padded without a Decimal. */
const CENTS = /^-?\d+(\.\d{1,2})?$/;
const PLAIN = /^-?\d+(\.\d+)?$/;

function convert(kind: Kind, raw: unknown, where: string): unknown {
  if (raw === null || raw === undefined) {
    if (kind === "key-int") {
      throw bad(raw, where);
    }
    return kind === "text" ? "" : kind === "decimal" ? "0" : kind === "money" ? "0.00" : null;
  }
  switch (kind) {
    case "text":
      if (typeof raw === "string") {
        return raw.trimEnd();
      }
      if (typeof raw === "number" || typeof raw === "boolean") {
        return String(raw);
      }
      throw bad(raw, where);
    case "decimal":
    case "money": {
      if (typeof raw === "number" && Number.isFinite(raw)) {
        // Plain notation is already the exact decimal text; only exponent forms need a Decimal.
        const s = String(raw);
        if (kind === "money" && CENTS.test(s)) {
          const dot = s.indexOf(".");
          return dot < 0 ? `${s}.00` : s.length - dot === 2 ? `${s}0` : s;
        }
        if (PLAIN.test(s)) {
          return s;
        }
      }
      let d: Decimal;
      if (typeof raw === "number" && Number.isFinite(raw)) {
        d = new Decimal(String(raw));
      } else if (typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw.trim())) {
        d = new Decimal(raw.trim());
      } else {
        throw bad(raw, where);
      }
      // Money reads as cents ("0.00", "16422.50"); more places are kept, never rounded away.
      return kind === "money" && d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
    }
    case "date": {
      const m = typeof raw === "string" ? /^(\d{4}-\d{2}-\d{2})/.exec(raw) : null;
      if (!m) {
        throw bad(raw, where);
      }
      return m[1];
    }
    case "int":
    case "key-int": {
      const n = typeof raw === "string" && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof n !== "number" || !Number.isSafeInteger(n)) {
        throw bad(raw, where);
      }
      return n;
    }
  }
}

export function mapper<T>(entitySet: string, spec: Spec<T>): (row: ODataRow) => T {
  const entries: [string, Kind][] = Object.entries(spec);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [name, kind] of entries) {
      out[name] = convert(kind, row[name], `${entitySet}.${name}`);
    }
    return out as T;
  };
}
