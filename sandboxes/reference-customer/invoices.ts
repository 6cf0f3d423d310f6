/**
 * AP invoices, computed one at a time from (seed, index) so a 1,000,000-invoice customer costs no memory.
 * Invoices are numbered in journal-date order: day d holds indexes [first(d), first(d+1)), which gives
 * each one its journal (one per day) and entry number without looking at any other invoice.
 */
import { addDays } from "./calendar.js";
import {
  AP_TERMS,
  COST_CENTRES,
  ON_HOLD_GL_CODES,
  UNMAPPED_ACCOUNTS,
  WAREHOUSES,
} from "./chart.js";
import { centsToString, splitCents } from "./money.js";
import { buildPurchaseOrder, posEnteredBefore, purchaseOrderCents } from "./purchase-orders.js";
import type { PurchaseOrderContext } from "./purchase-orders.js";
import { int, pick, rngFor } from "./prng.js";
import type { Rng } from "./prng.js";
import type { SupplierCategory } from "./suppliers.js";
import type { InvoiceDistribution, InvoiceSeed, PurchaseOrderSeed, SupplierRow } from "./types.js";

const INVOICE_STREAM = 1;
const TAX_RATE_BP = 825; // 8.25% sales tax on taxable services, in basis points

export interface InvoiceContext {
  seed: number;
  count: number;
  startDate: string;
  days: number;
  suppliers: readonly SupplierRow[];
  categories: readonly SupplierCategory[];
  /** Indexes into `suppliers` of services suppliers (who invoice without a PO). */
  servicesSuppliers: readonly number[];
  purchaseOrders: PurchaseOrderContext;
  /** Recently built orders: consecutive invoices mostly reference the same few hundred. */
  poCache: Map<number, PurchaseOrderSeed>;
}

const PO_CACHE_SIZE = 4096;

function cachedPurchaseOrder(ctx: InvoiceContext, index: number): PurchaseOrderSeed {
  let po = ctx.poCache.get(index);
  if (po === undefined) {
    po = buildPurchaseOrder(ctx.purchaseOrders, index);
    if (ctx.poCache.size >= PO_CACHE_SIZE) {
      ctx.poCache.clear();
    }
    ctx.poCache.set(index, po);
  }
  return po;
}

/** The day (offset from startDate) of invoice `index`. */
export function dayOf(index: number, count: number, days: number): number {
  return Math.floor((index * days) / count);
}

/** The first invoice index of day `day` (offset from startDate); `firstOfDay(days)` = count. */
export function firstOfDay(day: number, count: number, days: number): number {
  return Math.ceil((day * count) / days);
}

/** Log-normal amount around `medianCents`, clamped to a sensible range. */
function lognormalCents(rng: Rng, medianCents: number): number {
  const u1 = Math.max(rng(), 1e-12);
  const u2 = rng();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.min(6_000_000, Math.max(1_500, Math.round(medianCents * Math.exp(z))));
}

/** Invoice numbers of a supplier are `base + index`, so the number gives the index back. */
export function invoiceNumberBase(supplierIndex: number): number {
  return ((supplierIndex * 7919) % 90_000) + 10_000;
}

/** Invoice-number styles, by `supplierIndex % 4`. */
export const INVOICE_PREFIXES = ["INV-", "", "A", "MED-"] as const;

function invoiceNumber(supplierIndex: number, index: number): string {
  // Per-supplier styles; the invoice index keeps numbers unique within a supplier.
  const n = invoiceNumberBase(supplierIndex) + index;
  switch (supplierIndex % 4) {
    case 0:
      return `INV-${n}`;
    case 1:
      return String(n);
    case 2:
      return `A${String(n).padStart(7, "0")}`;
    default:
      return `MED-${n}`;
  }
}

function servicesLines(
  rng: Rng,
  category: SupplierCategory,
  netCents: number,
): InvoiceDistribution[] {
  const count = int(rng, 1, 4);
  const weights = Array.from({ length: count }, () => 1 + rng() * 3);
  return splitCents(netCents, weights).map((cents) => {
    const account = pick(rng, category.accounts);
    const code = `${account}-${pick(rng, COST_CENTRES).code}`;
    // Codes on hold were put on hold after the fact: the seeded history never posted to them.
    return {
      ExpenseGlCode: ON_HOLD_GL_CODES.includes(code) ? `${account}-100` : code,
      DistrValue: centsToString(cents),
    };
  });
}

