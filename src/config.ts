import { createHash } from "node:crypto";
import path from "node:path";

import { z } from "zod";

import { AppError } from "./errors.js";

/** An AES-256 key and the id stored beside everything it encrypts. */
export interface EncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * The whole configuration, parsed once from the environment by `loadConfig` (the only reader of
 * `process.env` in src/). Customer credentials are never configuration: they are data, encrypted
 * in the database.
 */
export interface Config {
  /** Embedded PostgreSQL under `<dataDir>/pg` (the demo), or a server given by DATABASE_URL. */
  readonly database:
    | { readonly kind: "embedded"; readonly poolMax: number }
    | { readonly kind: "url"; readonly url: string; readonly poolMax: number };
  /** Local state of the embedded mode (database, generated key, demo API key); absolute. */
  readonly dataDir: string;
  readonly http: { readonly host: string; readonly port: number };
  /** Where a worker-only process serves `/metrics` (the api serves it on `http.port`); unset: none. */
  readonly metricsPort: number | undefined;
  readonly encryption: {
    /** Absent only in embedded mode, where a generated key is kept in `dataDir`. */
    readonly current: EncryptionKey | undefined;
    /** Older keys still accepted for decryption until `rotate-key` has re-encrypted everything. */
    readonly previous: readonly EncryptionKey[];
  };
  /** Ensured as an admin API key at start (the bootstrap key). */
  readonly adminApiKey: string | undefined;
  /** Start the SYSPRO and AvidXchange sandboxes and a demo connection pointing at them. */
  readonly sandbox: boolean;
  readonly log: { readonly level: LogLevel };
  readonly worker: {
    readonly concurrency: number;
    readonly pollIntervalMs: number;
    /** How often a worker refreshes its heartbeat and looks for dead workers. */
    readonly heartbeatSeconds: number;
    /** After how long without a heartbeat a worker's job locks are released. */
    readonly staleAfterSeconds: number;
  };
  /**
   * The pace AvidXchange calls keep per company (shared by every worker through Postgres). Unset
   * parts keep the connector's default, the contract's example tier of 60/min with bursts of 5;
   * set the figures of the customer's AvidXchange agreement.
   */
  readonly avidRateLimit: { readonly requestsPerSecond?: number; readonly burst?: number };
  /** How long a stop (Ctrl-C, SIGTERM) may take before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends AppError {
  override readonly name = "ConfigError";
  /** One line per invalid variable: `NAME: what is wrong`. */
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super("CONFIG_INVALID", `invalid configuration:\n  ${issues.join("\n  ")}`);
    this.issues = issues;
  }
}

export const isConfigError = (e: unknown): e is ConfigError => e instanceof ConfigError;

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ["1", "0", "true", "false", "yes", "no", "on", "off"].includes(v), {
    message: "must be true or false",
  })
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `must be from ${min} to ${max}` });

const rate = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, { message: "must be a positive number of requests per second" })
  .transform(Number)
  .refine((n) => n > 0 && n <= 1000, { message: "must be above 0 and at most 1000" });

const aesKey = z
  .string()
  .trim()
  .transform((v) => Buffer.from(v, "base64"))
  .refine((b) => b.length === 32, {
    message: "must be 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)",
  });

const keyId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, { message: "must be 1-64 letters, digits, '.', '_' or '-'" });

const previousKeys = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const keys: EncryptionKey[] = [];
    for (const item of v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const at = item.indexOf(":");
      const id = at > 0 ? item.slice(0, at) : undefined;
      const key = Buffer.from(at > 0 ? item.slice(at + 1) : item, "base64");
      if (key.length !== 32 || (id !== undefined && !keyId.safeParse(id).success)) {
        ctx.addIssue({
          code: "custom",
          message:
            "must be a comma-separated list of `id:base64key` (or `base64key`), 32-byte keys",
        });
        return z.NEVER;
      }
      keys.push({ id: id ?? deriveKeyId(key), key });
    }
    return keys;
  });

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// or postgresql:// URL" })
    .optional(),
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  DATA_DIR: z.string().trim().default(".data"),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PORT: int(0, 65535).default(4000),
  METRICS_PORT: int(0, 65535).optional(),
  AVID_REQUESTS_PER_SECOND: rate.optional(),
  AVID_BURST: int(1, 1000).optional(),
  ENCRYPTION_KEY: aesKey.optional(),
  ENCRYPTION_KEY_ID: keyId.optional(),
  ENCRYPTION_KEYS_PREVIOUS: previousKeys.default([]),
  ADMIN_API_KEY: z
    .string()
    .trim()
    .min(24, { message: "must be at least 24 characters (use a long random string)" })
    .optional(),
  SANDBOX: bool.optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` })
    .default("info"),
  WORKER_CONCURRENCY: int(1, 100).default(4),
  WORKER_POLL_INTERVAL_MS: int(100, 3_600_000).default(2000),
  WORKER_HEARTBEAT_SECONDS: int(1, 3600).default(15),
  WORKER_STALE_AFTER_SECONDS: int(2, 14_400).default(60),
  SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(10_000),
});

/** A key's id when none is given: a fingerprint of the key (not reversible, stable per key). */
export function deriveKeyId(key: Buffer): string {
  return `k-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}

