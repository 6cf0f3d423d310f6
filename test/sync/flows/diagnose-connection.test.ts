import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { diagnoseConnection } from "../../../src/sync/diagnose-connection.js";
import { setCredentials } from "../../../src/secrets/credential-store.js";
import { startSyncHarness } from "../../jobs/harness.js";

import type { SyncHarness } from "../../jobs/harness.js";

describe("diagnoseConnection", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("reports both systems healthy from the stored connection and credentials", async () => {
    const result = await diagnoseConnection({ ...h.deps, ...h.deps.connectors }, h.connectionId);
    expect(result.ok).toBe(true);
    expect(result.syspro.ok).toBe(true);
    expect(result.avidxchange.ok).toBe(true);
  });

  it("names the failing side without throwing", async () => {
    await setCredentials(h.t.db, h.deps.vault, h.connectionId, {
      avid_client_secret: "wrong-secret",
    });
    const result = await diagnoseConnection({ ...h.deps, ...h.deps.connectors }, h.connectionId);
    expect(result.ok).toBe(false);
    expect(result.syspro.ok).toBe(true);
    expect(result.avidxchange.ok).toBe(false);
    expect(result.avidxchange.message).not.toMatch(/wrong-secret/);
  });
});
