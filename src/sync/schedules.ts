import { InvalidConfigurationError } from "./errors.js";

import type { SyncKind } from "../glossary.js";

/**
 * Schedule arithmetic per connection and stream: when is the next run due? Pure: the schedules live
 * in the database and the job layer asks these functions, passing the clock in.
 *
 * A run that was missed (the gateway was down) is due at once and only once: the next run reads
 * from its watermark, so one catch-up run covers every missed one.
 */

export type Schedule =
  | { readonly kind: "interval"; readonly everyMinutes: number; readonly paused?: boolean }
  | {
      readonly kind: "daily";
      /** Local wall-clock time `HH:MM`, or `end-of-day` (23:59 local: the day's activity is in). */
      readonly at: string;
      /** IANA zone of the connection, e.g. `America/Chicago`. */
      readonly timeZone: string;
      readonly paused?: boolean;
    };

export const END_OF_DAY = "end-of-day";

/** Defaults per sync kind (the unit of scheduling): the OData polls of ApSupplier, PorMasterHdr and
 * ApInvoice every 10 minutes (our product's promise), AvidXchange approval states on the same beat,
 * payments once a day at 17:30 local, reference data (GenMaster and enterprise codes) hourly: it
 * changes rarely, and AvidXchange's rate limit is better spent on invoices. */
export function defaultSchedule(kind: SyncKind, timeZone: string): Schedule {
  switch (kind) {
    case "payments":
      return { kind: "daily", at: "17:30", timeZone };
    case "reference_data":
      return { kind: "interval", everyMinutes: 60 };
    case "suppliers":
    case "purchase_orders":
    case "invoices":
    case "approvals":
      return { kind: "interval", everyMinutes: 10 };
  }
}

/** Throws `InvalidConfigurationError` for a schedule that cannot be computed. */
export function validateSchedule(schedule: Schedule): void {
  if (schedule.kind === "interval") {
    if (!Number.isInteger(schedule.everyMinutes) || schedule.everyMinutes < 1) {
      throw new InvalidConfigurationError(
        `interval must be whole minutes ≥ 1, not ${schedule.everyMinutes}`,
      );
    }
    return;
  }
  parseTimeOfDay(schedule.at);
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: schedule.timeZone });
  } catch (cause) {
    throw new InvalidConfigurationError(`unknown time zone "${schedule.timeZone}"`, { cause });
  }
}

/**
 * When the next run is due: `null` when paused; otherwise an instant, which may be at or before
 * `now` (due: run at once). With no previous run an interval schedule is due now and a daily one at
 * its next occurrence.
 */
export function nextRunAt(
  schedule: Schedule,
  state: { readonly lastRunAt?: Date; readonly now: Date },
): Date | null {
  validateSchedule(schedule);
  if (schedule.paused) {
    return null;
  }
  if (schedule.kind === "interval") {
    return state.lastRunAt
      ? new Date(state.lastRunAt.getTime() + schedule.everyMinutes * 60_000)
      : state.now;
  }
  const { hour, minute } = parseTimeOfDay(schedule.at);
  if (!state.lastRunAt) {
    return nextOccurrence(state.now, hour, minute, schedule.timeZone, true);
  }
  return nextOccurrence(state.lastRunAt, hour, minute, schedule.timeZone, false);
}

export function isDue(
  schedule: Schedule,
  state: { readonly lastRunAt?: Date; readonly now: Date },
): boolean {
  const next = nextRunAt(schedule, state);
  return next !== null && next.getTime() <= state.now.getTime();
}

function parseTimeOfDay(at: string): { hour: number; minute: number } {
  if (at === END_OF_DAY) {
    return { hour: 23, minute: 59 };
  }
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (!match) {
    throw new InvalidConfigurationError(
      `time of day must be HH:MM or "${END_OF_DAY}", not "${at}"`,
    );
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The first instant at local `hour:minute` in `timeZone` after `from` (or at it, if `inclusive`). */
function nextOccurrence(
  from: Date,
  hour: number,
  minute: number,
  timeZone: string,
  inclusive: boolean,
): Date {
  const local = localDate(from, timeZone);
  for (let offsetDays = 0; offsetDays <= 2; offsetDays += 1) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + offsetDays));
    const candidate = zonedToUtc(
      {
        year: day.getUTCFullYear(),
        month: day.getUTCMonth() + 1,
        day: day.getUTCDate(),
        hour,
        minute,
      },
      timeZone,
    );
    if (
      candidate.getTime() > from.getTime() ||
      (inclusive && candidate.getTime() === from.getTime())
    ) {
      return candidate;
    }
  }
  // Unreachable: within two local days a wall-clock time always comes round again.
  throw new InvalidConfigurationError(`no next occurrence of ${hour}:${minute} in ${timeZone}`);
}

interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

function localDate(instant: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
  };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  const l = localDate(new Date(instant), timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The UTC instant of a local wall-clock time. Two passes settle the offset across a DST change. A
 * time inside the spring-forward gap (02:30 on the day clocks jump to 03:00) comes out an hour early,
 * at 01:30; an ambiguous fall-back time comes out as its first occurrence. Either way the schedule
 * still runs exactly once that day, which is all a poll needs.
 */
function zonedToUtc(local: LocalTime, timeZone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  return new Date(guess);
}
