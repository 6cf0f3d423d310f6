/**
 * Purchase orders, computed one at a time from (seed, index). Orders are numbered in entry-date order,
 * so "POs entered on or before a date" is an index range and invoices can pick an earlier order cheaply.
 */
import { addDays } from "./calendar.js";
import { WAREHOUSES } from "./chart.js";
import { centsToString } from "./money.js";
import { int, pick, pickWeighted, rngFor } from "./prng.js";
import type { PurchaseOrderLine, PurchaseOrderSeed } from "./types.js";

const PO_STREAM = 2;
/** Orders start this many days before `startDate`, so invoices in the window can reference them. */
export const PO_LEAD_DAYS = 60;
/** The first order number: order 18 is '000419', as in SYSPRO's own samples. */
export const FIRST_PO_NUMBER = 401;

/** [stock code, description, unit price range in cents, quantity range]. */
const CATALOG: readonly (readonly [string, string, number, number, number, number])[] = [
  ["CAP-0603-104K", "Ceramic capacitor 0.1uF 50V 0603 (reel 4000)", 2400, 4800, 5, 60],
  ["CAP-1206-106M", "Ceramic capacitor 10uF 25V 1206 (reel 2000)", 6500, 11000, 2, 30],
  ["RES-0805-10K0", "Thick film resistor 10k 1% 0805 (reel 5000)", 900, 1900, 5, 80],
  ["RES-0402-1K00", "Thick film resistor 1k 1% 0402 (reel 10000)", 1100, 2100, 5, 80],
  ["IC-MCU-32F401", "Microcontroller 32-bit ARM M4 LQFP64", 310, 690, 100, 2500],
  ["IC-PMIC-3V3-1A", "LDO regulator 3.3V 1A SOT-223", 28, 95, 500, 10000],
  ["IC-OPAMP-DUAL", "Dual op-amp rail-to-rail SOIC-8", 35, 120, 250, 5000],
  ["CON-USBC-16P", "USB-C receptacle 16-pin SMT", 42, 130, 500, 8000],
  ["CON-RJ45-MAG", "RJ45 jack with magnetics", 180, 420, 100, 2000],
  ["LED-0603-RED", "LED red 0603 (reel 4000)", 3200, 5400, 2, 40],
  ["OPT-PHOTO-TR", "Phototransistor 940nm through-hole", 22, 60, 500, 6000],
  ["PWR-PSU-24V-5A", "Power supply 24V 5A DIN rail", 3800, 7600, 10, 200],
  ["SEN-TEMP-I2C", "Digital temperature sensor I2C", 55, 160, 250, 4000],
  ["CBL-CAT6-305", "Cat6 cable 305m box", 9500, 16500, 5, 80],
  ["FUS-1206-2A", "SMD fuse 2A 1206 (reel 3000)", 4100, 7900, 2, 30],
  ["XTL-16M-3225", "Crystal 16MHz 3225", 18, 55, 1000, 12000],
];
const BUYERS = ["JDR", "MLK", "AVS", "TPN"];

/** Order entry date of PO `index` as an offset in days from `startDate` (monotonic in index). */
export function poDayOffset(index: number, count: number, days: number): number {
  return -PO_LEAD_DAYS + Math.floor((index * (PO_LEAD_DAYS + days)) / count);
}

/** How many POs were entered strictly before day `dayOffset` (relative to `startDate`). */
export function posEnteredBefore(dayOffset: number, count: number, days: number): number {
  const n = Math.ceil(((dayOffset + PO_LEAD_DAYS) * count) / (PO_LEAD_DAYS + days));
  return Math.max(0, Math.min(count, n));
}

export interface PurchaseOrderContext {
  seed: number;
  count: number;
  startDate: string;
  days: number;
  /** Supplier codes of goods suppliers (non-empty), who are the only ones with orders. */
  goodsSuppliers: readonly string[];
}

/** Purchase order `index`. */
export function buildPurchaseOrder(ctx: PurchaseOrderContext, index: number): PurchaseOrderSeed {
  const rng = rngFor(ctx.seed, PO_STREAM, index);
  const offset = poDayOffset(index, ctx.count, ctx.days);
  const orderDate = addDays(ctx.startDate, offset);
  // A few goods suppliers get most of the orders, as in any distributor.
  const supplier = ctx.goodsSuppliers[Math.floor(rng() ** 2 * ctx.goodsSuppliers.length)]!;
  const warehouse = pick(rng, WAREHOUSES);
  const age = ctx.days - offset;
  const completeChance = Math.min(0.85, age / 100);
  const status =
    rng() < 0.04
      ? "*"
      : rng() < completeChance
        ? "9"
        : pickWeighted(rng, [
            ["0", 1],
            ["1", 5],
            ["4", 3],
          ] as const);
  const lineCount = int(rng, 1, 5);
  const lines: PurchaseOrderLine[] = [];
  const poNumber = String(FIRST_PO_NUMBER + index).padStart(6, "0");
  for (let line = 1; line <= lineCount; line++) {
    const [code, description, minPrice, maxPrice, minQty, maxQty] = pick(rng, CATALOG);
    const qty = int(rng, minQty, maxQty);
    const received =
      status === "9" ? qty : status === "4" ? Math.floor(qty * (0.2 + rng() * 0.6)) : 0;
    lines.push({
      PurchaseOrder: poNumber,
      Line: line,
      MStockCode: code,
      MStockDes: description,
      MOrderQty: String(qty),
      MReceivedQty: String(received),
      MPrice: centsToString(int(rng, minPrice, maxPrice)),
      MGlCode: `5000-${warehouse.costCentre}`,
      MWarehouse: warehouse.code,
    });
  }
  return {
    PurchaseOrder: poNumber,
    Supplier: supplier,
    OrderEntryDate: orderDate,
    OrderDueDate: addDays(orderDate, int(rng, 7, 45)),
    OrderStatus: status,
    CancelledFlag: status === "*" ? "Y" : "N",
    DatePoCompleted: status === "9" ? addDays(orderDate, int(rng, 5, Math.max(5, age))) : "",
    Buyer: pick(rng, BUYERS),
    Warehouse: warehouse.code,
    lines,
  };
}

/** The order's value in cents (Σ qty × price), what its supplier invoices. */
export function purchaseOrderCents(po: PurchaseOrderSeed): number {
  let total = 0;
  for (const line of po.lines) {
    total += Number(line.MOrderQty) * Math.round(Number(line.MPrice) * 100);
  }
  return total;
}
