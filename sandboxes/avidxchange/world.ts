/**
 * Everything one sandbox instance holds: options, clock, tokens, limiter, faults, request log and the
 * per-(key type, company) data sets. Route handlers, the lifecycle and the controls all work on it.
 */
import type { SandboxClock } from "./clock.js";
import { createSandboxClock } from "./clock.js";
import type { Dataset } from "./dataset.js";
import { createDataset } from "./dataset.js";
import type { FaultQueue } from "./faults.js";
import { createFaultQueue } from "./faults.js";
import { schedulePaymentRuns } from "./lifecycle/payment-run.js";
import type {
  AvidSeedData,
  KeyType,
  ResolvedOptions,
  SandboxCompany,
  Variants,
} from "./options.js";
import { deterministicHex } from "./prng.js";
import type { RateLimiter } from "./rate-limit.js";
import { createRateLimiter } from "./rate-limit.js";
import type { RequestLog } from "./request-log.js";
import { createRequestLog } from "./request-log.js";
import type { TokenStore } from "./tokens.js";
import { createTokenStore } from "./tokens.js";

export interface World {
  options: ResolvedOptions;
  /** Live wire variants (controls may change them between requests). */
  variants: Variants;
  clock: SandboxClock;
  tokens: TokenStore;
  limiter: RateLimiter;
  faults: FaultQueue;
  log: RequestLog;
  /** The data set of (key type, company), created and seeded on first use. */
  dataset(keyType: KeyType, companyId: string): Dataset;
  /** Data sets created so far. */
  datasets(): Dataset[];
  /** Runs every lifecycle event due by the clock's now. */
  sync(): number;
  /** A fresh `avidMessageId`. */
  messageId(): string;
}

export function createWorld(options: ResolvedOptions, seedData: () => AvidSeedData): World {
  const clock = createSandboxClock(options.startMs, options.realNow);
  if (options.accelerate > 0) {
    clock.accelerate(options.accelerate);
  }
  const sets = new Map<string, Dataset>();
  let messages = 0;

  const world: World = {
    options,
    variants: options.variants,
    clock,
    tokens: createTokenStore(options.seed),
    limiter: createRateLimiter(options.rateLimit, options.realNow),
    faults: createFaultQueue(),
    log: createRequestLog(options.requestLogLimit),
    dataset(keyType, companyId) {
      const key = `${keyType}\u0000${companyId}`;
      let ds = sets.get(key);
      if (!ds) {
        const company: SandboxCompany = options.companies.find((c) => c.id === companyId) ?? {
          id: companyId,
          name: companyId,
        };
        ds = createDataset(options, seedData(), keyType, company);
        if (options.lifecycle.enabled) {
          schedulePaymentRuns(world, ds, clock.now());
        }
        sets.set(key, ds);
      }
      return ds;
    },
    datasets() {
      return [...sets.values()];
    },
    sync() {
      const now = clock.now();
      let ran = 0;
      for (const ds of sets.values()) {
        ran += ds.scheduler.runUntil(now);
      }
      return ran;
    },
    messageId() {
      messages += 1;
      const hex = deterministicHex(options.seed, 32, "message", String(messages));
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
  return world;
}
