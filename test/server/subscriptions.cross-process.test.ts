import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { and, asc, eq, gt } from "drizzle-orm";
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { auditEvents, syncRuns } from "../../src/db/schema/index.js";
import { waitUntil } from "../events/publisher.js";
import { guardLeaks } from "../setup/leaks.js";
import { startSandboxedApi } from "./sandboxed-api.js";
import { subscribeSse } from "./sse.js";

import type { SandboxedApi } from "./sandboxed-api.js";
import type { SubscriptionResult } from "./sse.js";

guardLeaks();

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./fixtures/sync-worker.ts", import.meta.url));

let api: SandboxedApi;
beforeAll(async () => {
  api = await startSandboxedApi();
});
afterAll(async () => {
  await api?.close();
});

interface Progress {
  state: string;
  message: string | null;
  counts: { name: string; value: number }[];
  syncRun: { id: string; kind: string; state: string; counts: { read: number } } | null;
}
interface Notice {
  id: string;
  type: string;
  actor: string;
  subjectType: string | null;
  event: { type: string; connection: { id: string } | null } | null;
}

const SYNC_PROGRESS = /* GraphQL */ `
  subscription ($runId: ID!) {
    syncProgress(runId: $runId) {
      state
      message
      counts {
        name
        value
      }
      syncRun {
        id
        kind
        state
        counts {
          read
        }
      }
    }
  }
`;
const AUDIT_EVENTS = /* GraphQL */ `
  subscription ($connectionId: ID!) {
    auditEvents(connectionId: $connectionId) {
      id
      type
      actor
      subjectType
      event {
        type
        connection {
          id
        }
      }
    }
  }
`;

/** Pulls results from a subscription into `into` until `last` says the stream has what we need. */
async function collect<T>(
  next: () => Promise<SubscriptionResult<T>>,
  into: T[],
  last: (value: T) => boolean,
): Promise<void> {
  for (;;) {
    const result = await next();
    if (result.errors?.length || !result.data) {
      throw new Error(`subscription error: ${JSON.stringify(result)}`);
    }
    into.push(result.data);
    if (last(result.data)) {
      return;
    }
  }
}

