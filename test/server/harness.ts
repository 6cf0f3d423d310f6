import { Writable } from "node:stream";

import { afterAll, beforeAll } from "vitest";

import { issueApiKey } from "../../src/auth/api-keys.js";
import { createPgPubSub } from "../../src/events/pubsub.js";
import { createLogger } from "../../src/logger.js";
import { schema } from "../../src/schema/index.js";
import { createYoga } from "../../src/server/yoga.js";
import { createTestDatabase } from "../setup/db.js";

import type { PgPubSub } from "../../src/events/pubsub.js";
import type { Logger } from "../../src/logger.js";
import type { AppYoga, CreateYogaOptions } from "../../src/server/yoga.js";
import type { TestDatabase } from "../setup/db.js";

/** Log lines captured from the code under test, parsed. */
export interface CapturedLogs {
  readonly lines: Record<string, unknown>[];
  readonly logger: Logger;
}

export function captureLogs(): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim()) {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
      }
      callback();
    },
  });
  return { lines, logger: createLogger({ level: "debug", destination }) };
}

export interface GraphQLResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[];
  };
}

export interface Gateway {
  readonly database: TestDatabase;
  readonly yoga: AppYoga;
  readonly events: PgPubSub;
  readonly logs: CapturedLogs;
  /** Plaintext keys issued for this file, one per role. */
  readonly keys: { readonly viewer: string; readonly operator: string; readonly admin: string };
  /** POSTs one operation through `yoga.fetch`; `key: null` sends no Authorization header. */
  readonly gql: (
    query: string,
    options?: { key?: string | null; variables?: Record<string, unknown> },
  ) => Promise<GraphQLResponse>;
}

/**
 * Per test file: a migrated database, the event bus, the real schema behind `createYoga`, and
 * one API key per role (named `test-viewer`, `test-operator`, `test-admin`).
 */
export function useGateway(overrides: Partial<Omit<CreateYogaOptions, "schema" | "deps">> = {}) {
  let current: Gateway | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    const logs = captureLogs();
    const events = createPgPubSub({ sql: database.sql, logger: logs.logger });
    await events.ready;
    const yoga = createYoga({
      schema,
      deps: { db: database.db, sql: database.sql, pubsub: events.pubsub, logger: logs.logger },
      ...overrides,
    });
    const issue = async (role: "viewer" | "operator" | "admin") =>
      (await issueApiKey(database.db, { name: `test-${role}`, role })).key;
    const keys = {
      viewer: await issue("viewer"),
      operator: await issue("operator"),
      admin: await issue("admin"),
    };
    current = {
      database,
      yoga,
      events,
      logs,
      keys,
      gql: (query, options = {}) => postGraphQL(yoga, query, options),
    };
  });
  afterAll(async () => {
    await current?.yoga.dispose();
    await current?.events.close();
    await current?.database.close();
  });
  return () => {
    if (!current) {
      throw new Error("useGateway(): use the gateway inside a test or hook");
    }
    return current;
  };
}

export async function postGraphQL(
  yoga: AppYoga,
  query: string,
  options: { key?: string | null; variables?: Record<string, unknown> } = {},
): Promise<GraphQLResponse> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json",
  };
  if (options.key) {
    headers["authorization"] = `Bearer ${options.key}`;
  }
  const response = await yoga.fetch("http://yoga/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse["body"],
  };
}
