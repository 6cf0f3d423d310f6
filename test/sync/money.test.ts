import { describe, expect, it } from "vitest";

import { isInvalidAmountError } from "../../src/sync/errors.js";
import {
  extendToCents,
  formatCents,
  normaliseDecimal,
  parseCents,
  toCents,
} from "../../src/sync/money.js";

describe("money", () => {
  it("parses decimal strings to exact cents", () => {
    expect(parseCents("1150.00")).toBe(115000n);
    expect(parseCents(" 0.1 ")).toBe(10n);
    expect(parseCents("-12.5")).toBe(-1250n);
    expect(parseCents(".05")).toBe(5n);
    expect(parseCents("7")).toBe(700n);
    expect(parseCents("1.230")).toBe(123n);
  });

  it("adds 0.1 + 0.2 exactly (the float trap)", () => {
    expect(formatCents(toCents("0.1") + toCents("0.2"))).toBe("0.30");
  });

  it("refuses sub-cent precision and non-decimals instead of rounding", () => {
    expect(parseCents("10.005")).toBeUndefined();
    for (const bad of ["", "abc", "1e3", "NaN", "Infinity", "1,000.00", "."]) {
      expect(parseCents(bad)).toBeUndefined();
    }
    try {
      toCents("10.005", "line 3 amount");
      expect.unreachable();
    } catch (error) {
      expect(isInvalidAmountError(error)).toBe(true);
      expect((error as Error).message).toContain("line 3 amount");
    }
  });

  it("formats cents with two decimals and a sign", () => {
    expect(formatCents(115000n)).toBe("1150.00");
    expect(formatCents(-5n)).toBe("-0.05");
    expect(formatCents(0n)).toBe("0.00");
  });

  it("normalises decimals for comparison", () => {
    expect(normaliseDecimal("1150.00")).toBe("1150");
    expect(normaliseDecimal("-0.0")).toBe("0");
    expect(normaliseDecimal("007.50")).toBe("7.5");
    expect(normaliseDecimal("0.05")).toBe("0.05");
    expect(normaliseDecimal("100")).toBe("100");
  });

  it("extends quantity × price to cents, rounding half away from zero", () => {
    expect(extendToCents("3", "19.99")).toBe(5997n);
    expect(extendToCents("1.5", "0.333")).toBe(50n); // 0.4995 → 0.50
    expect(extendToCents("2", "0.0025")).toBe(1n); // 0.005 → 0.01
    expect(extendToCents("-2", "0.0025")).toBe(-1n);
  });
});
