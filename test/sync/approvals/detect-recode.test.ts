import { describe, expect, it } from "vitest";

import { detectRecode } from "../../../src/sync/approvals/detect-recode.js";
import { isBalanced } from "../../../src/sync/journal.js";
import { glAccounts, resolverWith } from "../fixtures.js";

import type { DetectRecodeInput } from "../../../src/sync/approvals/detect-recode.js";
import type { AvidInvoiceLine, ReturnedInvoiceLine } from "../../../src/sync/domain.js";

const dept = (value: string) => [{ group: "Department", value }];

const SENT: AvidInvoiceLine[] = [
  {
    lineNumber: 1,
    amount: "600.00",
    glCode: "6100",
    dimensions: dept("OPS"),
    sysproGlCode: "6100-210",
  },
  {
    lineNumber: 2,
    amount: "400.00",
    glCode: "6200",
    dimensions: dept("FIN"),
    sysproGlCode: "6200-220",
  },
];

const asReturned = (lines: AvidInvoiceLine[]): ReturnedInvoiceLine[] =>
  lines.map(({ lineNumber, amount, glCode, dimensions }) => ({
    lineNumber,
    amount,
    glCode,
    dimensions,
  }));

function detect(returned: ReturnedInvoiceLine[], overrides: Partial<DetectRecodeInput> = {}) {
  return detectRecode({
    connection: "c1",
    avidInvoiceId: "90001",
    supplier: "0000001",
    invoiceNumber: "INV-1001",
    baseline: SENT,
    baselineVersion: 0,
    returned,
    policy: "JOURNAL",
    resolver: resolverWith(),
    glAccounts,
    ...overrides,
  });
}

describe("re-code detection", () => {
  it("sees nothing when the lines come back as sent (dimension order aside)", () => {
    expect(detect(asReturned(SENT)).action).toBe("none");
    expect(detect([]).action).toBe("none");
  });

  it("turns a re-coded line into a balanced GENTJL reclassification: Dr new account, Cr original", () => {
    const returned = asReturned(SENT).map((l) =>
      l.lineNumber === 1 ? { ...l, glCode: "6200", dimensions: dept("FIN") } : l,
    );
    const decision = detect(returned);
    if (decision.action !== "journal") {
      throw new Error(`expected journal, got ${decision.action}`);
    }
    expect(
      decision.plan.lines.map(({ glCode, side, amount }) => ({ glCode, side, amount })),
    ).toEqual([
      { glCode: "6200-220", side: "debit", amount: "600.00" },
      { glCode: "6100-210", side: "credit", amount: "600.00" },
    ]);
    expect(isBalanced(decision.plan.lines)).toBe(true);
    expect(decision.plan.reference).toMatch(/^AVC[0-9A-Z]{12}$/);
    expect(decision.ledgerKey).toEqual({
      connection: "c1",
      avidInvoiceId: "90001",
      reference: decision.plan.reference,
      kind: "reclass",
    });
    expect(decision.recodedLines.map((l) => l.lineNumber)).toEqual([1]);
    expect(decision.newBaseline[0]).toMatchObject({ glCode: "6200", sysproGlCode: "6200-220" });
    expect(decision.newBaseline[1]).toEqual(SENT[1]);
  });

  it("detects a dimension-only re-code", () => {
    const returned = asReturned(SENT).map((l) =>
      l.lineNumber === 1 ? { ...l, dimensions: dept("FIN") } : l,
    );
    const decision = detect(returned);
    expect(decision.action === "journal" && decision.plan.lines.map((l) => l.glCode)).toEqual([
      "6100-220",
      "6100-210",
    ]);
  });

  it("gives the same recode key and reference when the same re-code is seen twice, a new one after the baseline moves", () => {
    const returned = asReturned(SENT).map((l) =>
      l.lineNumber === 2 ? { ...l, glCode: "6100" } : l,
    );
    const first = detect(returned);
    const second = detect(returned);
    if (first.action !== "journal" || second.action !== "journal") {
      throw new Error("expected journals");
    }
    expect(second.plan.reference).toBe(first.plan.reference);
    // Re-coded back and then the same way again: a new journal, not a duplicate of the first.
    const later = detect(returned, { baselineVersion: 2 });
    expect(later.action === "journal" && later.plan.reference).not.toBe(first.plan.reference);
  });

  it("holds a RECODED exception instead, by policy", () => {
    const returned = asReturned(SENT).map((l) =>
      l.lineNumber === 1 ? { ...l, glCode: "6200" } : l,
    );
    const decision = detect(returned, { policy: "EXCEPTION" });
    expect(decision.action).toBe("exception");
    expect(decision.action === "exception" && decision.exception.reason).toBe("RECODED");
  });

  it("refuses to guess when the new coding maps back to no single SYSPRO code", () => {
    // GL 7000 + Department OPS: the rules compose 7000-210, which GenMaster does not have.
    const returned = asReturned(SENT).map((l) =>
      l.lineNumber === 1 ? { ...l, glCode: "7000" } : l,
    );
    const decision = detect(returned);
    expect(decision.action === "exception" && decision.exception.reason).toBe("RECODE_UNMAPPABLE");
  });

  it("does not reclassify line by line when amounts or lines changed", () => {
    const split: ReturnedInvoiceLine[] = [
      { lineNumber: 1, amount: "300.00", glCode: "6100", dimensions: dept("OPS") },
      { lineNumber: 2, amount: "400.00", glCode: "6200", dimensions: dept("FIN") },
      { lineNumber: 3, amount: "300.00", glCode: "6200", dimensions: dept("OPS") },
    ];
    const decision = detect(split);
    expect(decision.action === "exception" && decision.exception.reason).toBe(
      "RECODE_LINES_CHANGED",
    );
    expect(decision.action === "exception" && decision.exception.message).toContain(
      "lines added: 3",
    );
  });

  it("flips sides for a negative (credit) line so every journal amount is positive", () => {
    const baseline: AvidInvoiceLine[] = [{ ...SENT[0]!, amount: "-50.00" }];
    const returned: ReturnedInvoiceLine[] = [
      { lineNumber: 1, amount: "-50.00", glCode: "6200", dimensions: dept("FIN") },
    ];
    const decision = detect(returned, { baseline });
    expect(
      decision.action === "journal" &&
        decision.plan.lines.map(({ glCode, side, amount }) => [glCode, side, amount]),
    ).toEqual([
      ["6200-220", "credit", "50.00"],
      ["6100-210", "debit", "50.00"],
    ]);
  });
});