/**
 * Parses the environment. Throws a ConfigError listing every invalid variable at once.
 * `cwd` resolves a relative DATA_DIR.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): Config {
  // An empty variable means "not set" (`FOO= npm start`).
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse(present);
  const issues: string[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${String(i.path[0] ?? "environment")}: ${i.message}`);
  // Cross-variable rules read the raw values, so they are reported alongside the others.
  if (present.DATABASE_URL && !present.ENCRYPTION_KEY) {
    issues.push(
      "ENCRYPTION_KEY: required with DATABASE_URL (32 random bytes, base64); only the embedded demo generates one",
    );
  }
  if (present.ENCRYPTION_KEY_ID && !present.ENCRYPTION_KEY) {
    issues.push("ENCRYPTION_KEY_ID: set without ENCRYPTION_KEY");
  }
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(issues);
  }
  const e = parsed.data;
  const current = e.ENCRYPTION_KEY
    ? { id: e.ENCRYPTION_KEY_ID ?? deriveKeyId(e.ENCRYPTION_KEY), key: e.ENCRYPTION_KEY }
    : undefined;
  const clash = e.ENCRYPTION_KEYS_PREVIOUS.find((k) => k.id === current?.id);
  if (clash) {
    issues.push(`ENCRYPTION_KEYS_PREVIOUS: key id ${clash.id} is also the current key's id`);
  }
  if (e.WORKER_STALE_AFTER_SECONDS <= e.WORKER_HEARTBEAT_SECONDS) {
    // Otherwise live workers would be taken for dead between two beats.
    issues.push(
      "WORKER_STALE_AFTER_SECONDS: must be more than WORKER_HEARTBEAT_SECONDS (several beats)",
    );
  }
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }

  return deepFreeze({
    database: e.DATABASE_URL
      ? { kind: "url", url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: "embedded", poolMax: e.DATABASE_POOL_MAX },
    dataDir: path.resolve(cwd, e.DATA_DIR),
    http: { host: e.HOST, port: e.PORT },
    metricsPort: e.METRICS_PORT,
    encryption: { current, previous: e.ENCRYPTION_KEYS_PREVIOUS },
    adminApiKey: e.ADMIN_API_KEY,
    sandbox: e.SANDBOX ?? !e.DATABASE_URL,
    log: { level: e.LOG_LEVEL },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      pollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
      heartbeatSeconds: e.WORKER_HEARTBEAT_SECONDS,
      staleAfterSeconds: e.WORKER_STALE_AFTER_SECONDS,
    },
    avidRateLimit: {
      ...(e.AVID_REQUESTS_PER_SECOND !== undefined
        ? { requestsPerSecond: e.AVID_REQUESTS_PER_SECOND }
        : {}),
      ...(e.AVID_BURST !== undefined ? { burst: e.AVID_BURST } : {}),
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  } satisfies Config);
}

/**
 * `loadConfig` for entry points: on invalid configuration, prints every problem to stderr and
 * exits with status 78 (EX_CONFIG).
 */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (isConfigError(e)) {
      process.stderr.write(
        `ml-connector: invalid configuration (${e.issues.length} problem${e.issues.length === 1 ? "" : "s"}):\n${e.issues.map((i) => `  - ${i}`).join("\n")}\n`,
      );
      process.exit(78);
    }
    throw e;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Buffer.isBuffer(value)) {
    for (const v of Object.values(value)) {
      deepFreeze(v);
    }
    Object.freeze(value);
  }
  return value;
}
