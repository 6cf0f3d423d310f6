/**
 * Typed OData readers for the tables contract §7 uses. Each converts at the edge: JSON numbers for
 * money become decimal strings (JSON.parse has already made them doubles; `String(n)` is the
 * shortest round-trip form, exact for amounts under 15 significant digits), date-times become
 * `YYYY-MM-DD` (SYSPRO dates are days), char columns lose their trailing pad.
 *
 * Streams (`apInvoices`, `porMasterHdrs`, …) are async iterables of pages; key lookups collect their
 * (small) results. Key lists are chunked so no URL grows unbounded.
 */
import { Decimal } from "decimal.js";

import { SysproMalformedResponseError } from "./errors.js";
import { type ODataClient, type ODataQuery, type ODataRow } from "./odata-client.js";
import {
  and,
  eq,
  ge,
  gt,
  ne,
  odataDate,
  odataDecimal,
  oneOf,
  or,
  type ODataFilter,
} from "./odata-filter.js";
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

type Kind = "text" | "money" | "decimal" | "date" | "int" | "key-int";
type Spec<T> = { readonly [K in keyof T]-?: Kind };

const text = "text" as const;
const decimal = "decimal" as const;
const money = "money" as const;
const date = "date" as const;

const AP_SUPPLIER: Spec<ApSupplier> = {
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
const AP_INVOICE: Spec<ApInvoice> = {
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
const AP_JNL_SUMMARY: Spec<ApJnlSummary> = {
  Supplier: text,
  Invoice: text,
  TrnYear: "key-int",
  TrnMonth: "key-int",
  Journal: "key-int",
  EntryNumber: "key-int",
  TransactionCode: text,
  InvoiceValue: money,
};
const AP_JNL_DISTRIB: Spec<ApJnlDistrib> = {
  TrnYear: "key-int",
  TrnMonth: "key-int",
  Journal: "key-int",
  EntryNumber: "key-int",
  ExpenseGlCode: text,
  DistrValue: money,
};
const AP_INVOICE_PAY: Spec<ApInvoicePay> = {
  Supplier: text,
  Invoice: text,
  PaymentReference: text,
  PostValue: money,
};
const POR_MASTER_HDR: Spec<PorMasterHdr> = {
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
const POR_MASTER_DETAIL: Spec<PorMasterDetail> = {
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
const GEN_MASTER: Spec<GenMaster> = {
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
const TBL_AP_TERMS: Spec<TblApTerms> = { TermsCode: text, Description: text };

function convert(kind: Kind, raw: unknown, where: string): unknown {
  const bad = () =>
    new SysproMalformedResponseError(
      "unexpected_shape",
      `${where}: unexpected value ${JSON.stringify(raw)?.slice(0, 40)}`,
    );
  if (raw === null || raw === undefined) {
    if (kind === "key-int") {
      throw bad();
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
      throw bad();
    case "decimal":
    case "money": {
      let d: Decimal;
      if (typeof raw === "number" && Number.isFinite(raw)) {
        d = new Decimal(String(raw));
      } else if (typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw.trim())) {
        d = new Decimal(raw.trim());
      } else {
        throw bad();
      }
      // Money reads as cents ("0.00", "16422.50"); more places are kept, never rounded away.
      return kind === "money" && d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
    }
    case "date": {
      const m = typeof raw === "string" ? /^(\d{4}-\d{2}-\d{2})/.exec(raw) : null;
      if (!m) {
        throw bad();
      }
      return m[1];
    }
    case "int":
    case "key-int": {
      const n = typeof raw === "string" && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof n !== "number" || !Number.isSafeInteger(n)) {
        throw bad();
      }
      return n;
    }
  }
}

function mapper<T>(entitySet: string, spec: Spec<T>): (row: ODataRow) => T {
  const entries: [string, Kind][] = Object.entries(spec);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [name, kind] of entries) {
      out[name] = convert(kind, row[name], `${entitySet}.${name}`);
    }
    return out as T;
  };
}

/** A typed stream of pages. */
async function* typed<T>(
  odata: ODataClient,
  entitySet: string,
  spec: Spec<T>,
  q: Omit<ODataQuery, "select">,
): AsyncGenerator<T[], void, undefined> {
  const map = mapper(entitySet, spec);
  for await (const page of odata.pages(entitySet, { ...q, select: Object.keys(spec) })) {
    yield page.map(map);
  }
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    out.push(...page);
  }
  return out;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** Keys per request in OR-lists: keeps each URL well under common 8–16 KB limits. */
const KEYS_PER_REQUEST = 25;

export interface InvoiceKey {
  Supplier: string;
  Invoice: string;
}
export interface JournalEntryKey {
  TrnYear: number;
  TrnMonth: number;
  Journal: number;
  EntryNumber: number;
}

export interface StreamOptions {
  signal?: AbortSignal;
  pageSize?: number;
}

const opts = (o: StreamOptions) => ({
  ...(o.signal ? { signal: o.signal } : {}),
  ...(o.pageSize ? { pageSize: o.pageSize } : {}),
});

export function createSysproReaders(odata: ODataClient) {
  return {
    /** All suppliers (small table: read whole each cycle). */
    apSuppliers(o: StreamOptions = {}) {
      return typed(odata, "ApSupplier", AP_SUPPLIER, { orderBy: ["Supplier"], ...opts(o) });
    },

    /**
     * Invoices by date watermark: rows with `dateColumn` ≥ `since` (inclusive, day-granular), ordered
     * by that date then the key. `openOnly` keeps `MthInvBal1 gt 0`.
     */
    apInvoices(
      o: StreamOptions & {
        since?: string;
        dateColumn?: "JournalDate" | "InvoiceDate";
        openOnly?: boolean;
        supplier?: string;
      } = {},
    ) {
      const dateColumn = o.dateColumn ?? "JournalDate";
      const filter = and(
        o.since === undefined ? undefined : ge(dateColumn, odataDate(o.since)),
        o.openOnly ? gt("MthInvBal1", odataDecimal("0")) : undefined,
        o.supplier === undefined ? undefined : eq("Supplier", o.supplier),
      );
      return typed(odata, "ApInvoice", AP_INVOICE, {
        filter,
        orderBy: [dateColumn, "Supplier", "Invoice"],
        ...opts(o),
      });
    },

    /** Specific invoices (open balance checks before a payment posting). */
    async apInvoicesByKey(
      keys: readonly InvoiceKey[],
      o: StreamOptions = {},
    ): Promise<ApInvoice[]> {
      const out: ApInvoice[] = [];
      for (const chunk of chunks(keys, KEYS_PER_REQUEST)) {
        const filter = or(
          ...chunk.map((k) => and(eq("Supplier", k.Supplier), eq("Invoice", k.Invoice))),
        );
        out.push(
          ...(await collect(
            typed(odata, "ApInvoice", AP_INVOICE, {
              filter,
              orderBy: ["Supplier", "Invoice"],
              ...opts(o),
            }),
          )),
        );
      }
      return out;
    },

    /** AP journal headers for the given invoices. */
    async apJnlSummariesFor(
      keys: readonly InvoiceKey[],
      o: StreamOptions = {},
    ): Promise<ApJnlSummary[]> {
      const out: ApJnlSummary[] = [];
      for (const chunk of chunks(keys, KEYS_PER_REQUEST)) {
        const filter = or(
          ...chunk.map((k) => and(eq("Supplier", k.Supplier), eq("Invoice", k.Invoice))),
        );
        const orderBy = ["Supplier", "Invoice", "TrnYear", "TrnMonth", "Journal", "EntryNumber"];
        out.push(
          ...(await collect(
            typed(odata, "ApJnlSummary", AP_JNL_SUMMARY, { filter, orderBy, ...opts(o) }),
          )),
        );
      }
      return out;
    },

    /** GL distribution lines of the given AP journal entries. */
    async apJnlDistribsFor(
      keys: readonly JournalEntryKey[],
      o: StreamOptions = {},
    ): Promise<ApJnlDistrib[]> {
      const out: ApJnlDistrib[] = [];
      for (const chunk of chunks(keys, KEYS_PER_REQUEST)) {
        const filter = or(
          ...chunk.map((k) =>
            and(
              eq("TrnYear", k.TrnYear),
              eq("TrnMonth", k.TrnMonth),
              eq("Journal", k.Journal),
              eq("EntryNumber", k.EntryNumber),
            ),
          ),
        );
        const orderBy = ["TrnYear", "TrnMonth", "Journal", "EntryNumber", "ExpenseGlCode"];
        out.push(
          ...(await collect(
            typed(odata, "ApJnlDistrib", AP_JNL_DISTRIB, { filter, orderBy, ...opts(o) }),
          )),
        );
      }
      return out;
    },

    /** Payments carrying our reference: the duplicate check before posting (and after ambiguity). */
    async apInvoicePaysByReference(
      reference: string,
      o: StreamOptions = {},
    ): Promise<ApInvoicePay[]> {
      const filter = eq("PaymentReference", reference);
      return collect(
        typed(odata, "ApInvoicePay", AP_INVOICE_PAY, {
          filter,
          orderBy: ["Supplier", "Invoice"],
          ...opts(o),
        }),
      );
    },

    /** Purchase orders by `OrderEntryDate` watermark; `openOnly` = not cancelled, not complete. */
    porMasterHdrs(o: StreamOptions & { since?: string; openOnly?: boolean } = {}) {
      const filter = and(
        o.since === undefined ? undefined : ge("OrderEntryDate", odataDate(o.since)),
        o.openOnly ? and(ne("CancelledFlag", "Y"), eq("DatePoCompleted", null)) : undefined,
      );
      return typed(odata, "PorMasterHdr", POR_MASTER_HDR, {
        filter,
        orderBy: ["OrderEntryDate", "PurchaseOrder"],
        ...opts(o),
      });
    },

    /** Lines of the given purchase orders. */
    async porMasterDetailsFor(
      purchaseOrders: readonly string[],
      o: StreamOptions = {},
    ): Promise<PorMasterDetail[]> {
      const out: PorMasterDetail[] = [];
      for (const chunk of chunks(purchaseOrders, KEYS_PER_REQUEST)) {
        const filter = oneOf("PurchaseOrder", chunk);
        out.push(
          ...(await collect(
            typed(odata, "PorMasterDetail", POR_MASTER_DETAIL, {
              filter,
              orderBy: ["PurchaseOrder", "Line"],
              ...opts(o),
            }),
          )),
        );
      }
      return out;
    },

    /** GL accounts of one company, minus `FORCED` and `RETAINED` (and on-hold ones if asked). */
    genMaster(company: string, o: StreamOptions & { excludeOnHold?: boolean } = {}) {
      const filter = and(
        eq("Company", company),
        ne("GlCode", "FORCED"),
        ne("GlCode", "RETAINED"),
        o.excludeOnHold ? ne("AccOnHldFlag", "Y") : undefined,
      );
      return typed(odata, "GenMaster", GEN_MASTER, {
        filter,
        orderBy: ["Company", "GlCode"],
        ...opts(o),
      });
    },

    /** AP terms codes. */
    tblApTerms(o: StreamOptions = {}) {
      return typed(odata, "TblApTerms", TBL_AP_TERMS, { orderBy: ["TermsCode"], ...opts(o) });
    },
  };
}

export type SysproReaders = ReturnType<typeof createSysproReaders>;

/** Helper for callers that want whole (small) tables: suppliers, terms, GL accounts. */
export const collectAll = collect;

export type { ODataFilter };
