import { and, eq } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { connections, schedules } from "../../db/schema/index.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import { recordAuditEvent } from "../../events/audit.js";
import { SYNC_KINDS } from "../../glossary.js";
import { isUuid } from "../../read-models/ids.js";
import { isInvalidConfigurationError } from "../errors.js";
import { END_OF_DAY, defaultSchedule, nextRunAt, validateSchedule } from "../schedules.js";

import type { Executor, Tx } from "../../db/client.js";
import type { SyncKind } from "../../glossary.js";
import type { Schedule } from "../schedules.js";

export type ScheduleRecord = typeof schedules.$inferSelect;

/** The schedule a row describes, in the terms of `src/sync/schedules.ts`. */
export function scheduleOfRow(row: ScheduleRecord): Schedule {
  if (row.dailyAt !== null) {
    const at = row.dailyAt.slice(0, 5);
    return { kind: "daily", at, timeZone: row.timeZone, paused: row.paused };
  }
  return {
    kind: "interval",
    everyMinutes: Math.max(1, Math.round((row.intervalSeconds ?? 600) / 60)),
    paused: row.paused,
  };
}

export interface SetScheduleInput {
  readonly connectionId: string;
  readonly kind: SyncKind;
  /** Run every N minutes… */
  readonly everyMinutes?: number | null | undefined;
  /** …or once a day at local `HH:MM` (or `end-of-day`) in `timeZone`. */
  readonly dailyAt?: string | null | undefined;
  /** IANA zone for `dailyAt`; default UTC. */
  readonly timeZone?: string | null | undefined;
  /** Keep the schedule but do not run it. Default: unchanged (new schedules run). */
  readonly paused?: boolean | null | undefined;
  readonly actor: string;
  readonly now?: Date;
}

/** Creates or replaces the schedule of one sync kind of a connection; the next run is recomputed. */
export async function setSchedule(
  executor: Executor,
  input: SetScheduleInput,
): Promise<ScheduleRecord> {
  const hasInterval = input.everyMinutes != null;
  const hasDaily = input.dailyAt != null;
  if (hasInterval === hasDaily) {
    throw new ValidationError([
      { path: ["input"], message: "Give exactly one of everyMinutes or dailyAt." },
    ]);
  }
  const timeZone = input.timeZone ?? "UTC";
  return withTransaction(executor, async (tx) => {
    await requireConnection(tx, input.connectionId);
    const [existing] = await tx
      .select()
      .from(schedules)
      .where(and(eq(schedules.connectionId, input.connectionId), eq(schedules.kind, input.kind)))
      .for("update");
    const paused = input.paused ?? existing?.paused ?? false;
    const schedule: Schedule = hasInterval
      ? { kind: "interval", everyMinutes: input.everyMinutes ?? 0, paused }
      : { kind: "daily", at: input.dailyAt ?? "", timeZone, paused };
    try {
      validateSchedule(schedule);
    } catch (e) {
      if (isInvalidConfigurationError(e)) {
        throw new ValidationError(
          [
            {
              path: ["input", hasInterval ? "everyMinutes" : "dailyAt"],
              message: capitalise(e.message),
            },
          ],
          { cause: e },
        );
      }
      throw e;
    }
    const values = {
      ...timingColumns(schedule),
      timeZone,
      paused,
      nextRunAt: nextRunAt(schedule, {
        now: input.now ?? new Date(),
        ...(existing?.lastRunAt ? { lastRunAt: existing.lastRunAt } : {}),
      }),
    };
    const [row] = existing
      ? await tx.update(schedules).set(values).where(eq(schedules.id, existing.id)).returning()
      : await tx
          .insert(schedules)
          .values({ connectionId: input.connectionId, kind: input.kind, ...values })
          .returning();
    if (!row) {
      throw new Error("schedule upsert returned no row");
    }
    await audit(tx, "schedule.set", row, input.actor, {
      everyMinutes: schedule.kind === "interval" ? schedule.everyMinutes : null,
      dailyAt: schedule.kind === "daily" ? schedule.at : null,
      timeZone: schedule.kind === "daily" ? timeZone : null,
      paused,
      replaced: Boolean(existing),
    });
    return row;
  });
}

/** Pauses (or resumes) a schedule. Resuming recomputes the next run from the last one. */
export async function setSchedulePaused(
  executor: Executor,
  input: {
    readonly scheduleId: string;
    readonly paused: boolean;
    readonly actor: string;
    readonly now?: Date;
  },
): Promise<ScheduleRecord> {
  return withTransaction(executor, async (tx) => {
    const [existing] = isUuid(input.scheduleId)
      ? await tx.select().from(schedules).where(eq(schedules.id, input.scheduleId)).for("update")
      : [];
    if (!existing) {
      throw new NotFoundError("Schedule");
    }
    if (existing.paused === input.paused) {
      return existing;
    }
    const schedule = { ...scheduleOfRow(existing), paused: input.paused };
    const [row] = await tx
      .update(schedules)
      .set({
        paused: input.paused,
        nextRunAt: nextRunAt(schedule, {
          now: input.now ?? new Date(),
          ...(existing.lastRunAt ? { lastRunAt: existing.lastRunAt } : {}),
        }),
      })
      .where(eq(schedules.id, existing.id))
      .returning();
    if (!row) {
      throw new Error("schedule update returned no row");
    }
    await audit(tx, input.paused ? "schedule.paused" : "schedule.resumed", row, input.actor, {});
    return row;
  });
}

/**
 * Gives a connection the default schedule (`defaultSchedule`) of every sync kind it has none for;
 * existing schedules are left as they are, so calling it again changes nothing. Connections have no
 * time zone of their own, so daily defaults are read in UTC until an operator sets one.
 *
 * The first run is one period away, as if one had just run: credentials and mappings are set after
 * the connection is created, and a poll before then could only fail (`triggerSync` starts one at once).
 */
export async function seedDefaultSchedules(
  executor: Executor,
  connectionId: string,
  now: Date = new Date(),
): Promise<void> {
  const rows = SYNC_KINDS.map((kind) => {
    const schedule = defaultSchedule(kind, "UTC");
    return {
      connectionId,
      kind,
      ...timingColumns(schedule),
      timeZone: "UTC",
      paused: false,
      nextRunAt: nextRunAt(schedule, { now, lastRunAt: now }),
    };
  });
  await executor
    .insert(schedules)
    .values(rows)
    .onConflictDoNothing({ target: [schedules.connectionId, schedules.kind] });
}

function timingColumns(schedule: Schedule): {
  intervalSeconds: number | null;
  dailyAt: string | null;
} {
  return {
    intervalSeconds: schedule.kind === "interval" ? schedule.everyMinutes * 60 : null,
    dailyAt:
      schedule.kind === "daily" ? `${schedule.at === END_OF_DAY ? "23:59" : schedule.at}:00` : null,
  };
}

async function requireConnection(tx: Tx, connectionId: string): Promise<void> {
  const [row] = isUuid(connectionId)
    ? await tx
        .select({ id: connections.id })
        .from(connections)
        .where(eq(connections.id, connectionId))
    : [];
  if (!row) {
    throw new NotFoundError("Connection");
  }
}

async function audit(
  tx: Tx,
  type: string,
  row: ScheduleRecord,
  actor: string,
  data: Record<string, unknown>,
): Promise<void> {
  await recordAuditEvent(tx, {
    type,
    actor,
    connectionId: row.connectionId,
    subjectType: "schedule",
    subjectId: row.id,
    data: { kind: row.kind, nextRunAt: row.nextRunAt?.toISOString() ?? null, ...data },
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith(".") ? "" : ".");
}
