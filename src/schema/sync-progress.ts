import { filter, pipe } from "graphql-yoga";
import { z } from "zod";

import { builder } from "./builder.js";
import { rawIdOf } from "./global-id.js";

import type { SyncProgressEvent } from "../events/topics.js";

/**
 * Live progress of sync runs, fed by the event bus: any worker process publishes with
 * `publishEvent(sql, "syncProgress", …)` and every api replica's subscribers receive it.
 */

const SyncCount = builder.objectRef<[string, number]>("SyncCount").implement({
  description: "One named counter of a sync run, e.g. read, created, exceptions.",
  fields: (t) => ({
    name: t.string({ resolve: ([name]) => name }),
    value: t.int({ resolve: ([, value]) => value }),
  }),
});

export const SyncProgress = builder.objectRef<SyncProgressEvent>("SyncProgress").implement({
  description: "A progress report from a running sync.",
  fields: (t) => ({
    runId: t.exposeID("runId", { description: "The sync run's id." }),
    connectionId: t.exposeID("connectionId"),
    kind: t.exposeString("kind", { description: "What is synced, e.g. suppliers or invoices." }),
    state: t.exposeString("state", { description: "e.g. queued, running, succeeded, failed." }),
    counts: t.field({
      type: [SyncCount],
      description: "Counters so far, in a stable (alphabetical) order.",
      resolve: (event) => Object.entries(event.counts).sort(([a], [b]) => a.localeCompare(b)),
    }),
    message: t.exposeString("message", { nullable: true }),
    at: t.field({ type: "DateTime", resolve: (event) => event.at }),
  }),
});

builder.subscriptionField("syncProgress", (t) =>
  t.field({
    type: SyncProgress,
    description:
      "Progress of one sync run (runId) or of every run of a connection (connectionId). Give one of them.",
    args: {
      runId: t.arg.id({ required: false }),
      connectionId: t.arg.id({ required: false }),
    },
    validate: z
      .object({ runId: z.string().nullish(), connectionId: z.string().nullish() })
      .refine((args) => Boolean(args.runId) !== Boolean(args.connectionId), {
        message: "Give exactly one of runId or connectionId.",
      }),
    subscribe: (_root, args, ctx) => {
      const runId = args.runId ? rawIdOf(String(args.runId), "SyncRun") : null;
      const connectionId = args.connectionId
        ? rawIdOf(String(args.connectionId), "Connection")
        : null;
      return pipe(
        ctx.pubsub.subscribe("syncProgress"),
        filter((event: SyncProgressEvent) =>
          runId ? event.runId === runId : event.connectionId === connectionId,
        ),
      );
    },
    resolve: (event) => event,
  }),
);
