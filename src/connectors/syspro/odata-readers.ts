/**
 * Typed OData readers for the tables contract §7 uses. Each converts at the edge: JSON numbers for
 * money become decimal strings (JSON.parse has already made them doubles; `String(n)` is the
 * shortest round-trip form, exact for amounts under 15 significant digits), date-times become
 * `YYYY-MM-DD` (SYSPRO dates are days), char columns lose their trailing pad.
 *
 * Streams (`apInvoices`, `porMasterHdrs`, …) are async iterables of pages; key lookups collect their
 * (small) results. Key lists are chunked so no URL grows unbounded.
 */
import {
  AP_INVOICE,
  AP_INVOICE_PAY,
  AP_JNL_DISTRIB,
  AP_JNL_SUMMARY,
  AP_SUPPLIER,
  GEN_MASTER,
  mapper,
  POR_MASTER_DETAIL,
  POR_MASTER_HDR,
  TBL_AP_TERMS,
  type Spec,
} from "./odata-columns.js";
import type { ODataClient, ODataQuery } from "./odata-client.js";
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
  PorMasterDetail,
} from "./types.js";

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
