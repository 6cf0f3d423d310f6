import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { deriveKeyId, isConfigError, loadConfig } from "../../src/config.js";

const KEY = randomBytes(32).toString("base64");

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, "/srv/app");
  } catch (e) {
    if (isConfigError(e)) {
      return [...e.issues];
    }
    throw e;
  }
  throw new Error("expected the configuration to be refused");
}

describe("loadConfig", () => {
  it("with no environment: embedded demo with sandboxes, defaults, no key yet", () => {
    const config = loadConfig({}, "/srv/app");
    expect(config).toMatchObject({
      database: { kind: "embedded", poolMax: 10 },
      dataDir: "/srv/app/.data",
      http: { host: "127.0.0.1", port: 4000 },
      encryption: { current: undefined, previous: [] },
      adminApiKey: undefined,
      sandbox: true,
      log: { level: "info" },
      worker: { concurrency: 4, pollIntervalMs: 2000 },
    });
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it("parses a real deployment into a nested camelCase object", () => {
    const previous = randomBytes(32).toString("base64");
    const config = loadConfig(
      {
        DATABASE_URL: "postgres://u:p@db:5432/app",
        ENCRYPTION_KEY: KEY,
        ENCRYPTION_KEYS_PREVIOUS: `2024:${previous}`,
        PORT: "8080",
        HOST: "0.0.0.0",
        ADMIN_API_KEY: "a-long-random-bootstrap-key-0123456789",
        WORKER_CONCURRENCY: "8",
        LOG_LEVEL: "debug",
        DATA_DIR: "/var/lib/mlc",
        UNRELATED: "ignored",
      },
      "/srv/app",
    );
    expect(config.database).toEqual({
      kind: "url",
      url: "postgres://u:p@db:5432/app",
      poolMax: 10,
    });
    expect(config.encryption.current?.id).toBe(deriveKeyId(Buffer.from(KEY, "base64")));
    expect(config.encryption.previous.map((k) => k.id)).toEqual(["2024"]);
    expect(config.sandbox).toBe(false);
    expect(config.http).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(config.worker.concurrency).toBe(8);
    expect(config.dataDir).toBe("/var/lib/mlc");
  });

  it("reports every invalid variable together", () => {
    const issues = issuesOf({
      DATABASE_URL: "mysql://nope",
      PORT: "eighty",
      ENCRYPTION_KEY_ID: "has spaces",
      ENCRYPTION_KEYS_PREVIOUS: "old:dG9vIHNob3J0",
      ADMIN_API_KEY: "short",
      SANDBOX: "maybe",
      LOG_LEVEL: "loud",
      WORKER_CONCURRENCY: "0",
    });
    expect(issues.map((i) => i.split(":")[0]).sort()).toEqual([
      "ADMIN_API_KEY",
      "DATABASE_URL",
      "ENCRYPTION_KEY", // required with DATABASE_URL
      "ENCRYPTION_KEYS_PREVIOUS",
      "ENCRYPTION_KEY_ID",
      "ENCRYPTION_KEY_ID", // also: set without ENCRYPTION_KEY
      "LOG_LEVEL",
      "PORT",
      "SANDBOX",
      "WORKER_CONCURRENCY",
    ]);
    expect(issues.find((i) => i.startsWith("PORT"))).toMatch(/whole number from 0 to 65535/);
  });

  it("requires ENCRYPTION_KEY with DATABASE_URL, and a 32-byte one", () => {
    expect(issuesOf({ DATABASE_URL: "postgres://db/app" })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEY: required with DATABASE_URL/),
    ]);
    expect(
      issuesOf({
        DATABASE_URL: "postgres://db/app",
        ENCRYPTION_KEY: randomBytes(16).toString("base64"),
      }),
    ).toEqual([expect.stringMatching(/^ENCRYPTION_KEY: must be 32 random bytes/)]);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "" }, "/srv/app").http.port).toBe(4000);
  });

  it("takes the customer's AvidXchange pace and the worker metrics port; refuses nonsense", () => {
    expect(loadConfig({}, "/srv/app")).toMatchObject({ avidRateLimit: {}, metricsPort: undefined });
    expect(
      loadConfig(
        { AVID_REQUESTS_PER_SECOND: "2.5", AVID_BURST: "10", METRICS_PORT: "9464" },
        "/srv/app",
      ),
    ).toMatchObject({ avidRateLimit: { requestsPerSecond: 2.5, burst: 10 }, metricsPort: 9464 });
    expect(issuesOf({ AVID_REQUESTS_PER_SECOND: "0", AVID_BURST: "-1" })).toEqual([
      expect.stringMatching(/^AVID_REQUESTS_PER_SECOND: /),
      expect.stringMatching(/^AVID_BURST: /),
    ]);
  });
});
