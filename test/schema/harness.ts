import { afterAll, beforeAll } from "vitest";

import { issueApiKey } from "../../src/auth/api-keys.js";
import { createPgPubSub } from "../../src/events/pubsub.js";
import { schema } from "../../src/schema/index.js";
import { createYoga } from "../../src/server/yoga.js";
import { captureLogs, postGraphQL } from "../server/harness.js";
import { createTestDatabase } from "../setup/db.js";
import { createTestCommandServices } from "./services.js";

import type { PgPubSub } from "../../src/events/pubsub.js";
import type { CommandServices } from "../../src/sync/commands/services.js";
import type { AppYoga } from "../../src/server/yoga.js";
import type { CapturedLogs, GraphQLResponse } from "../server/harness.js";
import type { TestDatabase } from "../setup/db.js";
import type { Db } from "../../src/db/client.js";
import type { Vault } from "../../src/secrets/vault.js";
import type { Sql } from "postgres";
import type { DiagnoseConnection } from "../../src/sync/commands/connections.js";

export type Role = "viewer" | "operator" | "admin";

export interface SchemaGateway {
  readonly database: TestDatabase;
  readonly yoga: AppYoga;
  readonly events: PgPubSub;
  readonly logs: CapturedLogs;
  readonly commands: CommandServices;
  /** One key per role, named `test-viewer`, `test-operator`, `test-admin`. */
  readonly keys: Readonly<Record<Role, string>>;
  /** Statements sent to PostgreSQL while `recording` is on (see `countStatements`). */
  readonly statements: string[];
  /** Runs `fn` and returns the SQL statements it sent. */
  countStatements: <T>(fn: () => Promise<T>) => Promise<{ result: T; statements: string[] }>;
  /** POSTs one operation through `yoga.fetch` as `role` (default admin). */
  gql: (
    query: string,
    variables?: Record<string, unknown>,
    role?: Role | null,
  ) => Promise<GraphQLResponse>;
  /** `gql` that fails the test on GraphQL errors and returns `data`. */
  data: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    role?: Role,
  ) => Promise<T>;
}

export interface SchemaGatewayOptions {
  /**
   * Builds the connection test the mutations call, from this file's database and vault
   * (default: one that refuses to run).
   */
  readonly diagnose?: (deps: { db: Db; sql: Sql; vault: Vault }) => DiagnoseConnection;
}

/**
 * Per test file: a migrated database whose statements can be counted, the real schema behind
 * `createYoga` with the real job queue and a test vault, and one API key per role.
 */
export function useSchemaGateway(options: SchemaGatewayOptions = {}): () => SchemaGateway {
  let current: SchemaGateway | undefined;
  beforeAll(async () => {
    const statements: string[] = [];
    let recording = false;
    const database = await createTestDatabase({
      onQuery: (query) => {
        if (recording) {
          statements.push(query);
        }
      },
    });
    const logs = captureLogs();
    const events = createPgPubSub({ sql: database.sql, logger: logs.logger });
    await events.ready;
    const base = createTestCommandServices();
    const commands = options.diagnose
      ? {
          ...base,
          diagnose: options.diagnose({ db: database.db, sql: database.sql, vault: base.vault }),
        }
      : base;
    const yoga = createYoga({
      schema,
      deps: {
        db: database.db,
        sql: database.sql,
        pubsub: events.pubsub,
        logger: logs.logger,
        commands,
      },
    });
    const issue = async (role: Role) =>
      (await issueApiKey(database.db, { name: `test-${role}`, role })).key;
    const keys = {
      viewer: await issue("viewer"),
      operator: await issue("operator"),
      admin: await issue("admin"),
    };
    const gql: SchemaGateway["gql"] = (query, variables = {}, role = "admin") =>
      postGraphQL(yoga, query, { key: role ? keys[role] : null, variables });
    current = {
      database,
      yoga,
      events,
      logs,
      commands,
      keys,
      statements,
      async countStatements(fn) {
        statements.length = 0;
        recording = true;
        try {
          const result = await fn();
          return { result, statements: [...statements] };
        } finally {
          recording = false;
        }
      },
      gql,
      async data(query, variables, role = "admin") {
        const response = await gql(query, variables, role);
        if (response.body.errors?.length || !response.body.data) {
          const logged = logs.lines
            .filter((line) => Number(line["level"]) >= 50)
            .slice(-3)
            .map((line) => JSON.stringify(line["err"] ?? line["msg"]));
          throw new Error(
            `GraphQL errors: ${JSON.stringify(response.body, null, 2)}\nlogged: ${logged.join("\n")}`,
          );
        }
        return response.body.data as never;
      },
    };
  });
  afterAll(async () => {
    await current?.yoga.dispose();
    await current?.events.close();
    await current?.database.close();
  });
  return () => {
    if (!current) {
      throw new Error("useSchemaGateway(): use the gateway inside a test or hook");
    }
    return current;
  };
}
