import { afterAll, describe, expect, it } from "vitest";

import { silentLogger } from "../../src/logger.js";
import { cronItemsFor } from "../../src/worker/crontab.js";
import { createWorker } from "../../src/worker/runner.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";

import type { WorkerHandle } from "../../src/worker/runner.js";
import type { Task } from "graphile-worker";

guardLeaks();
const t = useTestDatabase();
const workers: WorkerHandle[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

const noop: Task = async () => {};

describe("worker crontab", () => {
  it("schedules schedule:tick every minute, once a cluster, and only where the task exists", () => {
    const [item, ...rest] = cronItemsFor({ "schedule:tick": noop, ping: noop });
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      task: "schedule:tick",
      identifier: "schedule:tick",
      options: { backfillPeriod: 0, maxAttempts: 1, jobKey: "schedule:tick" },
    });
    // Every minute of every hour: the tick decides what is due, not the cron pattern.
    const minute = (iso: string) => {
      const d = new Date(iso);
      return item!.match({
        min: d.getUTCMinutes(),
        hour: d.getUTCHours(),
        date: d.getUTCDate(),
        month: d.getUTCMonth() + 1,
        dow: d.getUTCDay(),
      });
    };
    expect(minute("2030-03-04T00:00:00Z")).toBe(true);
    expect(minute("2030-03-04T13:37:00Z")).toBe(true);
    expect(minute("2030-12-31T23:59:00Z")).toBe(true);

    expect(cronItemsFor({ ping: noop, "sync:run": noop })).toEqual([]);
  });

  it("a worker with the tick task registers the cron item in the database", async () => {
    workers.push(
      await createWorker({
        connectionString: t.url,
        taskList: { "schedule:tick": noop },
        concurrency: 1,
        logger: silentLogger(),
      }),
    );
    // The runner registers its crontab just after it starts; wait for that, not for a clock.
    let known: { identifier: string }[] = [];
    for (let i = 0; i < 200 && known.length === 0; i++) {
      known = await t.sql<{ identifier: string }[]>`
        select identifier from graphile_worker._private_known_crontabs`;
      if (known.length === 0) {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    expect(known).toEqual([{ identifier: "schedule:tick" }]);
  });
});
