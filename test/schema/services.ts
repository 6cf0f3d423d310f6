import { randomBytes } from "node:crypto";

import { createVault } from "../../src/secrets/vault.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";

import type {
  ConnectionDiagnosis,
  DiagnoseConnection,
} from "../../src/sync/commands/connections.js";
import type { CommandServices } from "../../src/sync/commands/services.js";

/**
 * Command services for tests: the real job queue (jobs land in the test database's
 * graphile_worker schema), a vault with a fresh random key, and a connection test that, unless a
 * test gives its own, refuses to run (tests that need the real one start the sandboxes).
 */
export function createTestCommandServices(
  overrides: { readonly diagnose?: DiagnoseConnection } = {},
): CommandServices {
  const key = { id: "test-key", key: randomBytes(32) };
  return {
    jobs: createJobQueue(),
    vault: createVault({ keys: [key], currentKeyId: key.id }),
    diagnose:
      overrides.diagnose ??
      ((): Promise<ConnectionDiagnosis> =>
        Promise.reject(new Error("this test harness has no connection test"))),
  };
}
