import { describe, expect, it } from "vitest";

import {
  advanceWatermark,
  avidPollWindows,
  odataSinceFilter,
  pollFromDate,
  splitDateWindows,
  watermarkDate,
} from "../../src/sync/watermarks.js";

describe("poll windows", () => {
  it("re-reads from the watermark DATE minus the lookback, inclusive", () => {
    const watermark = { timestamp: "2026-03-10T23:59:00Z", key: "0000001/INV-9" };
    expect(pollFromDate({ watermark, lookbackDays: 2, initialFrom: "2025-01-01" })).toBe(
      "2026-03-08",
    );
    expect(pollFromDate({ watermark, lookbackDays: 0, initialFrom: "2025-01-01" })).toBe(
      "2026-03-10",
    );
    expect(pollFromDate({ lookbackDays: 2, initialFrom: "2025-01-01" })).toBe("2025-01-01");
  });

  it("takes the date as the remote wrote it and crosses month ends", () => {
    expect(watermarkDate("2026-03-01T01:00:00-06:00")).toBe("2026-03-01");
    const watermark = { timestamp: "2026-03-01", key: "k" };
    expect(pollFromDate({ watermark, lookbackDays: 1, initialFrom: "2025-01-01" })).toBe(
      "2026-02-28",
    );
    expect(() => watermarkDate("2026-02-30")).toThrow(/not a timestamp/);
  });

  it("builds the OData filter values", () => {
    expect(odataSinceFilter(["OrderEntryDate"], "2026-03-08")).toBe("OrderEntryDate ge 2026-03-08");
    expect(odataSinceFilter(["JournalDate", "InvoiceDate"], "2026-03-08")).toBe(
      "(JournalDate ge 2026-03-08 or InvoiceDate ge 2026-03-08)",
    );
    expect(() => odataSinceFilter(["JournalDate; drop"], "2026-03-08")).toThrow();
  });

  it("splits AvidXchange ranges into ≤ 31-day inclusive windows overlapping by a day", () => {
    const windows = splitDateWindows("2026-01-01", "2026-03-15");
    expect(windows).toEqual([
      { from: "2026-01-01", to: "2026-01-31" },
      { from: "2026-01-31", to: "2026-03-02" },
      { from: "2026-03-02", to: "2026-03-15" },
    ]);
    for (const w of windows) {
      const days = (Date.parse(w.to) - Date.parse(w.from)) / 86_400_000 + 1;
      expect(days).toBeLessThanOrEqual(31);
    }
    expect(splitDateWindows("2026-01-01", "2026-01-01")).toEqual([
      { from: "2026-01-01", to: "2026-01-01" },
    ]);
    expect(splitDateWindows("2026-01-02", "2026-01-01")).toEqual([]);
  });

  it("computes the AvidXchange windows of the next poll up to today", () => {
    const windows = avidPollWindows({
      watermark: { timestamp: "2026-01-20T14:03:11Z", key: "4765360" },
      lookbackDays: 1,
      initialFrom: "2025-01-01",
      today: "2026-01-22",
    });
    expect(windows).toEqual([{ from: "2026-01-19", to: "2026-01-22" }]);
  });
});

describe("watermark advance", () => {
  it("moves to the greatest (timestamp, key) of the page", () => {
    const page = [
      { timestamp: "2026-01-22T14:03:11Z", key: "12" },
      { timestamp: "2026-01-22T14:03:11Z", key: "4765360" },
      { timestamp: "2026-01-21T09:00:00Z", key: "99999999" },
    ];
    // Keys of digits compare as numbers: 4765360 > 12.
    expect(advanceWatermark(undefined, page)).toEqual(page[1]);
  });

  it("never moves backwards over an overlapping re-read", () => {
    const current = { timestamp: "2026-01-22T14:03:11Z", key: "5" };
    const older = [{ timestamp: "2026-01-20T00:00:00Z", key: "9" }];
    expect(advanceWatermark(current, older)).toBe(current);
    expect(advanceWatermark(current, [])).toBe(current);
  });

  it("compares instants, whatever the notation", () => {
    const current = { timestamp: "2026-01-22 14:03:11", key: "1" };
    const later = { timestamp: "2026-01-22T15:03:11+01:00", key: "0" }; // same instant as current
    expect(advanceWatermark(current, [later])).toBe(current);
    const laterStill = { timestamp: "2026-01-22T14:03:11.12Z", key: "0" };
    expect(advanceWatermark(current, [laterStill])).toBe(laterStill);
  });
});
