import { eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";

import { syncRuns } from "../../src/db/schema/index.js";

import { silentLogger } from "../../src/logger.js";
import { syncRunPayload } from "../../src/sync/commands/job-payloads.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { triggerSync } from "../../src/sync/commands/sync-runs.js";
import { createWorker } from "../../src/worker/runner.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { createOfflineConnection } from "./connections.js";
import { createLatches } from "./latches.js";

import type { SyncKind } from "../../src/glossary.js";
import type { WorkerHandle } from "../../src/worker/runner.js";
import type { Task } from "graphile-worker";

guardLeaks();
const t = useTestDatabase();

const started = createLatches();
const released = createLatches();
const finished = createLatches();
const workers: WorkerHandle[] = [];
afterAll(async () => {
  // A failed assertion leaves tasks parked; let them end so the workers can stop.
  released.signalAll();
  await Promise.all(workers.map((w) => w.stop()));
});

/**
 * Stands in for `sync:run` (same identifier, same payload, same queues): records the run's start and
 * finish on its `sync_runs` row, in between waiting until the test releases it. The flows are not
 * what is under test here; the queues triggerSync puts their jobs in are.
 */
const parkedSyncRun: Task = async (payload) => {
  const { runId } = syncRunPayload.parse(payload);
  await t.sql`update sync_runs set state = 'running', started_at = clock_timestamp() where id = ${runId}`;
  started.signal(runId);
  await released.wait(runId);
  await t.sql`update sync_runs set state = 'succeeded', finished_at = clock_timestamp() where id = ${runId}`;
  finished.signal(runId);
};

type RunSpan = Pick<typeof syncRuns.$inferSelect, "id" | "state" | "startedAt" | "finishedAt">;

const overlap = (x: RunSpan, y: RunSpan) =>
  x.startedAt! < y.finishedAt! && y.startedAt! < x.finishedAt!;

describe("job queues", () => {
  it("run one connection and direction's syncs one at a time, other connections and directions alongside", async () => {
    const a = await createOfflineConnection(t.db, "A Ltd");
    const b = await createOfflineConnection(t.db, "B Ltd");
    const jobs = createJobQueue();
    const trigger = async (connectionId: string, kind: SyncKind) =>
      (
        await triggerSync(t.db, jobs, {
          connectionId,
          kind,
          dryRun: false,
          fullResync: false,
          force: false,
          actor: "test",
        })
      ).run.id;
    const a1 = await trigger(a.id, "suppliers"); // A → AvidXchange
    const a2 = await trigger(a.id, "invoices"); // A → AvidXchange, behind a1
    const b1 = await trigger(b.id, "suppliers"); // B → AvidXchange
    const a3 = await trigger(a.id, "approvals"); // A → SYSPRO

    // Two runners, six slots, all four jobs waiting when they start: each fetch takes the oldest
    // job it may run, so a2 would go before b1 and a3 if its queue did not hold it back.
    for (let i = 0; i < 2; i++) {
      workers.push(
        await createWorker({
          connectionString: t.url,
          taskList: { "sync:run": parkedSyncRun },
          concurrency: 3,
          logger: silentLogger(),
          pollIntervalMs: 200,
        }),
      );
    }

    // a1, b1 and a3 run at the same time (the stand-in holds each until released)…
    await Promise.all([started.wait(a1), started.wait(b1), started.wait(a3)]);
    // …while a2, with three slots free, is held back by its queue.
    const [waiting] = await t.db.select().from(syncRuns).where(eq(syncRuns.id, a2));
    expect(waiting!.state).toBe("queued");
    const a2Job = await t.sql<{ locked_at: Date | null }[]>`
      select locked_at from graphile_worker.jobs where key = ${`sync:${a.id}:invoices:live+delta`}`;
    expect(a2Job).toEqual([{ locked_at: null }]);

    released.signal(a1);
    await started.wait(a2);
    for (const id of [a2, b1, a3]) {
      released.signal(id);
    }
    await Promise.all([a1, a2, b1, a3].map((id) => finished.wait(id)));

    const spans: RunSpan[] = await t.db
      .select()
      .from(syncRuns)
      .where(inArray(syncRuns.id, [a1, a2, b1, a3]));
    const span = (id: string) => spans.find((s) => s.id === id)!;
    expect(spans.map((s) => s.state)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(overlap(span(a1), span(a2))).toBe(false);
    expect(span(a2).startedAt!.getTime()).toBeGreaterThanOrEqual(span(a1).finishedAt!.getTime());
    expect(overlap(span(a1), span(b1))).toBe(true);
    expect(overlap(span(a1), span(a3))).toBe(true);
  });
});
