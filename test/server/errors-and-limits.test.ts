import { getIntrospectionQuery } from "graphql";
import { createSchema } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { issueApiKey } from "../../src/auth/api-keys.js";
import { NotFoundError } from "../../src/errors.js";
import { createPgPubSub } from "../../src/events/pubsub.js";
import { createYoga } from "../../src/server/yoga.js";
import { createTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { captureLogs, postGraphQL, useGateway } from "./harness.js";

import type { PgPubSub } from "../../src/events/pubsub.js";
import type { AppYoga } from "../../src/server/yoga.js";
import type { TestDatabase } from "../setup/db.js";

guardLeaks();
const gateway = useGateway();

describe("error masking", () => {
  // A schema of failures, served by the real createYoga, to see what reaches the client.
  // (Built with Yoga's createSchema so it shares Yoga's copy of graphql.)
  const failing = createSchema({
    typeDefs: "type Query { crash: String, missing: String, fine: String }",
    resolvers: {
      Query: {
        crash: () => {
          throw new Error("connect ECONNREFUSED 10.20.30.40:5432 (select * from credentials)", {
            cause: new Error("socket hang up"),
          });
        },
        missing: () => {
          throw new NotFoundError("Connection");
        },
        fine: () => "ok",
      },
    },
  });
  let database: TestDatabase;
  let events: PgPubSub;
  let yoga: AppYoga;
  let key: string;
  const logs = captureLogs();

  beforeAll(async () => {
    database = await createTestDatabase();
    events = createPgPubSub({ sql: database.sql, logger: logs.logger });
    yoga = createYoga({
      schema: failing,
      deps: { db: database.db, sql: database.sql, pubsub: events.pubsub, logger: logs.logger },
    });
    key = (await issueApiKey(database.db, { name: "masking", role: "viewer" })).key;
  });
  afterAll(async () => {
    await yoga.dispose();
    await events.close();
    await database.close();
  });

  it("replaces an unexpected error with 'Unexpected error.' and logs it with its cause", async () => {
    const response = await postGraphQL(yoga, "{ crash fine }", { key });
    expect(response.body).toEqual({
      data: { crash: null, fine: "ok" },
      errors: [
        {
          message: "Unexpected error.",
          locations: [{ line: 1, column: 3 }],
          path: ["crash"],
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        },
      ],
    });
    expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|10\.20|credentials/);

    const logged = logs.lines.find(
      (line) => line["msg"] === "unexpected error in a GraphQL operation",
    );
    expect(logged).toMatchObject({
      level: 50,
      path: "crash",
      // pino's error serializer folds the cause chain into the message.
      err: {
        message:
          "connect ECONNREFUSED 10.20.30.40:5432 (select * from credentials): socket hang up",
      },
    });
  });

  it("lets an expected (public) error through with its code", async () => {
    const response = await postGraphQL(yoga, "{ missing }", { key });
    expect(response.body).toEqual({
      data: { missing: null },
      errors: [
        {
          message: "Connection not found.",
          locations: [{ line: 1, column: 3 }],
          path: ["missing"],
          extensions: { code: "NOT_FOUND" },
        },
      ],
    });
  });
});

describe("operation limits", () => {
  // `__type` is recursive and, unlike `__schema`, not exempt from our limits: deep `ofType`
  // chains are the classic abusive query. (graphql-js itself only caps nested `fields`.)
  const ofType = (depth: number, leaf = "name"): string =>
    depth === 0 ? leaf : `${leaf} ofType { ${ofType(depth - 1, leaf)} }`;

  it("accepts a legitimately deep query", async () => {
    const { gql, keys } = gateway();
    const response = await gql(`{ __type(name: "Query") { fields { type { ${ofType(3)} } } } }`, {
      key: keys.viewer,
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.["__type"]).toMatchObject({ fields: expect.any(Array) as unknown });
  });

  it("rejects a query nested deeper than the depth limit, before running it", async () => {
    const { gql, keys } = gateway();
    const response = await gql(`{ __type(name: "Query") { fields { type { ${ofType(12)} } } } }`, {
      key: keys.viewer,
    });
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: "Syntax Error: Query depth limit of 12 exceeded, found 16.",
      }),
    ]);
  });

  it("rejects a query whose cost is over the limit even within the depth and alias limits", async () => {
    const { gql, keys } = gateway();
    const leaf = "name kind description specifiedByURL";
    const aliases = Array.from(
      { length: 12 },
      (_, i) =>
        `t${i}: __type(name: "Query") { fields { name description args { name description type { ${ofType(6, leaf)} } } type { ${ofType(6, leaf)} } } }`,
    ).join("\n");
    const response = await gql(`{ ${aliases} }`, { key: keys.viewer });
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Syntax Error: Query Cost limit of 5000 exceeded, found [\d.]+\.$/,
        ) as unknown,
      }),
    ]);
  });

  it("rejects too many aliases", async () => {
    const { gql, keys } = gateway();
    const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: viewer { role }`).join(" ");
    const response = await gql(`{ ${aliases} }`, { key: keys.viewer });
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: "Syntax Error: Aliases limit of 20 exceeded, found 21.",
      }),
    ]);
  });

  it("exempts GraphiQL's introspection query (__schema)", async () => {
    const { gql, keys } = gateway();
    const response = await gql(getIntrospectionQuery(), { key: keys.viewer });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.["__schema"]).toBeTruthy();
  });
});
