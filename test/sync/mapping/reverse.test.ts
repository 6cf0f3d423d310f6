import { describe, expect, it } from "vitest";

import { createGlAccountIndex } from "../../../src/sync/mapping/catalogs.js";
import { reverseMapCoding } from "../../../src/sync/mapping/reverse.js";
import { EXACT_7000, GEN_MASTER, glAccounts, resolverWith, SEGMENT_RULES } from "../fixtures.js";

import type { GlMapping } from "../../../src/sync/domain.js";

const dept = (value: string) => [{ group: "Department", value }];

describe("reverse mapping (AvidXchange coding → SYSPRO GL code)", () => {
  it("recomposes the SYSPRO code through the segment rules and their inverted value table", () => {
    const result = reverseMapCoding(
      resolverWith(),
      glAccounts,
      { glCode: "6200", dimensions: dept("FIN") },
      "6100-210",
    );
    expect(result).toEqual({ ok: true, sysproGlCode: "6200-220" });
  });

  it("finds an exact mapping's SYSPRO code", () => {
    const result = reverseMapCoding(
      resolverWith(),
      glAccounts,
      { glCode: "7000", dimensions: [{ group: "Location", value: "CHI" }] },
      "6100-210",
    );
    expect(result).toEqual({ ok: true, sysproGlCode: "7000" });
  });

  it("is impossible when the composed account is missing or on hold in GenMaster", () => {
    // 7000-210 maps forward to GL 7000 / Department OPS, but GenMaster has no such account.
    const missing = reverseMapCoding(
      resolverWith(),
      glAccounts,
      { glCode: "7000", dimensions: dept("OPS") },
      "6100-210",
    );
    expect(!missing.ok && missing.problem).toBe("IMPOSSIBLE");
    const held = createGlAccountIndex(
      GEN_MASTER.map((a) => (a.code === "6200-220" ? { ...a, onHold: true } : a)),
    );
    const onHold = reverseMapCoding(
      resolverWith(),
      held,
      { glCode: "6200", dimensions: dept("FIN") },
      "6100-210",
    );
    expect(!onHold.ok && onHold.problem).toBe("IMPOSSIBLE");
  });

  it("is ambiguous when two SYSPRO codes map to the same coding", () => {
    const twoCentres: GlMapping[] = [
      SEGMENT_RULES[0]!,
      {
        ...SEGMENT_RULES[1]!,
        values: { "210": "OPS", "220": "OPS" },
      },
    ];
    const result = reverseMapCoding(
      resolverWith(twoCentres),
      glAccounts,
      { glCode: "6200", dimensions: dept("OPS") },
      "6100-210",
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toBe("AMBIGUOUS");
    expect(!result.ok && result.candidates).toEqual(["6200-210", "6200-220"]);
  });

  it("rejects a candidate whose forward mapping differs (an exact mapping overrides the rules)", () => {
    const override: GlMapping = {
      kind: "exact",
      id: "x",
      sysproGlCode: "6200-220",
      avidGlCode: "7000",
      dimensions: [],
    };
    const result = reverseMapCoding(
      resolverWith([...SEGMENT_RULES, EXACT_7000, override]),
      createGlAccountIndex(GEN_MASTER),
      { glCode: "6200", dimensions: dept("FIN") },
      "6100-210",
    );
    expect(result.ok).toBe(false);
  });

  it("is impossible when the coding has a dimension no mapping produces", () => {
    const result = reverseMapCoding(
      resolverWith(),
      glAccounts,
      { glCode: "6200", dimensions: [...dept("FIN"), { group: "Location", value: "CHI" }] },
      "6100-210",
    );
    expect(!result.ok && result.problem).toBe("IMPOSSIBLE");
  });
});