/** Invoice `index`. */
export function buildInvoice(ctx: InvoiceContext, index: number): InvoiceSeed {
  const rng = rngFor(ctx.seed, INVOICE_STREAM, index);
  const day = dayOf(index, ctx.count, ctx.days);
  const journalDate = addDays(ctx.startDate, day);
  const poCount = posEnteredBefore(day, ctx.purchaseOrders.count, ctx.days);
  const withPo = poCount > 0 && rng() < 0.6;

  let supplierIndex: number;
  let purchaseOrder = "";
  let netCents: number;
  let taxCents = 0;
  let lines: InvoiceDistribution[];
  if (withPo) {
    // A recent order (the last ~45 days' worth), billed in full plus freight now and then.
    const window = Math.max(1, Math.ceil((45 * ctx.purchaseOrders.count) / (60 + ctx.days)));
    const po = cachedPurchaseOrder(
      ctx,
      poCount - 1 - Math.floor(rng() * Math.min(window, poCount)),
    );
    purchaseOrder = po.PurchaseOrder;
    supplierIndex = Number(po.Supplier) - 1;
    const goods = Math.max(100, purchaseOrderCents(po));
    const centre = WAREHOUSES.find((w) => w.code === po.Warehouse)?.costCentre ?? "100";
    const freight = rng() < 0.3 ? int(rng, 2_500, 45_000) : 0;
    netCents = goods + freight;
    lines = [{ ExpenseGlCode: `5000-${centre}`, DistrValue: centsToString(goods) }];
    if (freight > 0) {
      lines.push({ ExpenseGlCode: `5100-${centre}`, DistrValue: centsToString(freight) });
    }
  } else {
    const pool =
      ctx.servicesSuppliers.length > 0 ? ctx.servicesSuppliers : ctx.suppliers.map((_, i) => i);
    supplierIndex = pool[Math.floor(rng() ** 1.5 * pool.length)]!;
    netCents = lognormalCents(rng, 80_000);
    if (rng() < 0.5) {
      taxCents = Math.round((netCents * TAX_RATE_BP) / 10_000);
    }
    lines = servicesLines(rng, ctx.categories[supplierIndex]!, netCents);
  }
  if (rng() < 0.03) {
    // The customer's chart has accounts AvidXchange was never told about (→ UNMAPPED_GL).
    const line = lines[lines.length - 1]!;
    const centre = line.ExpenseGlCode.split("-")[1] ?? "100";
    line.ExpenseGlCode = `${UNMAPPED_ACCOUNTS[index % UNMAPPED_ACCOUNTS.length]}-${centre}`;
  }

  const supplier = ctx.suppliers[supplierIndex]!;
  const invoiceDate = addDays(journalDate, -int(rng, 0, 10));
  const terms = AP_TERMS.find((t) => t.TermsCode === supplier.TermsCode) ?? AP_TERMS[2]!;
  const orig = centsToString(netCents + taxCents);
  const [year, month, dayOfMonth] = journalDate.split("-").map(Number) as [number, number, number];
  return {
    Supplier: supplier.Supplier,
    Invoice: invoiceNumber(supplierIndex, index),
    InvoiceDate: invoiceDate,
    JournalDate: journalDate,
    DueDate: addDays(invoiceDate, terms.DueDays),
    TermsCode: terms.TermsCode,
    Currency: supplier.Currency,
    OrigInvValue: orig,
    TaxValue: centsToString(taxCents),
    MthInvBal1: rng() < 0.1 ? "0.00" : orig,
    TrnYear: year,
    TrnMonth: month,
    Journal: dayOfMonth,
    EntryNumber: index - firstOfDay(day, ctx.count, ctx.days) + 1,
    PurchaseOrder: purchaseOrder,
    distribution: lines,
  };
}
