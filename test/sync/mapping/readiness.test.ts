import { describe, expect, it } from "vitest";

import { checkMappingReadiness, glCodesInUse } from "../../../src/sync/mapping/readiness.js";
import { EXACT_7000, GEN_MASTER, glAccounts, resolverWith, SEGMENT_RULES } from "../fixtures.js";

import type { GlMapping } from "../../../src/sync/domain.js";

describe("mapping readiness", () => {
  it("is ready when every GL code in use resolves", () => {
    const report = checkMappingReadiness({
      resolver: resolverWith(),
      glAccounts,
      glCodesInUse: ["6100-210", "6200-220", "7000", "6100-210 "],
    });
    expect(report.ready).toBe(true);
    expect(report.counts).toMatchObject({ glCodesInUse: 3, mapped: 3, unmapped: 0 });
    expect(report.unmapped).toEqual([]);
  });

  it("lists every GL code in use without a valid target, with its reason", () => {
    const report = checkMappingReadiness({
      resolver: resolverWith(),
      glAccounts,
      glCodesInUse: ["6100-210", "6100-999", "6300-210", "9999"],
    });
    expect(report.ready).toBe(false);
    expect(report.unmapped.map((u) => [u.glCode, u.reason])).toEqual([
      ["6100-999", "UNMAPPED_GL"],
      ["6300-210", "INACTIVE_TARGET"],
      ["9999", "UNMAPPED_GL"],
    ]);
    expect(report.counts).toMatchObject({ glCodesInUse: 4, mapped: 1, unmapped: 3 });
    // 9999 is not in GenMaster either: a warning, on the SYSPRO side.
    expect(report.warnings.map((w) => w.glCode)).toContain("9999");
  });

  it("lists mappings pointing at inactive or unknown codes even when no code in use reaches them", () => {
    const stale: GlMapping = {
      kind: "exact",
      id: "x-stale",
      sysproGlCode: "4900",
      avidGlCode: "6300",
      dimensions: [{ group: "Location", value: "NYC" }],
    };
    const report = checkMappingReadiness({
      resolver: resolverWith([...SEGMENT_RULES, EXACT_7000, stale]),
      glAccounts,
      glCodesInUse: ["6100-210"],
    });
    expect(report.ready).toBe(true);
    expect(report.invalidMappings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ mappingId: "x-stale", reason: "INACTIVE_TARGET" }),
        expect.objectContaining({ mappingId: "x-stale", reason: "UNKNOWN_DIMENSION" }),
        // The cost-centre table maps 230 to Department OLD, which is inactive.
        expect.objectContaining({ mappingId: "r-dept", reason: "INACTIVE_TARGET" }),
      ]),
    );
    expect(report.counts.invalidMappings).toBe(2);
  });

  it("flags a rule for a dimension group AvidXchange does not have", () => {
    const rule: GlMapping = {
      kind: "segment",
      id: "r-region",
      separator: "-",
      segment: 3,
      required: false,
      target: { kind: "dimension", group: "Region" },
    };
    const report = checkMappingReadiness({
      resolver: resolverWith([...SEGMENT_RULES, rule]),
      glAccounts,
      glCodesInUse: [],
    });
    expect(report.invalidMappings).toContainEqual(
      expect.objectContaining({ mappingId: "r-region", reason: "UNKNOWN_DIMENSION" }),
    );
  });

  it("collects GL codes in use from invoice lines and, on request, GenMaster account types", () => {
    expect(glCodesInUse({ invoiceGlCodes: ["6100-210", " 6100-210", ""] })).toEqual(["6100-210"]);
    const withExpenses = glCodesInUse({
      invoiceGlCodes: ["1010"],
      genMaster: GEN_MASTER,
      accountTypes: ["E"],
    });
    expect(withExpenses).toContain("1010");
    expect(withExpenses).toContain("6200-220");
    expect(withExpenses).not.toContain("6400-210"); // on hold
    expect(withExpenses).not.toContain("2100"); // a liability
  });
});
