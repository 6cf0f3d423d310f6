import { and, eq } from "drizzle-orm";
import { Logger, runOnce } from "graphile-worker";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createDb } from "../../src/db/client.js";
import { connections, schedules, syncRuns } from "../../src/db/schema/index.js";
import { SYNC_KINDS } from "../../src/glossary.js";
import { createScheduleTickTask, tickSchedules } from "../../src/jobs/schedule-tick.js";
import { silentLogger } from "../../src/logger.js";
import { createConnection } from "../../src/sync/commands/connections.js";
import { createJobQueue, queueNameFor } from "../../src/sync/commands/job-queue.js";
import {
  seedDefaultSchedules,
  setSchedule,
  setSchedulePaused,
} from "../../src/sync/commands/schedules.js";
import { createTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";

import type { Db } from "../../src/db/client.js";
import type { SyncKind } from "../../src/glossary.js";
import type { ScheduledRun } from "../../src/jobs/schedule-tick.js";
import type { TestDatabase } from "../setup/db.js";

guardLeaks();

// After any first run the seeding can give (it uses the real clock): every default is due here.
const T0 = new Date("2030-03-04T12:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const INTERVAL_KINDS: SyncKind[] = ["approvals", "invoices", "purchase_orders", "suppliers"];
const ALL_KINDS: SyncKind[] = [...SYNC_KINDS].sort();

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  await t.close();
});

const logger = silentLogger();
const jobs = createJobQueue();
const tick = (now: Date, db: Db = t.db) => tickSchedules({ db, jobs, logger }, now);
const kindsOf = (runs: readonly ScheduledRun[], connectionId?: string) =>
  runs
    .filter((r) => connectionId === undefined || r.connectionId === connectionId)
    .map((r) => r.kind)
    .sort();

async function newConnection(name: string) {
  return createConnection(
    t.db,
    {
      name,
      sysproEnetBaseUrl: "https://erp.example.com/SYSPROWCFService/Rest",
      sysproOdataBaseUrl: "https://erp.example.com/SYSPRO8Odata/SYSPROOData/EDU1",
      sysproCompanyId: "EDU1",
      sysproOperator: "MLCONNECT",
      sysproOdataUser: "odata",
      avidBaseUrl: "https://api.avidxchange.example.com",
      avidTokenUrl: "https://api.avidxchange.example.com/token",
      avidClientId: "client-1",
      avidCompanyId: "10001",
    },
    "test-admin",
  );
}

async function scheduleOf(connectionId: string, kind: SyncKind) {
  const [row] = await t.db
    .select()
    .from(schedules)
    .where(and(eq(schedules.connectionId, connectionId), eq(schedules.kind, kind)));
  return row!;
}

/** What a worker does when it is done with the runs (the tick only queues them). */
async function finishRuns(connectionId: string) {
  await t.db
    .update(syncRuns)
    .set({ state: "succeeded", startedAt: T0, finishedAt: T0 })
    .where(eq(syncRuns.connectionId, connectionId));
}

describe("default schedules", () => {
  it("a new connection gets one per sync kind, first run one period away, and seeding again changes nothing", async () => {
    const before = new Date();
    const connection = await newConnection("Acme");
    const rows = await t.db
      .select()
      .from(schedules)
      .where(eq(schedules.connectionId, connection.id));
    expect(
      rows
        .map((r) => [r.kind, r.intervalSeconds, r.dailyAt, r.timeZone, r.paused, r.lastRunAt])
        .sort(),
    ).toEqual([
      ["approvals", 600, null, "UTC", false, null],
      ["invoices", 600, null, "UTC", false, null],
      ["payments", null, "17:30:00", "UTC", false, null],
      ["purchase_orders", 600, null, "UTC", false, null],
      ["reference_data", 3600, null, "UTC", false, null],
      ["suppliers", 600, null, "UTC", false, null],
    ]);
    // Not due at once: credentials and mappings come after the connection.
    expect(await tick(new Date())).toEqual([]);
    for (const row of rows) {
      expect(row.nextRunAt!.getTime()).toBeGreaterThan(before.getTime());
    }

    await setSchedule(t.db, {
      connectionId: connection.id,
      kind: "payments",
      dailyAt: "end-of-day",
      timeZone: "America/Chicago",
      actor: "test",
    });
    const changed = await scheduleOf(connection.id, "payments");
    await seedDefaultSchedules(t.db, connection.id);
    expect(await scheduleOf(connection.id, "payments")).toEqual(changed);
    expect(
      await t.db.select().from(schedules).where(eq(schedules.connectionId, connection.id)),
    ).toHaveLength(6);
  });
});

