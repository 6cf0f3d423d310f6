import { filter, map, pipe } from "graphql-yoga";
import { z } from "zod";

import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { uuidOf } from "./global-id.js";
import { SyncRunRef } from "./sync-run.js";

import type { SyncProgressEvent } from "../events/topics.js";

/**
 * Live progress of sync runs, fed by the event bus: any worker process publishes with
 * `publishEvent(sql, "syncProgress", …)` and every api replica's subscribers receive it.
 */

const SyncCount = builder.objectRef<[string, number]>("SyncCount").implement({
  description: "One named counter of a sync run, e.g. read, created, exceptions.",
  fields: (t) => ({
    name: t.string({
      description: "What is counted, e.g. read, created, updated, unchanged, exceptions.",
      resolve: ([name]) => name,
    }),
    value: t.int({ description: "How many so far.", resolve: ([, value]) => value }),
  }),
});

export const SyncProgress = builder.objectRef<SyncProgressEvent>("SyncProgress").implement({
  description:
    "A progress report from a sync run: sent while it runs and once more when it ends (state succeeded or failed).",
  fields: (t) => ({
    runId: t.exposeID("runId", {
      description: "The sync run's database id (as in logs); `syncRun` is the run itself.",
    }),
    syncRun: t.field({
      type: SyncRunRef,
      nullable: true,
      description:
        "The sync run as it is now, with its connection, counts and exceptions; empty if it no longer exists.",
      resolve: (event) => event.runId,
    }),
    connectionId: t.exposeID("connectionId", {
      description: "The connection's database id; `connection` is the connection itself.",
    }),
    connection: t.field({
      type: ConnectionRef,
      nullable: true,
      description: "The connection being synced; empty if it no longer exists.",
      resolve: (event) => event.connectionId,
    }),
    kind: t.exposeString("kind", { description: "What is synced, e.g. suppliers or invoices." }),
    state: t.exposeString("state", { description: "e.g. queued, running, succeeded, failed." }),
    counts: t.field({
      type: [SyncCount],
      description: "Counters so far, in a stable (alphabetical) order.",
      resolve: (event) => Object.entries(event.counts).sort(([a], [b]) => a.localeCompare(b)),
    }),
    message: t.exposeString("message", {
      nullable: true,
      description: "What the run is doing (e.g. started, finished), or why it failed.",
    }),
    at: t.field({
      type: "DateTime",
      description: "When the report was sent.",
      resolve: (event) => event.at,
    }),
  }),
});

builder.subscriptionField("syncProgress", (t) =>
  t.field({
    type: SyncProgress,
    description:
      "Progress of one sync run (runId) or of every run of a connection (connectionId). Give one of them.",
    args: {
      runId: t.arg.id({
        required: false,
        description: "Follow this run: its id from `triggerSync`, or its database id.",
      }),
      connectionId: t.arg.id({
        required: false,
        description: "Follow every run of this connection: its id, or its database id.",
      }),
    },
    validate: z
      .object({ runId: z.string().nullish(), connectionId: z.string().nullish() })
      .refine((args) => Boolean(args.runId) !== Boolean(args.connectionId), {
        message: "Give exactly one of runId or connectionId.",
      }),
    subscribe: (_root, args, ctx) => {
      const runId = args.runId ? uuidOf(String(args.runId), "SyncRun") : null;
      const connectionId = args.connectionId
        ? uuidOf(String(args.connectionId), "Connection")
        : null;
      return pipe(
        ctx.pubsub.subscribe("syncProgress"),
        filter((event: SyncProgressEvent) =>
          runId ? event.runId === runId : event.connectionId === connectionId,
        ),
        // Each event shows the records as they are now, not as the first event loaded them.
        map((event: SyncProgressEvent) => {
          ctx.renewCaches();
          return event;
        }),
      );
    },
    resolve: (event) => event,
  }),
);
