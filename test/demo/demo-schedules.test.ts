/**
 * The demo's one-minute schedules (approvals, payments) must run on every schedule tick, or posted
 * payments show up minutes later than the demo promises. Cron queues the tick on the minute but a
 * busy worker starts it late, by a varying amount.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { syncRuns } from "../../src/db/schema/index.js";
import { ensureDemoConnection } from "../../src/demo/index.js";
import { tickSchedules } from "../../src/jobs/schedule-tick.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { quietLogger, testVault } from "./fixtures.js";

import type { DemoEndpoints } from "../../src/demo/sandboxes.js";

guardLeaks();

const ENDPOINTS: DemoEndpoints = {
  sysproEnetBaseUrl: "https://erp.example.com/SYSPROWCFService/Rest",
  sysproOdataBaseUrl: "https://erp.example.com/SYSPRO8Odata/SYSPROOData/MED1",
  sysproCompanyId: "MED1",
  sysproOperator: "MLCONNECT",
  sysproOdataUser: "odata",
  sysproOperatorPassword: "op",
  sysproCompanyPassword: "co",
  sysproOdataPassword: "od",
  sysproBankCode: "FB",
  avidBaseUrl: "https://api.avidxchange.example.com",
  avidTokenUrl: "https://api.avidxchange.example.com/token",
  avidClientId: "client-1",
  avidClientSecret: "secret",
  avidCompanyId: "10001",
  avidCompanyHeader: "X-Avid-Company-Id",
};

describe("the demo's schedules", () => {
  const t = useTestDatabase();
  const { vault } = testVault();
  const logger = quietLogger();

  it("queue approvals and payments on every minute's tick, however late each tick starts", async () => {
    const { connection } = await ensureDemoConnection({ db: t.db, vault }, ENDPOINTS);
    expect(connection.bankCode).toBe("FB");
    const jobs = createJobQueue();
    const minute = Date.parse("2030-03-04T12:00:00.000Z");
    // Each tick starts a different time after its minute: late, early, late again.
    const lateBy = [900, 40, 2_500, 10];
    const queuedKinds: string[][] = [];
    for (const [i, late] of lateBy.entries()) {
      const runs = await tickSchedules(
        { db: t.db, jobs, logger },
        new Date(minute + i * 60_000 + late),
      );
      queuedKinds.push(
        runs.map((r) => r.kind).filter((k) => k === "approvals" || k === "payments"),
      );
      // The worker finished them before the next tick.
      await t.db
        .update(syncRuns)
        .set({ state: "succeeded", finishedAt: new Date() })
        .where(eq(syncRuns.connectionId, connection.id));
    }
    expect(queuedKinds.map((kinds) => kinds.sort())).toEqual(
      lateBy.map(() => ["approvals", "payments"]),
    );
  });
});
