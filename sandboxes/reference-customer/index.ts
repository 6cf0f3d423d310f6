/**
 * The reference customer: "Meridian Electronics Distribution" (SYSPRO company MED1, USD), an electronics
 * distributor with three warehouses and a central finance office. Both sandboxes seed from it so their
 * data agree (supplier = vendor codes, GL codes, cost centres). Sandboxes only: `src/` never imports it.
 *
 * Deliberate rough edges, for the flows to trip over:
 * - invoices use two expense accounts AvidXchange does not know (`UNMAPPED_ACCOUNTS`, ≈3% of invoices);
 * - one AvidXchange accounting code is inactive (`INACTIVE_AVID_ACCOUNT`);
 * - two GL codes are on hold in SYSPRO (`ON_HOLD_GL_CODES`; seeded invoices never use them);
 * - ≈2% of suppliers are on hold, ≈5% invoice in CAD or EUR, ≈10% of invoices are already paid;
 * - three vendors exist in AvidXchange only (`avidOnlyVendors`).
 */
import {
  AP_TERMS,
  buildAvidAccountingCodes,
  buildAvidDimensions,
  buildGenMaster,
  COMPANY,
  COST_CENTRES,
  NATURAL_ACCOUNTS,
  WAREHOUSES,
} from "./chart.js";
import { buildInvoice } from "./invoices.js";
import type { InvoiceContext } from "./invoices.js";
import { createInvoiceIndex, createPurchaseOrderIndex } from "./lookup.js";
import { buildPurchaseOrder } from "./purchase-orders.js";
import type { PurchaseOrderContext } from "./purchase-orders.js";
import { buildAvidOnlyVendors, buildSuppliers } from "./suppliers.js";
import type {
  InvoiceSeed,
  PurchaseOrderSeed,
  ReferenceCustomer,
  ReferenceCustomerOptions,
} from "./types.js";

export type * from "./types.js";
export { COMPANY, INACTIVE_AVID_ACCOUNT, ON_HOLD_GL_CODES, UNMAPPED_ACCOUNTS } from "./chart.js";

/** The options of the "small" fixture tests use. */
export const SMALL_FIXTURE: ReferenceCustomerOptions = {
  suppliers: 12,
  invoices: 300,
  purchaseOrders: 40,
};

const MAX_INVOICES = 1_000_000;

function resolveOptions(options: ReferenceCustomerOptions): Required<ReferenceCustomerOptions> {
  const resolved = {
    seed: options.seed ?? 42,
    suppliers: options.suppliers ?? 200,
    invoices: options.invoices ?? 8000,
    purchaseOrders: options.purchaseOrders ?? 1500,
    startDate: options.startDate ?? "2026-10-01",
    days: options.days ?? 30,
  };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(resolved.startDate)) {
    throw new RangeError(`startDate must be YYYY-MM-DD, got ${resolved.startDate}`);
  }
  if (resolved.suppliers < 1 || resolved.days < 1 || resolved.invoices < 0) {
    throw new RangeError("suppliers and days must be ≥ 1, invoices ≥ 0");
  }
  if (resolved.invoices > MAX_INVOICES) {
    throw new RangeError(`invoices must be ≤ ${MAX_INVOICES}`);
  }
  return resolved;
}

function checkIndex(kind: string, i: number, count: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= count) {
    throw new RangeError(`${kind} index ${i} is outside [0, ${count})`);
  }
}

/**
 * Generates the reference customer. Deterministic: the same options give the same data on every
 * machine (seeded PRNG, no clock, no Math.random). Suppliers, GL codes and the like are built eagerly
 * (they are small); invoices and purchase orders are computed on demand by index, so `invoice(999_999)`
 * is as cheap as `invoice(0)` and the whole set never sits in memory.
 *
 * @example
 * const small = createReferenceCustomer(SMALL_FIXTURE); // 12 suppliers, 300 invoices, 40 POs
 * const inv = small.invoice(0); // { Supplier: '0000…', Invoice: …, distribution: [...] }
 */
export function createReferenceCustomer(options: ReferenceCustomerOptions = {}): ReferenceCustomer {
  const opts = resolveOptions(options);
  const { rows: suppliers, categories } = buildSuppliers(opts.seed, opts.suppliers, opts.startDate);
  const goods = suppliers.filter((_, i) => categories[i]?.goods === true).map((s) => s.Supplier);
  const poCtx: PurchaseOrderContext = {
    seed: opts.seed,
    count: opts.purchaseOrders,
    startDate: opts.startDate,
    days: opts.days,
    goodsSuppliers: goods.length > 0 ? goods : [suppliers[0]!.Supplier],
  };
  const invoiceCtx: InvoiceContext = {
    seed: opts.seed,
    count: opts.invoices,
    startDate: opts.startDate,
    days: opts.days,
    suppliers,
    categories,
    servicesSuppliers: categories.flatMap((c, i) => (c.goods ? [] : [i])),
    purchaseOrders: poCtx,
    poCache: new Map(),
  };
  const invoice = (i: number): InvoiceSeed => {
    checkIndex("invoice", i, opts.invoices);
    return buildInvoice(invoiceCtx, i);
  };
  const purchaseOrder = (i: number): PurchaseOrderSeed => {
    checkIndex("purchase order", i, opts.purchaseOrders);
    return buildPurchaseOrder(poCtx, i);
  };
  const sizes = { ...opts };
  return {
    options: opts,
    company: { ...COMPANY },
    costCentres: COST_CENTRES.map((c) => ({ ...c })),
    warehouses: WAREHOUSES.map((w) => ({ ...w })),
    naturalAccounts: NATURAL_ACCOUNTS.map((a) => ({ ...a })),
    genMaster: buildGenMaster(),
    apTerms: AP_TERMS.map((t) => ({ ...t })),
    avidAccountingCodes: buildAvidAccountingCodes(),
    avidDimensions: buildAvidDimensions(),
    suppliers,
    avidOnlyVendors: buildAvidOnlyVendors(),
    invoice,
    purchaseOrder,
    invoiceIndex: createInvoiceIndex(sizes, invoice),
    purchaseOrderIndex: createPurchaseOrderIndex(sizes, purchaseOrder),
  };
}
