import { describe, expect, it } from "vitest";

import { isInvalidConfigurationError } from "../../../src/sync/errors.js";
import { createGlMappingResolver, validateGlMapping } from "../../../src/sync/mapping/resolve.js";
import { AVID_CODES, EXACT_7000, resolverWith, SEGMENT_RULES } from "../fixtures.js";

import type { GlMapping } from "../../../src/sync/domain.js";

describe("resolve a SYSPRO GL code", () => {
  it("maps segments: natural account → GL code, cost centre → Department through the value table", () => {
    const result = resolverWith().resolve("6100-210");
    expect(result).toEqual({
      ok: true,
      sysproGlCode: "6100-210",
      coding: { glCode: "6100", dimensions: [{ group: "Department", value: "OPS" }] },
      source: "segment",
      mappingIds: ["r-gl", "r-dept"],
    });
  });

  it("lets an exact mapping win over the segment rules", () => {
    const exact: GlMapping = {
      kind: "exact",
      id: "x-6100-210",
      sysproGlCode: "6100-210",
      avidGlCode: "6200",
      dimensions: [{ group: "Department", value: "FIN" }],
    };
    const result = resolverWith([...SEGMENT_RULES, exact]).resolve(" 6100-210 ");
    expect(result.ok && result.coding).toEqual({
      glCode: "6200",
      dimensions: [{ group: "Department", value: "FIN" }],
    });
    expect(result.ok && result.source).toBe("exact");
  });

  it("never guesses: a cost centre missing from the value table is unmapped", () => {
    const result = resolverWith().resolve("6100-999");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe("UNMAPPED_GL");
    expect(!result.ok && result.problems[0]?.detail).toContain('"999"');
  });

  it("is unmapped when a required segment is missing", () => {
    const result = resolverWith(SEGMENT_RULES).resolve("6100");
    expect(!result.ok && result.reason).toBe("UNMAPPED_GL");
  });

  it("skips an optional dimension rule when the code has no such segment", () => {
    const rules: GlMapping[] = [SEGMENT_RULES[0]!, { ...SEGMENT_RULES[1]!, required: false }];
    const result = resolverWith(rules).resolve("7000");
    expect(result.ok && result.coding).toEqual({ glCode: "7000", dimensions: [] });
  });

  it("is unmapped with no exact mapping and no rule giving a GL account", () => {
    const result = resolverWith([SEGMENT_RULES[1]!]).resolve("6100-210");
    expect(!result.ok && result.reason).toBe("UNMAPPED_GL");
  });

  it("refuses an inactive GL target", () => {
    const result = resolverWith().resolve("6300-210");
    expect(!result.ok && result.reason).toBe("INACTIVE_TARGET");
  });

  it("refuses an inactive dimension value", () => {
    const result = resolverWith().resolve("6100-230");
    expect(!result.ok && result.reason).toBe("INACTIVE_TARGET");
    expect(!result.ok && result.problems[0]?.detail).toContain("Department/OLD");
  });

  it("refuses a GL target AvidXchange does not have", () => {
    const result = resolverWith().resolve("6400-210");
    expect(!result.ok && result.reason).toBe("UNKNOWN_TARGET");
  });

  it("refuses an unknown dimension value and an unknown dimension group", () => {
    const unknownValue: GlMapping = {
      ...EXACT_7000,
      dimensions: [{ group: "Location", value: "NYC" }],
    };
    const r1 = resolverWith([unknownValue]).resolve("7000");
    expect(!r1.ok && r1.reason).toBe("UNKNOWN_DIMENSION");
    const unknownGroup: GlMapping = {
      ...EXACT_7000,
      dimensions: [{ group: "Region", value: "CHI" }],
    };
    const r2 = resolverWith([unknownGroup]).resolve("7000");
    expect(!r2.ok && r2.problems[0]?.detail).toContain("group Region");
  });

  it("reports every problem, not just the first", () => {
    const mapping: GlMapping = {
      ...EXACT_7000,
      avidGlCode: "6300",
      dimensions: [{ group: "Location", value: "NYC" }],
    };
    const result = resolverWith([mapping]).resolve("7000");
    expect(!result.ok && result.problems.map((p) => p.reason)).toEqual([
      "INACTIVE_TARGET",
      "UNKNOWN_DIMENSION",
    ]);
  });

  it("refuses to choose between two exact mappings or two rules for one target", () => {
    const twin: GlMapping = { ...EXACT_7000, id: "x-7000-b" };
    const r1 = resolverWith([EXACT_7000, twin]).resolve("7000");
    expect(!r1.ok && r1.reason).toBe("MAPPING_CONFLICT");
    const secondGlRule: GlMapping = { ...SEGMENT_RULES[0]!, id: "r-gl-2" };
    const r2 = resolverWith([...SEGMENT_RULES, secondGlRule]).resolve("6100-210");
    expect(!r2.ok && r2.reason).toBe("MAPPING_CONFLICT");
  });

  it("does not find Object.prototype keys in a value table", () => {
    const result = resolverWith().resolve("6100-constructor");
    expect(!result.ok && result.reason).toBe("UNMAPPED_GL");
  });

  it("honours a configurable separator", () => {
    const dotted: GlMapping[] = [
      { kind: "segment", id: "g", separator: ".", segment: 2, target: { kind: "glAccount" } },
      {
        kind: "segment",
        id: "d",
        separator: ".",
        segment: 1,
        target: { kind: "dimension", group: "Department" },
      },
    ];
    const result = resolverWith(dotted).resolve("OPS.6100");
    expect(result.ok && result.coding).toEqual({
      glCode: "6100",
      dimensions: [{ group: "Department", value: "OPS" }],
    });
  });

  it("throws a configuration error for a malformed rule", () => {
    const bad: GlMapping = { ...SEGMENT_RULES[0]!, segment: 0 };
    try {
      createGlMappingResolver({ mappings: [bad], avidCodes: AVID_CODES });
      expect.unreachable();
    } catch (error) {
      expect(isInvalidConfigurationError(error)).toBe(true);
    }
    expect(
      validateGlMapping({
        ...EXACT_7000,
        dimensions: [
          { group: "Location", value: "CHI" },
          { group: "Location", value: "NYC" },
        ],
      }),
    ).toMatch(/twice/);
  });
});
