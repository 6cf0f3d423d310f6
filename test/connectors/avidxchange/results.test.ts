import { describe, expect, it } from "vitest";

import { AvidMalformedResponseError } from "../../../src/connectors/avidxchange/errors.js";
import { normaliseResults, parseSuccessful } from "../../../src/connectors/avidxchange/results.js";

const asItem = (item: unknown) => item as { InvoiceId: number };

describe("normaliseResults", () => {
  it("matches an array of results to inputs in order, successes and failures", () => {
    const body = {
      Results: [
        { Successful: true, Errors: [], Item: { InvoiceId: 90001 } },
        {
          Successful: false,
          Errors: [{ Message: "GL code 6100 is not active" }],
          Item: null,
        },
        { Successful: "true", Errors: [], Item: { InvoiceId: 90003 } },
        { Successful: "False", Errors: [{ Message: "Vendor 0000001 not found" }] },
      ],
    };
    const results = normaliseResults(body, ["a", "b", "c", "d"], asItem, "POST /v1/invoices");
    expect(results).toEqual([
      { ok: true, index: 0, input: "a", item: { InvoiceId: 90001 }, messages: [] },
      { ok: false, index: 1, input: "b", messages: ["GL code 6100 is not active"], item: null },
      { ok: true, index: 2, input: "c", item: { InvoiceId: 90003 }, messages: [] },
      { ok: false, index: 3, input: "d", messages: ["Vendor 0000001 not found"], item: undefined },
    ]);
  });

  it("accepts Results as a single object (one input)", () => {
    const body = { Results: { Successful: "false", Errors: { Message: "Duplicate invoice" } } };
    expect(normaliseResults(body, ["a"], asItem, "x")).toEqual([
      { ok: false, index: 0, input: "a", messages: ["Duplicate invoice"], item: undefined },
    ]);
  });

  it("gives a failure without a message a readable one", () => {
    const [r] = normaliseResults({ Results: [{ Successful: false }] }, ["a"], asItem, "x");
    expect(r?.ok).toBe(false);
    expect(r?.messages).toEqual(["AvidXchange reported a failure without a message"]);
  });

  it("refuses a count that cannot be matched, a missing Results, an unreadable flag", () => {
    expect(() =>
      normaliseResults({ Results: [{ Successful: true }] }, ["a", "b"], asItem, "x"),
    ).toThrow(AvidMalformedResponseError);
    expect(() => normaliseResults({}, ["a"], asItem, "x")).toThrow(/no Results/);
    expect(() =>
      normaliseResults({ Results: [{ Successful: "yes" }] }, ["a"], asItem, "x"),
    ).toThrow(/Successful/);
  });

  it("lets the item parser reject a success without the item we need", () => {
    const strict = (item: unknown) => {
      if (typeof (item as { InvoiceId?: unknown })?.InvoiceId !== "number") {
        throw new AvidMalformedResponseError("no InvoiceId");
      }
      return item;
    };
    expect(() =>
      normaliseResults({ Results: [{ Successful: true, Item: {} }] }, ["a"], strict, "x"),
    ).toThrow(/no InvoiceId/);
  });
});

describe("parseSuccessful", () => {
  it.each([
    [true, true],
    ["true", true],
    [" TRUE ", true],
    [false, false],
    ["false", false],
    [1, undefined],
    ["", undefined],
    [null, undefined],
  ])("%j → %j", (input, expected) => {
    expect(parseSuccessful(input)).toBe(expected);
  });
});
