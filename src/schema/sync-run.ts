import { ConflictError, NotFoundError } from "../errors.js";
import {
  countSyncRuns,
  latestSyncRunsByConnectionIds,
  listSyncRuns,
  syncRunsByIds,
} from "../read-models/sync-runs.js";
import { triggerSync } from "../sync/commands/sync-runs.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { SyncKindEnum, SyncRunStateEnum } from "./enums.js";
import { DateTimeRangeInput, instantRangeOf, opt, optList } from "./filters.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";
import { outcome } from "./results.js";

import type { SyncRunRow } from "../read-models/sync-runs.js";

export const SyncRunRef = builder.loadableNodeRef("SyncRun", {
  id: { resolve: (run: SyncRunRow) => run.id },
  load: (ids: string[], ctx) => syncRunsByIds(ctx.db, ids),
  sort: (run) => run.id,
});

const SyncRunCountsRef = builder.objectRef<SyncRunRow>("SyncRunCounts").implement({
  description: "What a sync run did, record by record.",
  fields: (t) => ({
    read: t.exposeInt("countRead", { description: "Records read from the source system." }),
    created: t.exposeInt("countCreated", { description: "Records created in the other system." }),
    updated: t.exposeInt("countUpdated", { description: "Records updated in the other system." }),
    unchanged: t.exposeInt("countUnchanged", {
      description: "Records already as they should be; nothing sent.",
    }),
    exceptions: t.exposeInt("countExceptions", {
      description: "Records held for a person; see the run's exceptions.",
    }),
  }),
});

SyncRunRef.implement({
  description:
    "One execution of a sync for a connection: what it was asked to do, who asked, how far it got and what it did.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection synced.",
      type: ConnectionRef,
      resolve: (run) => run.connectionId,
    }),
    kind: t.expose("kind", { description: "What it syncs.", type: SyncKindEnum }),
    state: t.expose("state", {
      description: "Queued, running, or how it ended.",
      type: SyncRunStateEnum,
    }),
    dryRun: t.exposeBoolean("dryRun", {
      description: "Only computed what would happen (see `plan`); nothing was changed.",
    }),
    fullResync: t.exposeBoolean("fullResync", {
      description: "Re-read everything instead of only what changed since the last run.",
    }),
    force: t.exposeBoolean("force", {
      description: "Ran although the connection's GL mapping was not ready.",
    }),
    counts: t.field({
      description: "What it did, record by record.",
      type: SyncRunCountsRef,
      resolve: (run) => run,
    }),
    plan: t.expose("plan", {
      type: "JSON",
      nullable: true,
      description: "Dry runs: the requests and GL lines the run would have produced.",
    }),
    error: t.exposeString("error", {
      nullable: true,
      description: "Why the run failed, in plain words.",
    }),
    actor: t.exposeString("actor", {
      description: "Who started it: an API key name, schedule or cli.",
    }),
    replayTransactionId: t.exposeString("replayTransactionId", {
      nullable: true,
      description: "Replays: the transaction this run replays.",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was queued." }),
    startedAt: t.expose("startedAt", {
      description: "When a worker started it.",
      type: "DateTime",
      nullable: true,
    }),
    finishedAt: t.expose("finishedAt", {
      description: "When it ended.",
      type: "DateTime",
      nullable: true,
    }),
  }),
});

builder.objectField(ConnectionRef, "latestSyncRuns", (t) =>
  t.loadableGroup({
    type: SyncRunRef,
    description: "The newest run of each sync kind, for a dashboard.",
    load: (ids: string[], ctx) => latestSyncRunsByConnectionIds(ctx.db, ids),
    group: (run) => (run as SyncRunRow).connectionId,
    resolve: (connection) => connection.id,
  }),
);

const SyncRunFilterInput = builder.inputType("SyncRunFilter", {
  description: "Which sync runs to list. Filters combine (all must match).",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only runs of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    kinds: t.field({
      description: "Only runs of these kinds.",
      type: [SyncKindEnum],
      required: false,
    }),
    states: t.field({
      description: "Only runs in these states.",
      type: [SyncRunStateEnum],
      required: false,
    }),
    dryRun: t.boolean({
      description: "true: only dry runs; false: only real ones.",
      required: false,
    }),
    actor: t.string({ required: false, description: "An API key name, schedule or cli." }),
    createdAt: t.field({
      description: "Only runs queued in this period.",
      type: DateTimeRangeInput,
      required: false,
    }),
  }),
});

builder.queryFields((t) => ({
  syncRuns: t.connection(
    {
      type: SyncRunRef,
      description: "Sync runs, newest first.",
      args: {
        filter: t.arg({
          description: "Which runs; all when left out.",
          type: SyncRunFilterInput,
          required: false,
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          kinds: optList(f?.kinds),
          states: optList(f?.states),
          dryRun: opt(f?.dryRun),
          actor: opt(f?.actor),
          createdAt: instantRangeOf(f?.createdAt),
        };
        return keysetConnection(
          args,
          (page) => listSyncRuns(ctx.db, filter, page),
          () => countSyncRuns(ctx.db, filter),
        );
      },
    },
    {
      name: "SyncRunConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
  syncRun: t.field({
    type: SyncRunRef,
    nullable: true,
    description: "One sync run by id; null if there is none.",
    args: { id: t.arg.globalID({ description: "The run's id.", for: SyncRunRef, required: true }) },
    resolve: (_root, { id }) => id.id,
  }),
}));

builder.mutationFields((t) => ({
  triggerSync: t.field({
    type: SyncRunRef,
    description:
      "Start a sync now. Returns the queued run at once; follow it with `syncRun` or the `syncProgress` subscription. If the same sync is already waiting, that run is returned instead of a second one. Operator or admin.",
    authScopes: { operator: true },
    errors: outcome("starting the sync", [NotFoundError, ConflictError]),
    args: {
      connectionId: t.arg.globalID({
        description: "The connection to sync.",
        for: ConnectionRef,
        required: true,
      }),
      kind: t.arg({ description: "What to sync.", type: SyncKindEnum, required: true }),
      dryRun: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: "Compute what would happen (stored as the run's plan) and change nothing.",
      }),
      fullResync: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: "Re-read everything, not only what changed since the last run.",
      }),
      force: t.arg.boolean({
        required: false,
        defaultValue: false,
        description:
          "Invoices: run even if the GL mapping is not ready (unmapped lines still become exceptions).",
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { run } = await triggerSync(ctx.db, ctx.commands.jobs, {
        connectionId: args.connectionId.id,
        kind: args.kind,
        dryRun: args.dryRun ?? false,
        fullResync: args.fullResync ?? false,
        force: args.force ?? false,
        actor: ctx.principal.name,
      });
      return run;
    },
  }),
}));
