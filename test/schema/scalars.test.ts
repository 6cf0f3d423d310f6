import { Decimal } from "decimal.js";
import { Kind } from "graphql";
import { describe, expect, it } from "vitest";

import {
  parseDateTime,
  parseDecimal,
  parseDecimalLiteral,
  parseJsonLiteral,
  serializeDateTime,
  serializeDecimal,
} from "../../src/schema/scalars.js";

describe("Decimal", () => {
  it("round-trips exact decimal strings", () => {
    expect(parseDecimal("1234.50")).toBe("1234.50");
    expect(parseDecimal("-0.01")).toBe("-0.01");
    expect(serializeDecimal("99999999999999999.99")).toBe("99999999999999999.99");
  });

  it("serialises what money code holds: numeric strings, decimal.js, bigint, safe integers", () => {
    expect(serializeDecimal(new Decimal("0.1").plus("0.2"))).toBe("0.3");
    expect(serializeDecimal(12345n)).toBe("12345");
    expect(serializeDecimal(42)).toBe("42");
  });

  it("refuses floats in both directions", () => {
    expect(() => serializeDecimal(0.1 + 0.2)).toThrow(/Decimal cannot represent number/);
    expect(() => parseDecimal(12.5)).toThrow(/Decimal must be a string/);
    expect(() => parseDecimal("1e3")).toThrow(/Decimal must be a string/);
    expect(() => parseDecimalLiteral({ kind: Kind.FLOAT, value: "12.5" })).toThrow(
      /written as a string/,
    );
    expect(parseDecimalLiteral({ kind: Kind.STRING, value: "12.50" })).toBe("12.50");
  });
});

describe("DateTime", () => {
  it("needs a time zone and serialises in UTC", () => {
    expect(parseDateTime("2025-01-31T23:59:59+02:00").toISOString()).toBe(
      "2025-01-31T21:59:59.000Z",
    );
    expect(() => parseDateTime("2025-01-31T23:59:59")).toThrow(/with a time zone/);
    expect(() => parseDateTime("2025-02-30T00:00:00Z")).toThrow(/not a real instant/);
    expect(parseDateTime("2024-02-29T00:00:00Z").toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(() => parseDateTime("2025-13-45T99:00:00Z")).toThrow(/not a real instant/);
    expect(serializeDateTime(new Date("2025-01-31T12:00:00Z"))).toBe("2025-01-31T12:00:00.000Z");
    expect(serializeDateTime("2025-01-31T12:00:00+01:00")).toBe("2025-01-31T11:00:00.000Z");
    expect(() => serializeDateTime("yesterday")).toThrow();
  });
});

describe("JSON", () => {
  it("parses literals, including variables inside them", () => {
    const value = parseJsonLiteral(
      {
        kind: Kind.OBJECT,
        fields: [
          {
            kind: Kind.OBJECT_FIELD,
            name: { kind: Kind.NAME, value: "a" },
            value: {
              kind: Kind.LIST,
              values: [{ kind: Kind.INT, value: "1" }, { kind: Kind.NULL }],
            },
          },
          {
            kind: Kind.OBJECT_FIELD,
            name: { kind: Kind.NAME, value: "b" },
            value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: "v" } },
          },
        ],
      },
      { v: "from-variable" },
    );
    expect(value).toEqual({ a: [1, null], b: "from-variable" });
  });
});
