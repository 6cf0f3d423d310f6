/**
 * Reverse lookups over the lazily generated invoices and purchase orders: from a key (what a query
 * filters on) back to the index that generates the row. They let a sandbox answer
 * "Supplier eq '0000007' and Invoice eq 'INV-10060'" or "JournalDate ge 2026-10-29" on a
 * 1,000,000-invoice customer without generating every invoice.
 */
import { addDays, daysBetween } from "./calendar.js";
import { dayOf, firstOfDay, INVOICE_PREFIXES, invoiceNumberBase } from "./invoices.js";
import { FIRST_PO_NUMBER, poDayOffset, posEnteredBefore } from "./purchase-orders.js";
import type { InvoiceSeed, PurchaseOrderSeed } from "./types.js";

/** Index lookups of invoices. Ranges are half-open [start, end). */
export interface InvoiceIndex {
  /** The index of the invoice with this key, if the seed has one. */
  ofKey(supplier: string, invoice: string): number | undefined;
  /** The index of the invoice posted as this AP journal entry (ApJnlSummary key), if any. */
  ofJournalEntry(
    trnYear: number,
    trnMonth: number,
    journal: number,
    entryNumber: number,
  ): number | undefined;
  /** Indexes of the invoices with JournalDate in [from, to] (inclusive dates; either may be open). */
  journalDateRange(from?: string, to?: string): [number, number];
  /** JournalDate of invoice `i` without generating it. */
  journalDateOf(i: number): string;
}

/** Index lookups of purchase orders. */
export interface PurchaseOrderIndex {
  /** The index of order `purchaseOrder` ('000419'), if the seed has it. */
  ofNumber(purchaseOrder: string): number | undefined;
  /** Indexes of the orders with OrderEntryDate in [from, to] (inclusive dates; either may be open). */
  entryDateRange(from?: string, to?: string): [number, number];
  /** OrderEntryDate of order `i` without generating it. */
  entryDateOf(i: number): string;
}

interface Sizes {
  invoices: number;
  purchaseOrders: number;
  suppliers: number;
  startDate: string;
  days: number;
}

function clampDay(day: number, days: number): number {
  return Math.max(0, Math.min(days, day));
}

export function createInvoiceIndex(
  sizes: Sizes,
  invoice: (i: number) => InvoiceSeed,
): InvoiceIndex {
  const { invoices: count, startDate, days } = sizes;
  return {
    ofKey(supplier, number) {
      const supplierIndex = Number(supplier) - 1;
      if (!/^\d{7}$/.test(supplier) || supplierIndex < 0 || supplierIndex >= sizes.suppliers) {
        return undefined;
      }
      const prefix = INVOICE_PREFIXES[supplierIndex % 4]!;
      const digits = number.slice(prefix.length);
      if (!number.startsWith(prefix) || !/^\d+$/.test(digits)) {
        return undefined;
      }
      const i = Number(digits) - invoiceNumberBase(supplierIndex);
      if (!Number.isSafeInteger(i) || i < 0 || i >= count) {
        return undefined;
      }
      const seed = invoice(i);
      return seed.Supplier === supplier && seed.Invoice === number ? i : undefined;
    },
    ofJournalEntry(trnYear, trnMonth, journal, entryNumber) {
      const date = `${trnYear}-${String(trnMonth).padStart(2, "0")}-${String(journal).padStart(2, "0")}`;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
        return undefined;
      }
      const day = daysBetween(startDate, date);
      if (day < 0 || day >= days || addDays(startDate, day) !== date) {
        return undefined;
      }
      const i = firstOfDay(day, count, days) + entryNumber - 1;
      return entryNumber >= 1 && i < firstOfDay(day + 1, count, days) ? i : undefined;
    },
    journalDateRange(from, to) {
      const start = from === undefined ? 0 : clampDay(daysBetween(startDate, from), days);
      const end = to === undefined ? days : clampDay(daysBetween(startDate, to) + 1, days);
      return start >= end ? [0, 0] : [firstOfDay(start, count, days), firstOfDay(end, count, days)];
    },
    journalDateOf(i) {
      return addDays(startDate, dayOf(i, count, days));
    },
  };
}

export function createPurchaseOrderIndex(
  sizes: Sizes,
  purchaseOrder: (i: number) => PurchaseOrderSeed,
): PurchaseOrderIndex {
  const { purchaseOrders: count, startDate, days } = sizes;
  return {
    ofNumber(number) {
      const i = Number(number) - FIRST_PO_NUMBER;
      if (!/^\d{6}$/.test(number) || i < 0 || i >= count) {
        return undefined;
      }
      return purchaseOrder(i).PurchaseOrder === number ? i : undefined;
    },
    entryDateRange(from, to) {
      const start =
        from === undefined ? 0 : posEnteredBefore(daysBetween(startDate, from), count, days);
      const end =
        to === undefined ? count : posEnteredBefore(daysBetween(startDate, to) + 1, count, days);
      return start >= end ? [0, 0] : [start, end];
    },
    entryDateOf(i) {
      return addDays(startDate, poDayOffset(i, count, days));
    },
  };
}
