import { describe, expect, it } from "vitest";

import {
  and,
  eq,
  ge,
  ne,
  odataDate,
  odataDecimal,
  oneOf,
  or,
  orderItem,
} from "../../../src/connectors/syspro/odata-filter.js";

describe("OData filters", () => {
  it("writes date watermarks as Edm.Date literals", () => {
    expect(ge("JournalDate", odataDate("2026-10-01")).text).toBe("JournalDate ge 2026-10-01");
    expect(() => odataDate("2026-10-01' or 1 eq 1")).toThrow(RangeError);
  });

  it("quotes strings with doubled apostrophes, so values cannot escape the literal", () => {
    expect(eq("Supplier", "O'Brien").text).toBe("Supplier eq 'O''Brien'");
    const hostile = "x' or Supplier ne 'y";
    expect(eq("Invoice", hostile).text).toBe("Invoice eq 'x'' or Supplier ne ''y'");
  });

  it("refuses column names and order items that are not identifiers", () => {
    expect(() => eq("Supplier eq 'a' or 1", "x")).toThrow(RangeError);
    expect(() => orderItem("Supplier; drop")).toThrow(RangeError);
    expect(orderItem("JournalDate DESC")).toBe("JournalDate desc");
  });

  it("combines with parentheses and skips absent parts", () => {
    expect(and(eq("Company", "EDU1"), undefined, ne("GlCode", "FORCED"))?.text).toBe(
      "(Company eq 'EDU1') and (GlCode ne 'FORCED')",
    );
    expect(and(undefined)).toBeUndefined();
    expect(oneOf("PurchaseOrder", ["1", "2"])?.text).toBe(
      "(PurchaseOrder eq '1') or (PurchaseOrder eq '2')",
    );
    expect(or(eq("A", 1))?.text).toBe("A eq 1");
    expect(eq("MthInvBal1", odataDecimal("0.00")).text).toBe("MthInvBal1 eq 0.00");
    expect(eq("DatePoCompleted", null).text).toBe("DatePoCompleted eq null");
    expect(() => eq("A", 1.5)).toThrow(RangeError);
  });
});
