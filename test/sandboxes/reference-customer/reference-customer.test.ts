import { describe, expect, it } from "vitest";

import {
  createReferenceCustomer,
  ON_HOLD_GL_CODES,
  SMALL_FIXTURE,
  UNMAPPED_ACCOUNTS,
} from "../../../sandboxes/reference-customer/index.js";

function cents(amount: string): number {
  const [whole, frac = ""] = amount.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

describe("reference customer", () => {
  const small = createReferenceCustomer(SMALL_FIXTURE);

  it("is deterministic for a seed and differs across seeds", () => {
    const again = createReferenceCustomer(SMALL_FIXTURE);
    expect(again.suppliers).toEqual(small.suppliers);
    expect(again.invoice(123)).toEqual(small.invoice(123));
    expect(again.purchaseOrder(7)).toEqual(small.purchaseOrder(7));
    const other = createReferenceCustomer({ ...SMALL_FIXTURE, seed: 7 });
    expect(other.suppliers.map((s) => s.SupplierName)).not.toEqual(
      small.suppliers.map((s) => s.SupplierName),
    );
  });

  it("has the company, cost centres, warehouses and GL codes the spec names", () => {
    expect(small.company).toEqual({
      id: "MED1",
      name: "Meridian Electronics Distribution",
      currency: "USD",
    });
    expect(small.costCentres.map((c) => c.code)).toEqual(["100", "210", "220", "230"]);
    expect(small.warehouses.map((w) => w.code)).toEqual(["N1", "C1", "S1"]);
    const codes = small.genMaster.map((g) => g.GlCode);
    expect(codes).toContain("6100-210");
    expect(codes).toContain("FORCED");
    expect(codes).toContain("RETAINED");
    expect(small.genMaster.every((g) => g.Company === "MED1")).toBe(true);
    expect(small.genMaster.filter((g) => g.AccOnHldFlag === "Y").map((g) => g.GlCode)).toEqual([
      ...ON_HOLD_GL_CODES,
    ]);
    const avid = small.avidAccountingCodes.map((c) => c.CodeValue);
    for (const missing of UNMAPPED_ACCOUNTS) {
      expect(avid).not.toContain(missing);
    }
    expect(small.avidAccountingCodes.filter((c) => !c.IsActive)).toHaveLength(1);
    expect(small.avidDimensions.filter((d) => d.GroupName === "Location")).toHaveLength(3);
    expect(small.avidOnlyVendors.map((v) => v.ExternalVendorCode)).toEqual([
      "AVX0001",
      "AVX0002",
      "AVX0003",
    ]);
  });

  it("numbers suppliers with 7 digits and gives them unique names", () => {
    expect(small.suppliers[0]?.Supplier).toBe("0000001");
    expect(small.suppliers).toHaveLength(12);
    const names = new Set(small.suppliers.map((s) => s.SupplierName));
    expect(names.size).toBe(12);
  });

  it("distributes every invoice exactly, onto GL codes that exist and are not on hold", () => {
    const glCodes = new Map(small.genMaster.map((g) => [g.GlCode, g]));
    const keys = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const inv = small.invoice(i);
      const net = inv.distribution.reduce((sum, d) => sum + cents(d.DistrValue), 0);
      expect(net).toBe(cents(inv.OrigInvValue) - cents(inv.TaxValue));
      expect(inv.distribution.length).toBeGreaterThanOrEqual(1);
      expect(inv.distribution.length).toBeLessThanOrEqual(4);
      for (const line of inv.distribution) {
        expect(glCodes.get(line.ExpenseGlCode)?.AccOnHldFlag).toBe("N");
      }
      expect(["0.00", inv.OrigInvValue]).toContain(inv.MthInvBal1);
      const key = `${inv.Supplier}|${inv.Invoice}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
      expect(small.invoiceIndex.ofKey(inv.Supplier, inv.Invoice)).toBe(i);
      expect(
        small.invoiceIndex.ofJournalEntry(inv.TrnYear, inv.TrnMonth, inv.Journal, inv.EntryNumber),
      ).toBe(i);
      expect(small.invoiceIndex.journalDateOf(i)).toBe(inv.JournalDate);
      if (inv.PurchaseOrder !== "") {
        const po = small.purchaseOrder(small.purchaseOrderIndex.ofNumber(inv.PurchaseOrder)!);
        expect(po.Supplier).toBe(inv.Supplier);
        expect(po.OrderEntryDate < inv.JournalDate).toBe(true);
      }
    }
  });

  it("finds index ranges by date", () => {
    const [start, end] = small.invoiceIndex.journalDateRange("2026-10-05", "2026-10-06");
    expect(small.invoice(start).JournalDate).toBe("2026-10-05");
    expect(small.invoice(end - 1).JournalDate).toBe("2026-10-06");
    expect(small.invoice(start - 1).JournalDate).toBe("2026-10-04");
    expect(small.invoice(end).JournalDate).toBe("2026-10-07");
    const [poStart, poEnd] = small.purchaseOrderIndex.entryDateRange("2026-10-01");
    expect(poEnd).toBe(40);
    expect(small.purchaseOrder(poStart).OrderEntryDate >= "2026-10-01").toBe(true);
    expect(small.purchaseOrder(poStart - 1).OrderEntryDate < "2026-10-01").toBe(true);
    expect(small.invoiceIndex.ofKey("0000001", "nope")).toBeUndefined();
  });

  it("computes any of a million invoices without building the others", () => {
    const big = createReferenceCustomer({ invoices: 1_000_000 });
    const last = big.invoice(999_999);
    expect(last.JournalDate).toBe("2026-10-30");
    expect(big.invoiceIndex.ofKey(last.Supplier, last.Invoice)).toBe(999_999);
    expect(() => big.invoice(1_000_000)).toThrow(RangeError);
    expect(() => createReferenceCustomer({ invoices: 1_000_001 })).toThrow(RangeError);
  });

  it("matches the spec's mix: ~60% with a PO, ~3% unmapped, ~10% paid", () => {
    const ref = createReferenceCustomer();
    let withPo = 0;
    let unmapped = 0;
    let paid = 0;
    for (let i = 0; i < 8000; i++) {
      const inv = ref.invoice(i);
      withPo += inv.PurchaseOrder === "" ? 0 : 1;
      paid += inv.MthInvBal1 === "0.00" ? 1 : 0;
      unmapped += inv.distribution.some((d) =>
        UNMAPPED_ACCOUNTS.includes(d.ExpenseGlCode.slice(0, 4)),
      )
        ? 1
        : 0;
    }
    expect(withPo / 8000).toBeGreaterThan(0.5);
    expect(withPo / 8000).toBeLessThan(0.7);
    expect(unmapped / 8000).toBeGreaterThan(0.015);
    expect(unmapped / 8000).toBeLessThan(0.05);
    expect(paid / 8000).toBeGreaterThan(0.07);
    expect(paid / 8000).toBeLessThan(0.13);
    expect(ref.suppliers).toHaveLength(200);
    expect(ref.suppliers.filter((s) => s.Currency !== "USD").length).toBeGreaterThan(2);
  });
});
