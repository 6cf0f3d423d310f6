import { describe, expect, it } from "vitest";

import { isInvalidConfigurationError } from "../../src/sync/errors.js";
import { defaultSchedule, isDue, nextRunAt } from "../../src/sync/schedules.js";

const at = (iso: string) => new Date(iso);

describe("schedules", () => {
  it("defaults: OData streams every 10 minutes, payments daily at 17:30 local", () => {
    expect(defaultSchedule("invoices", "UTC")).toEqual({
      kind: "interval",
      everyMinutes: 10,
    });
    expect(defaultSchedule("payments", "America/Chicago")).toEqual({
      kind: "daily",
      at: "17:30",
      timeZone: "America/Chicago",
    });
  });

  it("runs an interval schedule every N minutes after the last run", () => {
    const schedule = { kind: "interval", everyMinutes: 10 } as const;
    expect(nextRunAt(schedule, { now: at("2026-01-15T10:00:00Z") })).toEqual(
      at("2026-01-15T10:00:00Z"),
    );
    const state = { lastRunAt: at("2026-01-15T10:00:00Z"), now: at("2026-01-15T10:05:00Z") };
    expect(nextRunAt(schedule, state)).toEqual(at("2026-01-15T10:10:00Z"));
    expect(isDue(schedule, state)).toBe(false);
    expect(isDue(schedule, { ...state, now: at("2026-01-15T10:10:00Z") })).toBe(true);
  });

  it("runs a daily schedule at local time in the connection's zone, across DST", () => {
    const schedule = { kind: "daily", at: "17:30", timeZone: "America/Chicago" } as const;
    // January: CST (UTC−6) → 23:30Z.
    expect(nextRunAt(schedule, { now: at("2026-01-15T12:00:00Z") })).toEqual(
      at("2026-01-15T23:30:00Z"),
    );
    // July: CDT (UTC−5) → 22:30Z.
    expect(nextRunAt(schedule, { now: at("2026-07-15T12:00:00Z") })).toEqual(
      at("2026-07-15T22:30:00Z"),
    );
    // After today's run: tomorrow.
    const state = { lastRunAt: at("2026-01-15T23:30:05Z"), now: at("2026-01-16T01:00:00Z") };
    expect(nextRunAt(schedule, state)).toEqual(at("2026-01-16T23:30:00Z"));
    // The day DST starts (8 March 2026), 17:30 is already CDT.
    const dstDay = { lastRunAt: at("2026-03-07T23:30:00Z"), now: at("2026-03-08T12:00:00Z") };
    expect(nextRunAt(schedule, dstDay)).toEqual(at("2026-03-08T22:30:00Z"));
  });

  it("still runs once on the day a DST gap swallows the scheduled time", () => {
    const schedule = { kind: "daily", at: "02:30", timeZone: "America/Chicago" } as const;
    const next = nextRunAt(schedule, {
      lastRunAt: at("2026-03-07T08:30:00Z"),
      now: at("2026-03-08T00:00:00Z"),
    });
    expect(next).toEqual(at("2026-03-08T07:30:00Z")); // 01:30 CST, just before the jump
    expect(nextRunAt(schedule, { lastRunAt: next!, now: next! })).toEqual(
      at("2026-03-09T07:30:00Z"),
    );
  });

  it("runs end-of-day at 23:59 local", () => {
    const schedule = { kind: "daily", at: "end-of-day", timeZone: "Europe/Amsterdam" } as const;
    expect(nextRunAt(schedule, { now: at("2026-01-15T12:00:00Z") })).toEqual(
      at("2026-01-15T22:59:00Z"),
    );
  });

  it("collapses missed runs into one catch-up run, due now", () => {
    const schedule = { kind: "daily", at: "17:30", timeZone: "UTC" } as const;
    const state = { lastRunAt: at("2026-01-10T17:30:00Z"), now: at("2026-01-15T09:00:00Z") };
    expect(isDue(schedule, state)).toBe(true);
    // Once it ran, the next one is today's regular run.
    expect(nextRunAt(schedule, { lastRunAt: state.now, now: state.now })).toEqual(
      at("2026-01-15T17:30:00Z"),
    );
  });

  it("never runs while paused", () => {
    const schedule = { kind: "interval", everyMinutes: 10, paused: true } as const;
    expect(nextRunAt(schedule, { now: at("2026-01-15T10:00:00Z") })).toBeNull();
    expect(isDue(schedule, { now: at("2026-01-15T10:00:00Z") })).toBe(false);
  });

  it("rejects an unknown zone, a bad time and a zero interval", () => {
    for (const schedule of [
      { kind: "daily", at: "17:30", timeZone: "Mars/Olympus" },
      { kind: "daily", at: "25:00", timeZone: "UTC" },
      { kind: "interval", everyMinutes: 0 },
    ] as const) {
      try {
        nextRunAt(schedule, { now: at("2026-01-15T10:00:00Z") });
        expect.unreachable();
      } catch (error) {
        expect(isInvalidConfigurationError(error)).toBe(true);
      }
    }
  });
});
