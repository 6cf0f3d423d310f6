import { describe, expect, it } from "vitest";

import { contentHash } from "../../src/sync/content-hash.js";

describe("contentHash", () => {
  it("ignores key order, surrounding whitespace and blank-versus-absent fields", () => {
    const a = contentHash({ name: "Acme ", code: "V1", email: "", address: { city: "Chicago" } });
    const b = contentHash({ address: { city: " Chicago", line2: "  " }, code: "V1", name: "Acme" });
    expect(a).toBe(b);
  });

  it("changes when a relevant field changes", () => {
    expect(contentHash({ code: "V1", name: "Acme" })).not.toBe(
      contentHash({ code: "V1", name: "Acme Inc" }),
    );
  });

  it("normalises decimals only in the fields declared as decimals", () => {
    const opts = { decimalFields: ["amount"] };
    expect(contentHash({ amount: "1150.00" }, opts)).toBe(contentHash({ amount: "1150" }, opts));
    expect(contentHash({ lines: [{ amount: "1.50" }] }, opts)).toBe(
      contentHash({ lines: [{ amount: "1.5" }] }, opts),
    );
    // Codes that merely look numeric stay distinct.
    expect(contentHash({ code: "0000001" }, opts)).not.toBe(contentHash({ code: "1" }, opts));
    expect(contentHash({ glCode: "4100.210" }, opts)).not.toBe(
      contentHash({ glCode: "4100.21" }, opts),
    );
  });

  it("hashes only the listed fields when given", () => {
    const fields = ["code", "name"];
    expect(contentHash({ code: "V1", name: "Acme", seenAt: "a" }, { fields })).toBe(
      contentHash({ code: "V1", name: "Acme", seenAt: "b" }, { fields }),
    );
  });

  it("keeps array order (numbered lines are not a set)", () => {
    expect(contentHash({ l: ["a", "b"] })).not.toBe(contentHash({ l: ["b", "a"] }));
  });

  it("rejects a decimal field that is not a decimal", () => {
    expect(() => contentHash({ amount: "12,00" }, { decimalFields: ["amount"] })).toThrow(
      /decimal field/,
    );
  });
});
