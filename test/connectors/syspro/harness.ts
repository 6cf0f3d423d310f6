/**
 * A SYSPRO sandbox on port 0 plus connectors pointed at it, with every pino line captured so tests
 * can assert that no password or UserId was ever logged.
 */
import { Writable } from "node:stream";

import { Agent } from "undici";
import { expect } from "vitest";

import {
  createSysproSandbox,
  type SysproSandbox,
  type SysproSandboxOptions,
} from "../../../sandboxes/syspro/index.js";
import {
  createMemorySessionStore,
  createSysproConnector,
  type SessionStore,
  type SysproConnector,
  type SysproConnectorOptions,
  type SysproCredentials,
  type SysproTuning,
} from "../../../src/connectors/syspro/index.js";
import { createLogger } from "../../../src/logger.js";

export interface Harness {
  sandbox: SysproSandbox;
  /** Every JSON log line written by any connector of this harness. */
  lines: string[];
  /** Every UserId any store of this harness was given. */
  userIds: Set<string>;
  connector(overrides?: {
    credentials?: Partial<SysproCredentials>;
    options?: SysproTuning;
    store?: SessionStore;
    clock?: { now(): number };
    enetUrl?: string;
    odataUrl?: string;
  }): SysproConnector;
  /** A store that remembers every UserId saved through it (for the no-secrets assertion). */
  store(): SessionStore;
  /** Requests the sandbox saw for an e.net operation, e.g. "Logon". */
  count(operation: string): number;
  /** Fails if any captured line contains a password or a UserId. */
  assertNoSecretsLogged(): void;
  close(): Promise<void>;
}

export async function startHarness(options: SysproSandboxOptions = {}): Promise<Harness> {
  const sandbox = createSysproSandbox({ freezeClock: true, ...options });
  await sandbox.listen(0);
  const dispatcher = new Agent({ connect: { timeout: 2_000 } });
  const lines: string[] = [];
  const userIds = new Set<string>();
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: "debug", destination });
  const connectors: SysproConnector[] = [];

  const store = (): SessionStore => {
    const inner = createMemorySessionStore();
    return {
      async acquire(key, opts) {
        const lease = await inner.acquire(key, opts);
        return {
          get session() {
            return lease.session;
          },
          save: async (s) => {
            if (s) {
              userIds.add(s.userId);
            }
            await lease.save(s);
          },
          renew: (ttl) => lease.renew(ttl),
          release: (touch) => lease.release(touch),
        };
      },
    };
  };
  const sharedStore = store();

  return {
    sandbox,
    lines,
    userIds,
    store,
    connector(overrides = {}) {
      const config: SysproConnectorOptions = {
        enet: { baseUrl: overrides.enetUrl ?? sandbox.url },
        odata: { baseUrl: overrides.odataUrl ?? sandbox.odataUrl },
        credentials: { ...sandbox.credentials, ...overrides.credentials },
        dispatcher,
        sessionStore: overrides.store ?? sharedStore,
        logger,
        options: { retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...overrides.options },
        ...(overrides.clock ? { clock: overrides.clock } : {}),
      };
      const c = createSysproConnector(config);
      connectors.push(c);
      return c;
    },
    count(operation) {
      return sandbox.control
        .requests()
        .filter((r) => r.operation.toLowerCase() === operation.toLowerCase()).length;
    },
    assertNoSecretsLogged() {
      const all = lines.join("\n");
      const c = sandbox.credentials;
      for (const secret of [c.operatorPassword, c.companyPassword, c.odataPassword, ...userIds]) {
        expect(secret.length).toBeGreaterThan(3);
        expect(all).not.toContain(secret);
        expect(all).not.toContain(encodeURIComponent(secret));
      }
      expect(all).not.toContain(
        Buffer.from(`${c.odataUser}:${c.odataPassword}`).toString("base64"),
      );
    },
    async close() {
      await Promise.allSettled(connectors.map((c) => c.close()));
      await sandbox.close();
      await dispatcher.close();
    },
  };
}