describe("schedule:tick", () => {
  it("queues every due schedule once, in its connection's queue, and moves it on", async () => {
    const connection = await newConnection("Acme");

    const first = await tick(T0);
    expect(kindsOf(first)).toEqual(ALL_KINDS);
    const runs = await t.db.select().from(syncRuns).where(eq(syncRuns.connectionId, connection.id));
    expect(runs.map((r) => [r.kind, r.state, r.actor, r.dryRun]).sort()).toEqual(
      ALL_KINDS.map((kind) => [kind, "queued", "schedule", false]),
    );
    // One sync:run job per run, keyed by triggerSync, in its connection and direction's queue.
    const jobRows = await t.sql<{ queue_name: string; key: string }[]>`
      select queue_name, key from graphile_worker.jobs where task_identifier = 'sync:run'`;
    expect(jobRows.map((j) => [j.key, j.queue_name]).sort()).toEqual(
      runs
        .map((r) => [
          `sync:${connection.id}:${r.kind}:live+delta`,
          queueNameFor(connection.id, r.kind),
        ])
        .sort(),
    );

    expect((await scheduleOf(connection.id, "suppliers")).nextRunAt).toEqual(minutes(10));
    expect((await scheduleOf(connection.id, "suppliers")).lastRunAt).toEqual(T0);
    expect((await scheduleOf(connection.id, "reference_data")).nextRunAt).toEqual(minutes(60));
    expect((await scheduleOf(connection.id, "payments")).nextRunAt).toEqual(
      new Date("2030-03-04T17:30:00.000Z"),
    );

    // Not due again until its interval has passed.
    await finishRuns(connection.id);
    expect(await tick(T0)).toEqual([]);
    expect(await tick(minutes(9))).toEqual([]);
    expect(kindsOf(await tick(minutes(10)))).toEqual(INTERVAL_KINDS);
  });

  it("does not pile runs up behind a slow one: a busy stream stays due and runs once it is free", async () => {
    const connection = await newConnection("Acme");
    await tick(T0);
    // The runs of T0 are still queued (or running) at T0+10: nothing new is queued.
    expect(await tick(minutes(10))).toEqual([]);
    await t.db
      .update(syncRuns)
      .set({ state: "running", startedAt: minutes(10) })
      .where(eq(syncRuns.connectionId, connection.id));
    expect(await tick(minutes(25))).toEqual([]);
    expect((await scheduleOf(connection.id, "suppliers")).nextRunAt).toEqual(minutes(10));

    // A dry run or replay moves no watermark, so it does not count as the stream being busy.
    await finishRuns(connection.id);
    await t.db.insert(syncRuns).values({
      connectionId: connection.id,
      kind: "suppliers",
      dryRun: true,
      actor: "test",
    });
    expect(kindsOf(await tick(minutes(26)))).toEqual(INTERVAL_KINDS);
    expect((await scheduleOf(connection.id, "suppliers")).nextRunAt).toEqual(minutes(36));
    const live = await t.db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.connectionId, connection.id), eq(syncRuns.state, "queued")));
    expect(
      live
        .filter((r) => !r.dryRun)
        .map((r) => r.kind)
        .sort(),
    ).toEqual(INTERVAL_KINDS);
  });

  it("takes setSchedule, pause and resume on the next tick, without a restart", async () => {
    const connection = await newConnection("Acme");
    await tick(T0);
    await finishRuns(connection.id);

    // Payments: daily at 17:30 → every 5 minutes, from its last run at T0.
    await setSchedule(t.db, {
      connectionId: connection.id,
      kind: "payments",
      everyMinutes: 5,
      actor: "test",
      now: minutes(1),
    });
    expect(await tick(minutes(4))).toEqual([]);
    expect(kindsOf(await tick(minutes(5)))).toEqual(["payments"]);
    await finishRuns(connection.id);

    const suppliers = await scheduleOf(connection.id, "suppliers");
    await setSchedulePaused(t.db, {
      scheduleId: suppliers.id,
      paused: true,
      actor: "test",
      now: minutes(6),
    });
    const atTen = await tick(minutes(10));
    expect(kindsOf(atTen)).toEqual(["approvals", "invoices", "payments", "purchase_orders"]);
    await finishRuns(connection.id);
    expect(await tick(minutes(30))).not.toContainEqual(
      expect.objectContaining({ kind: "suppliers" }),
    );
    await finishRuns(connection.id);

    // Resumed: the missed runs are due at once, and only once.
    await setSchedulePaused(t.db, {
      scheduleId: suppliers.id,
      paused: false,
      actor: "test",
      now: minutes(31),
    });
    expect(kindsOf(await tick(minutes(31)))).toEqual(["suppliers"]);
    await finishRuns(connection.id);
    expect(await tick(minutes(32))).toEqual([]);
  });

  it("skips the schedules of a paused or disabled connection; on resuming, what was missed runs once", async () => {
    const paused = await newConnection("Paused Co");
    const disabled = await newConnection("Disabled Co");
    const active = await newConnection("Active Co");
    await t.db.update(connections).set({ status: "paused" }).where(eq(connections.id, paused.id));
    await t.db
      .update(connections)
      .set({ status: "disabled" })
      .where(eq(connections.id, disabled.id));

    const runs = await tick(T0);
    expect(kindsOf(runs, active.id)).toEqual(ALL_KINDS);
    expect(runs.filter((r) => r.connectionId !== active.id)).toEqual([]);

    await t.db.update(connections).set({ status: "active" }).where(eq(connections.id, paused.id));
    expect(kindsOf(await tick(minutes(60 * 24)), paused.id)).toEqual(ALL_KINDS);
    await finishRuns(paused.id);
    expect(kindsOf(await tick(minutes(60 * 24 + 1)), paused.id)).toEqual([]);
  });

  it("never queues the same poll twice when ticks overlap: a claimed schedule is skipped, not waited for", async () => {
    const connection = await newConnection("Acme");
    const suppliers = await scheduleOf(connection.id, "suppliers");

    // Another worker's tick holds the suppliers schedule (claimed, its run not yet committed).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const other = t.sql.begin(async (tx) => {
      await tx`select id from schedules where id = ${suppliers.id} for update`;
      claimed();
      await released;
    });
    await isClaimed;
    const meanwhile = await tick(T0);
    release();
    await other;
    expect(kindsOf(meanwhile)).toEqual(ALL_KINDS.filter((k) => k !== "suppliers"));
    expect(kindsOf(await tick(T0))).toEqual(["suppliers"]);

    // Two ticks at once, on two pools, over many due schedules: each poll is queued exactly once.
    const more = await Promise.all(
      ["B", "C", "D", "E", "F"].map((n) => newConnection(`Company ${n}`)),
    );
    const handles = [createDb({ url: t.url, max: 2 }), createDb({ url: t.url, max: 2 })];
    try {
      const [a, b] = await Promise.all(handles.map((h) => tick(minutes(1), h.db)));
      const all = [...a!, ...b!];
      for (const c of more) {
        expect(kindsOf(all, c.id)).toEqual(ALL_KINDS);
      }
      const counts = await t.sql<{ connection_id: string; n: number }[]>`
        select connection_id, count(*)::int as n from sync_runs
        where connection_id in ${t.sql(more.map((c) => c.id))}
        group by connection_id`;
      expect(counts.map((c) => c.n)).toEqual(more.map(() => 6));
      const jobCount = await t.sql<{ n: number }[]>`
        select count(*)::int as n from graphile_worker.jobs where task_identifier = 'sync:run'`;
      expect(jobCount[0]!.n).toBe(6 + 6 * more.length);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });

  it("runs as the schedule:tick task through graphile-worker", async () => {
    const connection = await newConnection("Acme");
    await jobs.add(t.db, "schedule:tick", { _cron: { ts: T0.toISOString(), backfilled: false } });
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
    try {
      await runOnce({
        pgPool: pool,
        taskList: { "schedule:tick": createScheduleTickTask({ db: t.db, logger }, () => T0) },
        noHandleSignals: true,
        logger: new Logger(() => () => {}),
      });
    } finally {
      await pool.end();
    }
    const runs = await t.db.select().from(syncRuns).where(eq(syncRuns.connectionId, connection.id));
    expect(runs.map((r) => [r.kind, r.actor]).sort()).toEqual(
      ALL_KINDS.map((kind) => [kind, "schedule"]),
    );
    const left = await t.sql<{ n: number }[]>`
      select count(*)::int as n from graphile_worker.jobs where task_identifier = 'schedule:tick'`;
    expect(left[0]!.n).toBe(0);
  });
});
