import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { authenticateApiKey } from "../../src/auth/api-keys.js";
import { createHttpServer } from "../../src/server/http.js";
import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { globalId, queuedJobs } from "./jobs.js";
import { seedConnection, seedInvoice, seedSupplier } from "./seed.js";

import type { HttpServer } from "../../src/server/http.js";

guardLeaks();
const gateway = useSchemaGateway();

let server: HttpServer | undefined;
let url = "";

beforeAll(async () => {
  const { yoga, database, logs } = gateway();
  server = createHttpServer({
    yoga,
    authenticate: (key) => authenticateApiKey(database.db, key),
    logger: logs.logger,
    drainTimeoutMs: 500,
  });
  url = await server.listen(0, "127.0.0.1");
});
afterAll(async () => {
  await server?.close();
});

async function post(key: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] },
  };
}

describe("over a real HTTP server", () => {
  it("serves a filtered invoice list and a triggerSync, as a portal would call them", async () => {
    const { database, keys } = gateway();
    const connection = await seedConnection(database.db);
    const supplier = await seedSupplier(database.db, connection.id, { name: "Wire Supplies" });
    await seedInvoice(database.db, connection.id, supplier, {
      invoiceNumber: "HTTP-1",
      amount: "99.90",
    });

    const list = await post(
      keys.viewer,
      `query ($filter: InvoiceFilter) { invoices(filter: $filter) { totalCount edges { node { invoiceNumber amount supplier { name } } } } }`,
      { filter: { connectionIds: [globalId("Connection", connection.id)], search: "wire" } },
    );
    expect(list).toEqual({
      status: 200,
      body: {
        data: {
          invoices: {
            totalCount: 1,
            edges: [
              {
                node: {
                  invoiceNumber: "HTTP-1",
                  amount: "99.90",
                  supplier: { name: "Wire Supplies" },
                },
              },
            ],
          },
        },
      },
    });

    const trigger = await post(
      keys.operator,
      `mutation ($id: ID!) { triggerSync(connectionId: $id, kind: SUPPLIERS) { ... on MutationTriggerSyncSuccess { data { state actor } } } }`,
      { id: globalId("Connection", connection.id) },
    );
    expect(trigger.body).toEqual({
      data: { triggerSync: { data: { state: "QUEUED", actor: "test-operator" } } },
    });
    const jobs = await queuedJobs(database.sql, "sync:run");
    expect(jobs.some((job) => job.queue === `conn:${connection.id}:to-avidxchange`)).toBe(true);

    const refused = await post(
      keys.viewer,
      `mutation ($id: ID!) { triggerSync(connectionId: $id, kind: SUPPLIERS) { __typename } }`,
      { id: globalId("Connection", connection.id) },
    );
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: "FORBIDDEN" } }),
    ]);
  });
});
