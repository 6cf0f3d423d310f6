import { Writable } from "node:stream";

import pino from "pino";
import { Agent } from "undici";

import { createAvidSandbox } from "../../../sandboxes/avidxchange/index.js";
import {
  createAvidConnector,
  createMemoryRateLimiter,
  createMemoryTokenStore,
} from "../../../src/connectors/avidxchange/index.js";

import type { AvidSandbox, AvidSandboxOptions } from "../../../sandboxes/avidxchange/index.js";
import type {
  AvidClock,
  AvidConnector,
  AvidConnectorOptions,
  AvidToken,
  TokenStore,
} from "../../../src/connectors/avidxchange/index.js";

/** The sandbox's default production client, granted companies 10001 and 10002. */
export const CLIENT = { clientId: "med-avid-client", clientSecret: "med-avid-secret" };
export const COMPANY = "10001";

/** A token store that remembers every token it was given, so tests can look for them in logs. */
export function recordingStore(inner: TokenStore = createMemoryTokenStore()) {
  const seen: string[] = [];
  const store: TokenStore = {
    ...inner,
    get: (k) => inner.get(k),
    invalidate: (k, t) => inner.invalidate(k, t),
    withLock: (k, fn) => inner.withLock(k, fn),
    set: async (key: string, token: AvidToken) => {
      seen.push(token.accessToken);
      await inner.set(key, token);
    },
  };
  return { store, seen };
}

/** Real time, with every sleep recorded (what the connector decided to wait). */
export function recordingClock(offset = { ms: 0 }): AvidClock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    now: () => Date.now() + offset.ms,
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        });
      });
    },
    sleeps,
  };
}

export interface Harness {
  readonly sandbox: AvidSandbox;
  /** Every pino line the connectors wrote (debug and up), unredacted. */
  readonly logs: string[];
  readonly logger: pino.Logger;
  readonly dispatcher: Agent;
  connector(overrides?: Partial<AvidConnectorOptions>): AvidConnector;
  close(): Promise<void>;
}

/** A sandbox on port 0, a dispatcher, a capturing logger; `close()` releases all three. */
export async function startHarness(options: AvidSandboxOptions = {}): Promise<Harness> {
  const sandbox = createAvidSandbox({ seed: 7, lifecycle: { enabled: true }, ...options });
  await sandbox.listen(0);
  const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  // Plain pino, no redaction: proves the connector never hands it a secret in the first place.
  const logger = pino({ level: "debug" }, sink);
  return {
    sandbox,
    logs,
    logger,
    dispatcher,
    connector: (overrides = {}) =>
      createAvidConnector({
        gatewayUrl: sandbox.gatewayUrl,
        tokenUrl: sandbox.tokenUrl,
        ...CLIENT,
        companyId: COMPANY,
        dispatcher,
        tokenStore: createMemoryTokenStore(),
        rateLimiter: createMemoryRateLimiter(),
        logger,
        ...overrides,
        options: {
          rateLimit: { requestsPerSecond: 200, burst: 50 },
          retry: { baseDelayMs: 10, maxDelayMs: 50 },
          ...overrides.options,
        },
      }),
    close: async () => {
      await sandbox.close();
      await dispatcher.close();
    },
  };
}

/** Every item of an async iterable of pages. */
export async function all<T>(pages: AsyncIterable<{ items: readonly T[] }>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    out.push(...page.items);
  }
  return out;
}
