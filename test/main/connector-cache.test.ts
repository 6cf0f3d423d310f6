import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { connections } from "../../src/db/schema/index.js";
import { connectorsDeps } from "../../src/jobs/deps.js";
import { setCredentials } from "../../src/secrets/credential-store.js";
import { createConnectorCache } from "../../src/sync/connectors-for.js";
import { startSyncHarness } from "../jobs/harness.js";
import { guardLeaks } from "../setup/leaks.js";

import type { SyncHarness } from "../jobs/harness.js";

guardLeaks();

describe("the worker's connector cache", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A cache whose e.net calls are counted by operation (Logon, Logoff, …). */
  const countedCache = () => {
    const calls: string[] = [];
    const cache = createConnectorCache({
      ...connectorsDeps(h.deps),
      onMetrics: (m) => {
        if (m.system === "syspro-enet" && m.outcome === "ok") {
          calls.push(m.operation);
        }
      },
    });
    const count = (operation: string) => calls.filter((c) => c === operation).length;
    return { cache, count };
  };

  it("keeps one e.net session across jobs and logs it off only when the process stops", async () => {
    const { cache, count } = countedCache();
    try {
      const first = await cache.acquire(h.connectionId);
      await first.syspro.enet.getLogonProfile();
      await first.close();
      const second = await cache.acquire(h.connectionId);
      expect(second.syspro).toBe(first.syspro);
      await second.syspro.enet.getLogonProfile();
      await second.close();
      expect(count("Logon")).toBe(1);
      expect(count("Logoff")).toBe(0);
    } finally {
      await cache.close();
    }
    expect(count("Logoff")).toBe(1);
    await expect(cache.acquire(h.connectionId)).rejects.toThrow(/closed/);
  });

  it("rebuilds after the connection or its credentials change, closing the old ones once handed back", async () => {
    const { cache, count } = countedCache();
    try {
      const before = await cache.acquire(h.connectionId);
      await before.syspro.enet.getLogonProfile();

      await h.t.db
        .update(connections)
        .set({ bankCode: "EDITED" })
        .where(eq(connections.id, h.connectionId));
      const afterEdit = await cache.acquire(h.connectionId);
      expect(afterEdit.syspro).not.toBe(before.syspro);
      // Still lent out: not logged off under the job using it.
      expect(count("Logoff")).toBe(0);
      await before.syspro.enet.getLogonProfile();
      await before.close();
      await afterEdit.close();

      await setCredentials(h.t.db, h.deps.vault, h.connectionId, {
        syspro_operator_password: h.syspro.credentials.operatorPassword,
      });
      const afterSecret = await cache.acquire(h.connectionId);
      expect(afterSecret.syspro).not.toBe(afterEdit.syspro);
      await afterSecret.close();
      const unchanged = await cache.acquire(h.connectionId);
      expect(unchanged.syspro).toBe(afterSecret.syspro);
      await unchanged.close();
    } finally {
      await cache.close();
    }
    expect(count("Logoff")).toBeGreaterThanOrEqual(1);
  });

  it("refuses an unknown connection", async () => {
    const { cache } = countedCache();
    try {
      await expect(cache.acquire("00000000-0000-4000-8000-000000000000")).rejects.toThrow(
        /not found/i,
      );
    } finally {
      await cache.close();
    }
  });
});
