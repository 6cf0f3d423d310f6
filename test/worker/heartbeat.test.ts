import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { silentLogger } from "../../src/logger.js";
import { sweepDeadWorkers } from "../../src/worker/heartbeat.js";
import { createWorker } from "../../src/worker/runner.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { createLatches } from "./latches.js";

import type { CreateWorkerOptions, WorkerHandle } from "../../src/worker/runner.js";
import type { TaskList } from "graphile-worker";

guardLeaks();
const t = useTestDatabase();

const PARKING_WORKER = fileURLToPath(new URL("./fixtures/parking-worker.ts", import.meta.url));

const released = createLatches();
const workers: WorkerHandle[] = [];
afterAll(async () => {
  released.signalAll();
  await Promise.all(workers.map((w) => w.stop()));
});

const startWorker = async (
  taskList: TaskList,
  options: Partial<Pick<CreateWorkerOptions, "concurrency" | "staleAfterMs">> = {},
) => {
  const worker = await createWorker({
    connectionString: t.url,
    taskList,
    concurrency: options.concurrency ?? 1,
    logger: silentLogger(),
    pollIntervalMs: 100,
    heartbeatIntervalMs: 100,
    staleAfterMs: options.staleAfterMs ?? 1_000,
  });
  workers.push(worker);
  return worker;
};

const addJob = async (task: string, queue: string): Promise<string> => {
  const [job] = await t.sql<{ id: string }[]>`
    select id::text from graphile_worker.add_job(${task}, '{}'::json, queue_name => ${queue})`;
  return job!.id;
};

const lockedBy = async (jobId: string) => {
  const [job] = await t.sql<{ locked_by: string | null }[]>`
    select locked_by from graphile_worker._private_jobs where id = ${jobId}`;
  return job?.locked_by;
};

/** Resolves once the jobs are completed (graphile-worker deletes a job when it succeeds). */
const completed = async (jobIds: readonly string[]): Promise<void> => {
  for (;;) {
    const [left] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from graphile_worker._private_jobs where id in ${t.sql(jobIds)}`;
    if (left?.n === 0) {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Starts the parking worker in a child process; resolves with its id and its stdout lines. */
async function spawnParkingWorker() {
  const child = spawn(process.execPath, ["--import", "tsx", PARKING_WORKER], {
    env: { ...process.env, DATABASE_URL: t.url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4_000)));
  const waitFor = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out);
        if (match) {
          child.stdout.off("data", onData);
          child.off("exit", onExit);
          resolve(match[1]!);
        }
      };
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        check();
      };
      const onExit = (code: number | null) =>
        reject(new Error(`the parking worker exited (${code}):\n${err}`));
      child.stdout.on("data", onData);
      child.once("exit", onExit);
      check();
    });
  const workerId = await waitFor(/ready (\S+)\n/);
  return { child, workerId, waitFor };
}

describe("worker heartbeats", () => {
  // First, while no worker of this file sweeps in the background.
  it("sweeps running at once release a dead worker's locks exactly once", async () => {
    const jobId = await addJob("test:nobody-runs-this", "conn:swept:to-avid");
    await t.sql`
      insert into worker_heartbeats (worker_id, host, pid, last_seen_at)
      values ('dead-pool', 'elsewhere', 1, now() - interval '1 hour')`;
    await t.sql`
      update graphile_worker._private_jobs set locked_by = 'dead-pool', locked_at = now()
      where id = ${jobId}`;
    const pool = new pg.Pool({ connectionString: t.url, max: 6 });
    try {
      const swept = await Promise.all(
        Array.from({ length: 6 }, () =>
          sweepDeadWorkers(pool, 60_000, "this-pool", silentLogger()),
        ),
      );
      expect(swept.flat()).toEqual(["dead-pool"]);
    } finally {
      await pool.end();
    }
    expect(await lockedBy(jobId)).toBeNull();
    expect(await t.sql`select worker_id from worker_heartbeats`).toEqual([]);
    await t.sql`delete from graphile_worker._private_jobs where id = ${jobId}`;
  });

  it("a SIGKILLed worker's job and queue are released and run by another worker", async () => {
    const queue = "conn:killed:to-avid";
    const dead = await spawnParkingWorker();
    const parked = await addJob("test:park", queue);
    await dead.waitFor(new RegExp(`started (${parked})\\n`));
    const behind = await addJob("test:after", queue);
    const exited = once(dead.child, "exit");
    dead.child.kill("SIGKILL");
    await exited;
    expect(await lockedBy(parked)).toBe(dead.workerId);

    const ran: string[] = [];
    const done = createLatches();
    const record = (name: string) => async () => {
      ran.push(name);
      done.signal(name);
    };
    const survivor = await startWorker({
      "test:park": record("park"),
      "test:after": record("after"),
    });
    await Promise.all([done.wait("park"), done.wait("after")]);
    await completed([parked, behind]);

    expect(ran).toEqual(["park", "after"]);
    const rows = await t.sql<{ worker_id: string }[]>`select worker_id from worker_heartbeats`;
    expect(rows.map((r) => r.worker_id)).toEqual([survivor.workerId]);
  });

  it("releases locks held under an id that never had a heartbeat, once they are old", async () => {
    const queue = "conn:ghost:to-syspro";
    const jobId = await addJob("test:ghost", queue);
    await t.sql`
      update graphile_worker._private_jobs
      set locked_by = 'ghost-pool', locked_at = now() - interval '1 hour' where id = ${jobId}`;
    await t.sql`
      update graphile_worker._private_job_queues
      set locked_by = 'ghost-pool', locked_at = now() - interval '1 hour'
      where queue_name = ${queue}`;
    const done = createLatches();
    await startWorker({ "test:ghost": async () => done.signal("ghost") });
    await done.wait("ghost");
    const queues = await t.sql`
      select locked_by from graphile_worker._private_job_queues where locked_by = 'ghost-pool'`;
    expect(queues).toEqual([]);
  });

  it("never releases a live worker's locks, however long its job runs", async () => {
    const staleAfterMs = 1_500;
    const runs = new Map<string, number>();
    const started = createLatches();
    const hold: TaskList = {
      "test:hold": async (_payload, helpers) => {
        const id = String(helpers.job.id);
        runs.set(id, (runs.get(id) ?? 0) + 1);
        started.signal(id);
        await released.wait(id);
      },
    };
    // Two slots each: a job swept from one worker would be taken again by either.
    const a = await startWorker(hold, { concurrency: 2, staleAfterMs });
    const b = await startWorker(hold, { concurrency: 2, staleAfterMs });
    const jobs = [
      await addJob("test:hold", "conn:a:to-avid"),
      await addJob("test:hold", "conn:b:to-avid"),
    ];
    await Promise.all(jobs.map((id) => started.wait(id)));

    // Wait (by the database's clock) until the locks are older than the staleness bound, so the
    // sweeps below would take them if they ignored the heartbeats.
    for (;;) {
      const [age] = await t.sql<{ old: boolean }[]>`
        select bool_and(locked_at < now() - make_interval(secs => ${staleAfterMs / 1000}))
          as old
        from graphile_worker._private_jobs where id in ${t.sql(jobs)}`;
      if (age?.old) {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await a.sweep()).toEqual([]);
    expect(await b.sweep()).toEqual([]);
    const holders = await Promise.all(jobs.map(lockedBy));
    expect(holders.every((h) => h === a.workerId || h === b.workerId)).toBe(true);

    for (const id of jobs) {
      released.signal(id);
    }
    await completed(jobs);
    expect(jobs.map((id) => runs.get(id))).toEqual([1, 1]);
  });
});