async function triggerSuppliersSync(): Promise<{ id: string; state: string }> {
  const response = await fetch(api.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${api.keys.operator}`,
    },
    body: JSON.stringify({
      query: `mutation ($connectionId: ID!) {
        triggerSync(connectionId: $connectionId, kind: SUPPLIERS) {
          __typename
          ... on MutationTriggerSyncSuccess { data { id state } }
        }
      }`,
      variables: { connectionId: connectionGlobalId() },
    }),
  });
  const body = (await response.json()) as {
    data: { triggerSync: { __typename: string; data: { id: string; state: string } } };
  };
  expect(body.data.triggerSync.__typename).toBe("MutationTriggerSyncSuccess");
  return body.data.triggerSync.data;
}

const connectionGlobalId = () => Buffer.from(`Connection:${api.connectionId}`).toString("base64");

describe("subscriptions while a worker in another process runs a sync", () => {
  it("deliver the run's progress, its final state and its audit events over SSE and WebSocket", async () => {
    const { events, database, keys, url } = api;
    const queued = await triggerSuppliersSync();
    expect(queued.state).toBe("QUEUED");
    const [{ lastAudit } = { lastAudit: 0n }] = await database.sql<{ lastAudit: bigint }[]>`
      select coalesce(max(id), 0)::bigint as "lastAudit" from audit_events`;

    const progressVariables = { runId: queued.id };
    const auditVariables = { connectionId: connectionGlobalId() };
    const isFinal = (p: { syncProgress: Progress }) => p.syncProgress.state !== "running";
    const isRunEnd = (n: { auditEvents: Notice }) => n.auditEvents.type.startsWith("sync.");

    const sseProgress = await subscribeSse<{ syncProgress: Progress }>(
      url,
      keys.viewer,
      SYNC_PROGRESS,
      progressVariables,
    );
    const sseAudit = await subscribeSse<{ auditEvents: Notice }>(
      url,
      keys.viewer,
      AUDIT_EVENTS,
      auditVariables,
    );
    const ws = createClient({
      url: url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${keys.viewer}` },
    });
    const wsProgress = ws.iterate<{ syncProgress: Progress }>({
      query: SYNC_PROGRESS,
      variables: progressVariables,
    });
    const wsAudit = ws.iterate<{ auditEvents: Notice }>({
      query: AUDIT_EVENTS,
      variables: auditVariables,
    });
    const wsNext =
      <T>(iterator: AsyncIterator<SubscriptionResult<T>>) =>
      async (): Promise<SubscriptionResult<T>> => {
        const result: IteratorResult<SubscriptionResult<T>> = await iterator.next();
        if (result.done) {
          throw new Error("the WebSocket subscription ended");
        }
        return result.value;
      };

    const seen = {
      sseProgress: [] as { syncProgress: Progress }[],
      sseAudit: [] as { auditEvents: Notice }[],
      wsProgress: [] as { syncProgress: Progress }[],
      wsAudit: [] as { auditEvents: Notice }[],
    };
    try {
      // Pulling starts the subscriptions; the worker starts only once all four are live.
      const collected = Promise.all([
        collect(() => sseProgress.next(), seen.sseProgress, isFinal),
        collect(() => sseAudit.next(), seen.sseAudit, isRunEnd),
        collect(wsNext(wsProgress), seen.wsProgress, isFinal),
        collect(wsNext(wsAudit), seen.wsAudit, isRunEnd),
      ]);
      await waitUntil(
        () =>
          events.listenerCount("syncProgress") === 2 && events.listenerCount("auditEvents") === 2,
        "two syncProgress and two auditEvents subscriptions are live",
      );

      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", worker, JSON.stringify(api.workerArgs)],
        { timeout: 60_000 },
      );
      const child = JSON.parse(stdout) as { pid: number; rounds: number };
      expect(child.pid).not.toBe(process.pid);
      expect(child.rounds).toBeGreaterThan(0);
      await collected;
    } finally {
      await sseProgress.close();
      await sseAudit.close();
      await wsProgress.return?.();
      await wsAudit.return?.();
      await ws.dispose();
    }

    // What the worker recorded is what both transports delivered.
    const [row] = await database.db.select().from(syncRuns);
    expect(row?.state).toBe("succeeded");
    expect(row!.countRead).toBeGreaterThan(0);
    expect(row!.countCreated).toBeGreaterThan(0);

    for (const progress of [seen.sseProgress, seen.wsProgress]) {
      const reports = progress.map((p) => p.syncProgress);
      expect(reports.length).toBeGreaterThanOrEqual(3);
      expect(reports.slice(0, -1).every((p) => p.state === "running")).toBe(true);
      expect(reports[0]?.message).toBe("started");
      const final = reports.at(-1)!;
      expect(final.state).toBe("succeeded");
      expect(final.message).toBeNull();
      expect(Object.fromEntries(final.counts.map((c) => [c.name, c.value]))).toEqual({
        read: row!.countRead,
        created: row!.countCreated,
        updated: row!.countUpdated,
        unchanged: row!.countUnchanged,
        exceptions: row!.countExceptions,
      });
      // Each report links to the run itself, loaded from the database when it is delivered.
      expect(new Set(reports.map((p) => p.syncRun?.id))).toEqual(new Set([queued.id]));
      expect(final.syncRun).toEqual({
        id: queued.id,
        kind: "SUPPLIERS",
        state: "SUCCEEDED",
        counts: { read: row!.countRead },
      });
    }
    const withoutRun = (p: { syncProgress: Progress }) => ({ ...p.syncProgress, syncRun: null });
    expect(seen.wsProgress.map(withoutRun)).toEqual(seen.sseProgress.map(withoutRun));

    const trail = await database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.connectionId, api.connectionId), gt(auditEvents.id, Number(lastAudit))),
      )
      .orderBy(asc(auditEvents.id));
    expect(trail.map((e) => e.type)).toContain("vendor.created");
    expect(trail.at(-1)?.type).toBe("sync.succeeded");
    for (const delivered of [seen.sseAudit, seen.wsAudit]) {
      expect(delivered.map((n) => n.auditEvents)).toEqual(
        trail.map((e) => ({
          id: String(e.id),
          type: e.type,
          actor: "worker",
          subjectType: e.subjectType,
          event: { type: e.type, connection: { id: connectionGlobalId() } },
        })),
      );
    }
  }, 60_000);
});
