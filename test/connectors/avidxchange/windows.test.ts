import { describe, expect, it } from "vitest";

import { formatBound, splitWindow } from "../../../src/connectors/avidxchange/windows.js";

const days = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;

describe("splitWindow", () => {
  it("keeps a window within the limit whole", () => {
    expect(splitWindow("2026-01-01", "2026-01-31", 31)).toEqual([
      { from: "2026-01-01", to: "2026-01-31" },
    ]);
    expect(splitWindow("2026-01-05", "2026-01-05", 31)).toEqual([
      { from: "2026-01-05", to: "2026-01-05" },
    ]);
  });

  it("splits a long day window into consecutive windows of at most 31 days, no gap", () => {
    const windows = splitWindow("2026-01-01", "2026-04-15", 31);
    expect(windows).toEqual([
      { from: "2026-01-01", to: "2026-01-31" },
      { from: "2026-02-01", to: "2026-03-03" },
      { from: "2026-03-04", to: "2026-04-03" },
      { from: "2026-04-04", to: "2026-04-15" },
    ]);
    for (const w of windows) {
      expect(days(w.from, w.to)).toBeLessThanOrEqual(31);
    }
    const covered = windows.reduce((n, w) => n + days(w.from, w.to), 0);
    expect(covered).toBe(days("2026-01-01", "2026-04-15"));
  });

  it("splits date-time windows sharing their bounds (inclusive, so they overlap)", () => {
    const windows = splitWindow("2026-01-01T10:00:00Z", new Date("2026-03-01T10:00:00Z"), 31);
    expect(windows[0]).toEqual({
      from: "2026-01-01T10:00:00.000Z",
      to: "2026-01-31T10:00:00.000Z",
    });
    expect(windows[1]).toEqual({
      from: "2026-01-31T10:00:00.000Z",
      to: "2026-03-01T10:00:00.000Z",
    });
    expect(windows).toHaveLength(2);
    for (const w of windows) {
      // Counted in calendar dates touched, each stays within 31.
      expect(days(w.from.slice(0, 10), w.to.slice(0, 10))).toBeLessThanOrEqual(31);
    }
  });

  it("treats a mix of a date and a date-time as instants, the date covering its whole day", () => {
    expect(splitWindow("2026-01-01", "2026-01-02T00:00:00Z", 31)).toEqual([
      { from: "2026-01-01T00:00:00.000Z", to: "2026-01-02T00:00:00.000Z" },
    ]);
    expect(splitWindow("2026-01-01T00:00:00Z", "2026-01-01", 31)).toEqual([
      { from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T23:59:59.999Z" },
    ]);
  });

  it("refuses reversed windows, impossible dates and silly limits", () => {
    expect(() => splitWindow("2026-02-01", "2026-01-01", 31)).toThrow(RangeError);
    expect(() => splitWindow("2026-02-30", "2026-03-01", 31)).toThrow(RangeError);
    expect(() => splitWindow("2026-01-01", "2026-01-02", 1)).toThrow(RangeError);
    expect(() => splitWindow("yesterday", "2026-01-02", 31)).toThrow(RangeError);
  });
});

describe("formatBound", () => {
  it("keeps dates, normalises date-times to UTC ISO", () => {
    expect(formatBound("2026-01-05")).toBe("2026-01-05");
    expect(formatBound("2026-01-05T10:00:00+02:00")).toBe("2026-01-05T08:00:00.000Z");
    expect(formatBound(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
  });
});
