import { describe, expect, it } from "vitest";

import {
  EXCEPTION_REASON_CODES,
  EXCEPTION_REASONS,
  isExceptionReason,
  syncException,
} from "../../src/sync/exceptions.js";

describe("exception reasons", () => {
  it("every code has a message and a suggested action", () => {
    for (const code of EXCEPTION_REASON_CODES) {
      expect(EXCEPTION_REASONS[code].message.length).toBeGreaterThan(10);
      expect(EXCEPTION_REASONS[code].suggestedAction.length).toBeGreaterThan(10);
    }
  });

  it("include the codes the flows raise", () => {
    for (const code of [
      "UNMAPPED_GL",
      "INACTIVE_TARGET",
      "UNKNOWN_DIMENSION",
      "SUPPLIER_NOT_SYNCED",
      "AMOUNT_MISMATCH",
      "VENDOR_NOT_IN_SYSPRO",
      "RECODED",
      "RECODE_UNMAPPABLE",
      "PAYMENT_ABOVE_OPEN_BALANCE",
      "CURRENCY_MISMATCH",
      "UNKNOWN_INVOICE",
      "SUPPLIER_MISMATCH",
      "SPLIT_MISMATCH",
      "GL_INVALID",
    ]) {
      expect(isExceptionReason(code)).toBe(true);
    }
    expect(isExceptionReason("toString")).toBe(false);
  });

  it("builds an exception with the detail appended and JSON details kept", () => {
    const e = syncException("UNMAPPED_GL", "GL code 6100-999", { glCodes: ["6100-999"] });
    expect(e.reason).toBe("UNMAPPED_GL");
    expect(e.message).toBe(`${EXCEPTION_REASONS.UNMAPPED_GL.message}: GL code 6100-999`);
    expect(e.suggestedAction).toBe(EXCEPTION_REASONS.UNMAPPED_GL.suggestedAction);
    expect(JSON.parse(JSON.stringify(e.details))).toEqual({ glCodes: ["6100-999"] });
  });
});
