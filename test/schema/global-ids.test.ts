import { describe, expect, it } from "vitest";

import { syncRuns } from "../../src/db/schema/index.js";
import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { globalId } from "./jobs.js";
import { seedConnection } from "./seed.js";

import type { GraphQLResponse } from "../server/harness.js";

guardLeaks();
const gateway = useSchemaGateway();

const UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000";
/** Ids no record of this API can have, each wrong in its own way. */
const MALFORMED: [what: string, id: string][] = [
  ["plain text", "not-an-id"],
  ["empty", ""],
  ["base64 without a type", Buffer.from("no colon").toString("base64")],
  ["a type with a malformed id inside", globalId("Invoice", "not-a-uuid")],
];

/** The one error of a response: a VALIDATION_FAILED naming the input, never a masked error. */
function expectRefused(response: GraphQLResponse, mentioning: string): void {
  expect(response.status).toBe(200);
  expect(response.body.errors).toHaveLength(1);
  const [error] = response.body.errors!;
  expect(error?.message).toMatch(/^Invalid input: /);
  expect(error?.message).toContain(mentioning);
  expect(error?.extensions).toMatchObject({ code: "VALIDATION_FAILED" });
  expect(error?.extensions?.["issues"]).toEqual([
    { path: [], message: expect.stringContaining(mentioning) as unknown },
  ]);
}

/** The masking path ("Unexpected error.") logs each error it hides; none may have been hidden. */
function expectNothingMasked(): void {
  const masked = gateway().logs.lines.filter(
    (line) => line["msg"] === "unexpected error in a GraphQL operation",
  );
  expect(masked).toEqual([]);
}

describe("malformed ids are refused as ValidationError", () => {
  it("in node(id) and nodes(ids), however the id is malformed", async () => {
    const { gql } = gateway();
    for (const [what, id] of MALFORMED) {
      const response = await gql(`query ($id: ID!) { node(id: $id) { id } }`, { id }, "viewer");
      expect(response.body.data, what).toEqual({ node: null });
      expectRefused(response, id === "" ? '""' : id);
    }
    const unknownType = await gql(`query ($id: ID!) { node(id: $id) { id } }`, {
      id: globalId("Nope", UNKNOWN_UUID),
    });
    expectRefused(unknownType, '"Nope" is not a kind of record');

    const many = await gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: [globalId("Invoice", UNKNOWN_UUID), "not-an-id"],
    });
    expectRefused(many, "not-an-id");
    // A well-formed id of no record is not an error: it is simply not there.
    const absent = await gql(`query ($id: ID!) { node(id: $id) { id } }`, {
      id: globalId("Invoice", UNKNOWN_UUID),
    });
    expect(absent.body).toEqual({ data: { node: null } });
    expectNothingMasked();
  });

  it("in query arguments and list filters, including an id of the wrong type", async () => {
    const { gql, database } = gateway();
    const connection = await seedConnection(database.db);
    const connectionId = globalId("Connection", connection.id);

    expectRefused(
      await gql(`query ($id: ID!) { syncRun(id: $id) { id } }`, { id: "not-an-id" }),
      "not-an-id",
    );
    expectRefused(
      await gql(`query ($id: ID!) { syncRun(id: $id) { id } }`, { id: connectionId }),
      "this takes a SyncRun id",
    );
    expectRefused(
      await gql(`query ($id: ID!) { invoices(filter: { connectionIds: [$id] }) { totalCount } }`, {
        id: "garbage",
      }),
      "garbage",
    );
    expectRefused(
      await gql(`query ($id: ID!) { transaction(id: $id) { kind } }`, { id: "nope" }),
      '"nope" is not a transaction ID',
    );
    expectNothingMasked();
  });

  it("in mutations, as the ValidationError member of the result union, changing nothing", async () => {
    const { gql, database } = gateway();
    const before = await database.db.select().from(syncRuns);
    const trigger = await gql(
      `mutation ($id: ID!) {
        triggerSync(connectionId: $id, kind: SUPPLIERS) {
          __typename
          ... on ValidationError { code message issues { message } }
        }
      }`,
      { id: "garbage" },
      "operator",
    );
    expect(trigger.body.errors).toBeUndefined();
    expect(trigger.body.data).toMatchObject({
      triggerSync: {
        __typename: "ValidationError",
        code: "VALIDATION_FAILED",
        message: expect.stringContaining('"garbage" is not an id of this API') as unknown,
      },
    });
    const replay = await gql(
      `mutation { replayTransaction(transactionId: "nope") { __typename ... on Error { code } } }`,
      {},
      "operator",
    );
    expect(replay.body).toEqual({
      data: { replayTransaction: { __typename: "ValidationError", code: "VALIDATION_FAILED" } },
    });
    const revoke = await gql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ... on Error { code } } }`,
      { id: globalId("ApiKey", "x") },
    );
    expect(revoke.body).toEqual({
      data: { revokeApiKey: { __typename: "ValidationError", code: "VALIDATION_FAILED" } },
    });
    expect(await database.db.select().from(syncRuns)).toEqual(before);
    expectNothingMasked();
  });

  it("in subscription arguments, before anything is subscribed", async () => {
    const { yoga, keys, events } = gateway();
    for (const args of ['runId: "garbage"', 'connectionId: "garbage"']) {
      const response = await yoga.fetch("http://yoga/graphql", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          authorization: `Bearer ${keys.viewer}`,
        },
        body: JSON.stringify({ query: `subscription { syncProgress(${args}) { state } }` }),
      });
      // The stream carries the refusal and ends, so reading it to the end terminates.
      const text = await response.text();
      const next = /event: next\ndata: (.*)\n/.exec(text);
      const result = JSON.parse(next?.[1] ?? "{}") as GraphQLResponse["body"];
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "VALIDATION_FAILED" });
      expect(result.errors?.[0]?.message).toContain('"garbage" is not a');
    }
    expect(events.listenerCount("syncProgress")).toBe(0);
    expectNothingMasked();
  });
});
