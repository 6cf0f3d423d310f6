import { z } from "zod";

import { NotFoundError } from "../errors.js";
import {
  listSchedules,
  schedulesByConnectionIds,
  schedulesByIds,
} from "../read-models/sync-runs.js";
import { setSchedule, setSchedulePaused } from "../sync/commands/schedules.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { SyncKindEnum } from "./enums.js";
import { opt } from "./filters.js";
import { outcome } from "./results.js";

import type { ScheduleRow } from "../read-models/sync-runs.js";

export const ScheduleRef = builder.loadableNodeRef("Schedule", {
  id: { resolve: (schedule: ScheduleRow) => schedule.id },
  load: (ids: string[], ctx) => schedulesByIds(ctx.db, ids),
  sort: (schedule) => schedule.id,
});

ScheduleRef.implement({
  description:
    "When one sync kind runs for a connection: every N minutes, or once a day at a local time. Runs missed while the gateway was down are caught up by one run.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection it belongs to.",
      type: ConnectionRef,
      resolve: (s) => s.connectionId,
    }),
    kind: t.expose("kind", { description: "The sync it runs.", type: SyncKindEnum }),
    everyMinutes: t.int({
      nullable: true,
      description: "Interval schedules: minutes between runs.",
      resolve: (s) => (s.intervalSeconds === null ? null : Math.round(s.intervalSeconds / 60)),
    }),
    dailyAt: t.string({
      nullable: true,
      description: "Daily schedules: the local time of day, HH:MM.",
      resolve: (s) => (s.dailyAt === null ? null : s.dailyAt.slice(0, 5)),
    }),
    timeZone: t.exposeString("timeZone", {
      description: "The IANA time zone of dailyAt, e.g. America/Chicago.",
    }),
    paused: t.exposeBoolean("paused", { description: "Paused schedules do not run." }),
    nextRunAt: t.expose("nextRunAt", {
      type: "DateTime",
      nullable: true,
      description: "When it runs next; empty while paused.",
    }),
    lastRunAt: t.expose("lastRunAt", {
      description: "When it last started a run.",
      type: "DateTime",
      nullable: true,
    }),
    updatedAt: t.expose("updatedAt", {
      description: "When the gateway last changed it.",
      type: "DateTime",
    }),
  }),
});

builder.objectField(ConnectionRef, "schedules", (t) =>
  t.loadableGroup({
    type: ScheduleRef,
    description: "The connection's schedules, by sync kind.",
    load: (ids: string[], ctx) => schedulesByConnectionIds(ctx.db, ids),
    group: (s) => (s as ScheduleRow).connectionId,
    resolve: (connection) => connection.id,
  }),
);

builder.queryField("schedules", (t) =>
  t.field({
    type: [ScheduleRef],
    description: "Schedules, by connection and sync kind.",
    args: {
      connectionIds: t.arg.globalIDList({
        description: "Only schedules of these connections.",
        for: ConnectionRef,
        required: false,
      }),
      paused: t.arg.boolean({
        description: "true: only paused schedules; false: only running ones.",
        required: false,
      }),
    },
    resolve: (_root, args, ctx) =>
      listSchedules(ctx.db, {
        connectionIds: args.connectionIds?.map((id) => id.id),
        paused: opt(args.paused),
      }),
  }),
);

const SetScheduleInput = builder.inputType("SetScheduleInput", {
  description:
    "When a sync kind runs for a connection. Give everyMinutes, or dailyAt (with timeZone). Replaces the kind's schedule if it has one.",
  fields: (t) => ({
    connectionId: t.globalID({
      description: "The connection.",
      for: ConnectionRef,
      required: true,
    }),
    kind: t.field({ description: "The sync to schedule.", type: SyncKindEnum, required: true }),
    everyMinutes: t.int({
      description: "Run every N minutes (1 to 10080).",
      required: false,
      validate: z
        .number()
        .int()
        .min(1, "At least every minute.")
        .max(10_080, "At most weekly.")
        .nullish(),
    }),
    dailyAt: t.string({
      required: false,
      description: "Local time of day HH:MM, or end-of-day (23:59).",
    }),
    timeZone: t.string({
      required: false,
      description: "IANA time zone of dailyAt, e.g. America/Chicago. Default UTC.",
    }),
    paused: t.boolean({ required: false, description: "Default: as it was (new schedules run)." }),
  }),
});

builder.mutationFields((t) => ({
  setSchedule: t.field({
    type: ScheduleRef,
    description: "Create or change when a sync kind runs for a connection. Operator or admin.",
    authScopes: { operator: true },
    errors: outcome("setting the schedule", [NotFoundError]),
    args: {
      input: t.arg({
        description: "The connection, the sync and when it runs.",
        type: SetScheduleInput,
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) =>
      setSchedule(ctx.db, {
        connectionId: input.connectionId.id,
        kind: input.kind,
        everyMinutes: input.everyMinutes,
        dailyAt: input.dailyAt,
        timeZone: input.timeZone,
        paused: input.paused,
        actor: ctx.principal.name,
      }),
  }),
  pauseSchedule: t.field({
    type: ScheduleRef,
    description: "Stop a schedule from running until it is resumed. Operator or admin.",
    authScopes: { operator: true },
    errors: outcome("pausing the schedule", [NotFoundError]),
    args: {
      id: t.arg.globalID({
        description: "The schedule to pause.",
        for: ScheduleRef,
        required: true,
      }),
    },
    resolve: (_root, { id }, ctx) =>
      setSchedulePaused(ctx.db, { scheduleId: id.id, paused: true, actor: ctx.principal.name }),
  }),
  resumeSchedule: t.field({
    type: ScheduleRef,
    description:
      "Let a paused schedule run again; a run it missed while paused is due at once. Operator or admin.",
    authScopes: { operator: true },
    errors: outcome("resuming the schedule", [NotFoundError]),
    args: {
      id: t.arg.globalID({
        description: "The schedule to resume.",
        for: ScheduleRef,
        required: true,
      }),
    },
    resolve: (_root, { id }, ctx) =>
      setSchedulePaused(ctx.db, { scheduleId: id.id, paused: false, actor: ctx.principal.name }),
  }),
}));
