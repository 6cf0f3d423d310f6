import { getIntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";

import { auditEvents } from "../../src/db/schema/index.js";
import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { globalId } from "./jobs.js";

import type { Role } from "./harness.js";

guardLeaks();
const gateway = useSchemaGateway();

const NO_ID = "00000000-0000-4000-8000-000000000000";

/**
 * Every mutation, the weakest role that may call it, and a call that (when allowed) ends in a typed
 * failure without changing anything, so each cell of the matrix is independent of the others.
 */
const MATRIX: Record<
  string,
  { role: Role; document: string; variables?: Record<string, unknown> }
> = {
  createConnection: {
    role: "admin",
    document: `mutation { createConnection(input: { name: "", sysproEnetBaseUrl: "x", sysproOdataBaseUrl: "x", sysproCompanyId: "x", sysproOperator: "x", sysproOdataUser: "x", avidBaseUrl: "x", avidTokenUrl: "x", avidClientId: "x", avidCompanyId: "x" }) { __typename } }`,
  },
  updateConnection: {
    role: "admin",
    document: `mutation ($id: ID!) { updateConnection(input: { id: $id, name: "n" }) { __typename } }`,
    variables: { id: globalId("Connection", NO_ID) },
  },
  setCredentials: {
    role: "admin",
    document: `mutation ($id: ID!) { setCredentials(input: { connectionId: $id, avidClientSecret: "s" }) { __typename } }`,
    variables: { id: globalId("Connection", NO_ID) },
  },
  testConnection: {
    role: "admin",
    document: `mutation ($id: ID!) { testConnection(id: $id) { __typename } }`,
    variables: { id: globalId("Connection", NO_ID) },
  },
  upsertGlMapping: {
    role: "admin",
    document: `mutation ($id: ID!) { upsertGlMapping(input: { connectionId: $id, mapping: { kind: EXACT, sysproGlCode: "1", avidGlCode: "1" } }) { __typename } }`,
    variables: { id: globalId("Connection", NO_ID) },
  },
  deleteGlMapping: {
    role: "admin",
    document: `mutation ($id: ID!) { deleteGlMapping(id: $id) { __typename } }`,
    variables: { id: globalId("GlMapping", NO_ID) },
  },
  importGlMappings: {
    role: "admin",
    document: `mutation ($id: ID!) { importGlMappings(input: { connectionId: $id, mappings: [] }) { __typename } }`,
    variables: { id: globalId("Connection", NO_ID) },
  },
  createApiKey: {
    role: "admin",
    document: `mutation { createApiKey(input: { name: "", role: VIEWER }) { __typename } }`,
  },
  revokeApiKey: {
    role: "admin",
    document: `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }`,
    variables: { id: globalId("ApiKey", NO_ID) },
  },
  triggerSync: {
    role: "operator",
    document: `mutation ($id: ID!) { triggerSync(connectionId: $id, kind: INVOICES) { __typename } }`,
    variables: { id: globalId("Connection", NO_ID) },
  },
  replayTransaction: {
    role: "operator",
    document: `mutation { replayTransaction(transactionId: "01JZZZZZZZZZZZZZZZZZZZZZZZ") { __typename } }`,
  },
  resolveException: {
    role: "operator",
    document: `mutation ($id: ID!) { resolveException(id: $id, action: RETRY, note: "n") { __typename } }`,
    variables: { id: globalId("SyncException", NO_ID) },
  },
  setSchedule: {
    role: "operator",
    document: `mutation ($id: ID!) { setSchedule(input: { connectionId: $id, kind: INVOICES, everyMinutes: 10 }) { __typename } }`,
    variables: { id: globalId("Connection", NO_ID) },
  },
  pauseSchedule: {
    role: "operator",
    document: `mutation ($id: ID!) { pauseSchedule(id: $id) { __typename } }`,
    variables: { id: globalId("Schedule", NO_ID) },
  },
  resumeSchedule: {
    role: "operator",
    document: `mutation ($id: ID!) { resumeSchedule(id: $id) { __typename } }`,
    variables: { id: globalId("Schedule", NO_ID) },
  },
};

const ROLES: Role[] = ["viewer", "operator", "admin"];
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

describe("role matrix: every mutation × every role", () => {
  it("covers every mutation in the schema", async () => {
    const { data } = gateway();
    const introspection = await data<{
      __schema: {
        mutationType: { name: string };
        types: { name: string; fields: { name: string }[] | null }[];
      };
    }>(getIntrospectionQuery(), {}, "viewer");
    const mutation = introspection.__schema.types.find(
      (t) => t.name === introspection.__schema.mutationType.name,
    );
    expect(mutation?.fields?.map((f) => f.name).sort()).toEqual(Object.keys(MATRIX).sort());
  });

  for (const [field, cell] of Object.entries(MATRIX)) {
    for (const role of ROLES) {
      const allowed = RANK[role] >= RANK[cell.role];
      it(`${field} as ${role}: ${allowed ? "allowed" : "FORBIDDEN"}`, async () => {
        const { gql, database } = gateway();
        const before = await database.db.$count(auditEvents);
        const response = await gql(cell.document, cell.variables ?? {}, role);
        expect(response.status).toBe(200);
        if (allowed) {
          expect(response.body.errors).toBeUndefined();
          const result = (response.body.data as Record<string, { __typename: string }>)[field];
          // A typed result (here always an expected failure): the role check let it through.
          expect(result?.__typename).toMatch(/Error$/);
        } else {
          expect(response.body.data).toBeNull();
          expect(response.body.errors).toEqual([
            expect.objectContaining({
              path: [field],
              extensions: { code: "FORBIDDEN" },
              message: `Forbidden: Mutation.${field} needs the ${cell.role} role; this API key has ${role}.`,
            }),
          ]);
        }
        expect(await database.db.$count(auditEvents)).toBe(before);
      });
    }
  }
});

describe("reads", () => {
  it("lets every role read every list; API keys stay admin-only", async () => {
    const { gql } = gateway();
    const lists = `{
      connections { totalCount } suppliers { totalCount } purchaseOrders { totalCount }
      invoices { totalCount } payments { totalCount } glAccounts { totalCount } avidCodes { totalCount }
      glMappings { totalCount } syncRuns { totalCount } auditEvents { totalCount } exceptions { totalCount }
      schedules { id }
    }`;
    for (const role of ROLES) {
      const response = await gql(lists, {}, role);
      expect(response.body.errors).toBeUndefined();
    }
    const keys = await gql(`{ apiKeys { name } }`, {}, "operator");
    expect(keys.body.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    const unauthenticated = await gql(lists, {}, null);
    expect(unauthenticated.status).toBe(401);
  });
});
