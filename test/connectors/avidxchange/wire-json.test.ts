import { Decimal } from "decimal.js";
import { describe, expect, it } from "vitest";

import {
  parseWireJson,
  stringifyWireJson,
  WireJsonError,
} from "../../../src/connectors/avidxchange/wire-json.js";

describe("parseWireJson", () => {
  it("keeps the digits of amounts as sent, and parses other numbers as numbers", () => {
    const text =
      '{"InvoiceId": 90001, "Amount": 1150.00, "TaxAmount": 0.1, "Lines": [{"LineNumber": 1, "Amount": 1000.10}],' +
      ' "Status": {"Id": 3, "Description": "Approved"}, "Big": 12345678901234567.89, "Ok": true, "N": null}';
    expect(parseWireJson(text)).toEqual({
      InvoiceId: 90001,
      Amount: "1150.00",
      TaxAmount: "0.10",
      Lines: [{ LineNumber: 1, Amount: "1000.10" }],
      Status: { Id: 3, Description: "Approved" },
      // Not an amount: an ordinary (lossy) number, as JSON.parse would give.
      Big: Number("12345678901234567.89"),
      Ok: true,
      N: null,
    });
  });

  it("keeps amounts a double cannot hold exactly", () => {
    const parsed = parseWireJson('{"Amount": 12345678901234567.89}') as { Amount: string };
    expect(parsed.Amount).toBe("12345678901234567.89");
  });

  it("turns exponent amounts into plain decimals", () => {
    expect(parseWireJson('{"Amount": 1.5e3, "GrossAmount": -2E-2}')).toEqual({
      Amount: "1500.00",
      GrossAmount: "-0.02",
    });
  });

  it("gives amounts at least two places without changing their value", () => {
    expect(
      parseWireJson(
        '{"Amount": 1150.1, "TaxAmount": 150, "GrossAmount": 0.125, "DiscountAmount": 0}',
      ),
    ).toEqual({
      Amount: "1150.10",
      TaxAmount: "150.00",
      GrossAmount: "0.125",
      DiscountAmount: "0.00",
    });
  });

  it("decodes string escapes and keeps __proto__ as data", () => {
    const parsed = parseWireJson(
      '{"Memo": "a \\"b\\" \\u00e9\\n", "__proto__": {"x": 1}}',
    ) as Record<string, unknown>;
    expect(parsed["Memo"]).toBe('a "b" é\n');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(["Memo", "__proto__"]);
  });

  it.each(["", "{", '{"a":1,}', "[1 2]", '{"a": tru}', '"abc', "{} x", '"\\x"', "01"])(
    "refuses %j",
    (text) => {
      expect(() => parseWireJson(text)).toThrow(WireJsonError);
    },
  );

  it("refuses absurd nesting instead of overflowing the stack", () => {
    expect(() => parseWireJson("[".repeat(10_000))).toThrow(WireJsonError);
  });
});

describe("stringifyWireJson", () => {
  it("writes decimal strings as bare JSON numbers with their digits", () => {
    const body = {
      Invoices: [
        {
          InvoiceNumber: "INV-1",
          Amount: "1150.00",
          TaxAmount: new Decimal("150.10"),
          Memo: "Amount 12.00",
          Lines: [{ LineNumber: 1, Amount: "1000.00" }],
        },
      ],
    };
    expect(stringifyWireJson(body)).toBe(
      '{"Invoices":[{"InvoiceNumber":"INV-1","Amount":1150.00,"TaxAmount":150.1,"Memo":"Amount 12.00","Lines":[{"LineNumber":1,"Amount":1000.00}]}]}',
    );
  });

  it("round-trips through the parser unchanged", () => {
    const body = { Amount: "0.10", Items: [{ GrossAmount: "-5.50", Name: "x" }] };
    expect(parseWireJson(stringifyWireJson(body))).toEqual(body);
  });

  it("refuses a float or a non-decimal where an amount goes", () => {
    expect(() => stringifyWireJson({ Amount: 1150.1 })).toThrow(TypeError);
    expect(() => stringifyWireJson({ Amount: "1,150.00" })).toThrow(TypeError);
    expect(() => stringifyWireJson({ Amount: "1e3" })).toThrow(TypeError);
  });

  it("does not mistake a look-alike string for a marked amount", () => {
    const memo = "\u0001abc:12";
    expect(JSON.parse(stringifyWireJson({ Memo: memo, Amount: "1.00" }))).toEqual({
      Memo: memo,
      Amount: 1,
    });
  });
});
