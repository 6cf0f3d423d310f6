import { describe, expect, it } from "vitest";

import {
  createTransactionIdFactory,
  isTransactionId,
  transactionTime,
} from "../../src/sync/transaction-id.js";

describe("transaction ids", () => {
  it("are ULIDs carrying the injected clock's time", () => {
    const next = createTransactionIdFactory({ now: () => Date.UTC(2026, 0, 15, 10, 0, 0) });
    const id = next();
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isTransactionId(id)).toBe(true);
    expect(transactionTime(id).toISOString()).toBe("2026-01-15T10:00:00.000Z");
  });

  it("sort in minting order within one millisecond and when the clock steps back", () => {
    let now = 1_768_471_200_000;
    const next = createTransactionIdFactory({ now: () => now });
    const ids = [next(), next(), next()];
    now -= 5_000; // clock stepped back
    ids.push(next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("rejects what is not a ULID", () => {
    expect(isTransactionId("not-a-ulid")).toBe(false);
    expect(() => transactionTime("nope")).toThrow(/not a transaction id/);
  });
});
