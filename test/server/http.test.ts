import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { authenticateApiKey, issueApiKey, revokeApiKey } from "../../src/auth/api-keys.js";
import { createHttpServer } from "../../src/server/http.js";
import { publishFromAnotherProcess, waitUntil } from "../events/publisher.js";
import { guardLeaks } from "../setup/leaks.js";
import { useGateway } from "./harness.js";

import type { SyncProgressEvent } from "../../src/events/topics.js";
import type { HttpServer } from "../../src/server/http.js";
import type { Client } from "graphql-ws";

guardLeaks();
const gateway = useGateway();

let server: HttpServer;
let url: string;

beforeAll(async () => {
  const { yoga, database, logs } = gateway();
  server = createHttpServer({
    yoga,
    authenticate: (key) => authenticateApiKey(database.db, key),
    logger: logs.logger,
  });
  url = await server.listen(0);
});
afterAll(async () => {
  await server.close();
});

const RUN_ID = "7e0c4a9e-1111-4000-8000-00000000abcd";
const progress = (state: string): SyncProgressEvent => ({
  runId: RUN_ID,
  connectionId: "c0a80101-0000-4000-8000-000000000001",
  kind: "invoices",
  state,
  counts: { sent: 98, read: 100, exceptions: 2 },
  message: "page 3 of 3",
  at: "2025-01-31T12:00:00.000Z",
});
const SYNC_PROGRESS = /* GraphQL */ `
  subscription ($runId: ID!) {
    syncProgress(runId: $runId) {
      runId
      kind
      state
      counts {
        name
        value
      }
      message
      at
    }
  }
`;
const expectedProgress = (state: string) => ({
  data: {
    syncProgress: {
      runId: RUN_ID,
      kind: "invoices",
      state,
      counts: [
        { name: "exceptions", value: 2 },
        { name: "read", value: 100 },
        { name: "sent", value: 98 },
      ],
      message: "page 3 of 3",
      at: "2025-01-31T12:00:00.000Z",
    },
  },
});

function wsClient(authorization: string | undefined, lazy = true): Client {
  return createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy,
    connectionParams: authorization ? { authorization } : {},
  });
}

describe("the HTTP server", () => {
  it("prints a GraphQL URL and serves /healthz and /readyz", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, database: "ok", migrations: "ok" });
  });

  it("answers { __typename } with a key and refuses it without", async () => {
    const { keys } = gateway();
    const ask = (headers: Record<string, string>) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
    const allowed = await ask({ authorization: `Bearer ${keys.viewer}` });
    expect(await allowed.json()).toEqual({ data: { __typename: "Query" } });
    const refused = await ask({});
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { data?: unknown }).data).toBeUndefined();
  });
});

describe("subscriptions fed by another process", () => {
  it("delivers over SSE an event a worker process NOTIFYed", async () => {
    const { keys, events, database } = gateway();
    const abort = new AbortController();
    const response = await fetch(url, {
      method: "POST",
      signal: abort.signal,
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${keys.viewer}`,
      },
      body: JSON.stringify({ query: SYNC_PROGRESS, variables: { runId: RUN_ID } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const nextEvent = async (): Promise<unknown> => {
      for (;;) {
        const match = /event: next\ndata: (.*)\n\n/.exec(buffer);
        if (match?.[1]) {
          buffer = buffer.slice((match.index ?? 0) + match[0].length);
          return JSON.parse(match[1]);
        }
        const { value, done } = await reader.read();
        if (done) {
          throw new Error("SSE stream ended");
        }
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const first = nextEvent(); // keeps pulling, so Yoga starts the subscription
    await waitUntil(() => events.listenerCount("syncProgress") > 0, "the SSE subscription is live");

    await publishFromAnotherProcess(database.url, "syncProgress", progress("running"));

    expect(await first).toEqual(expectedProgress("running"));
    abort.abort();
    await reader.cancel().catch(() => undefined);
    await waitUntil(() => events.listenerCount("syncProgress") === 0, "the SSE subscription ended");
  });

  it("delivers over WebSocket (graphql-ws) an event a worker process NOTIFYed", async () => {
    const { keys, events, database } = gateway();
    const client = wsClient(`Bearer ${keys.viewer}`);
    try {
      const iterator = client.iterate({ query: SYNC_PROGRESS, variables: { runId: RUN_ID } });
      const first = iterator.next();
      await waitUntil(
        () => events.listenerCount("syncProgress") > 0,
        "the WS subscription is live",
      );

      // Another run's events are filtered out; ours arrives.
      await publishFromAnotherProcess(database.url, "syncProgress", {
        ...progress("running"),
        runId: "someone-else",
      });
      await publishFromAnotherProcess(database.url, "syncProgress", progress("succeeded"));

      expect((await first).value).toEqual(expectedProgress("succeeded"));
      await iterator.return?.();
    } finally {
      await client.dispose();
    }
  });

  it("streams this process's audit events over WebSocket (createApiKey by an admin)", async () => {
    const { keys, events, gql } = gateway();
    const client = wsClient(keys.viewer); // a bare key is accepted too
    try {
      const iterator = client.iterate({
        query:
          'subscription { auditEvents(types: ["api_key.created"]) { type actor subjectType } }',
      });
      const first = iterator.next();
      await waitUntil(
        () => events.listenerCount("auditEvents") > 0,
        "the audit subscription is live",
      );
      const created = await gql(
        'mutation { createApiKey(input: { name: "ws-audit", role: VIEWER }) { __typename } }',
        { key: keys.admin },
      );
      expect(created.body.data).toEqual({
        createApiKey: { __typename: "MutationCreateApiKeySuccess" },
      });
      expect((await first).value).toEqual({
        data: {
          auditEvents: { type: "api_key.created", actor: "test-admin", subjectType: "api_key" },
        },
      });
      await iterator.return?.();
    } finally {
      await client.dispose();
    }
  });

  it("closes a WebSocket without a valid key with 4403 Forbidden", async () => {
    for (const authorization of [undefined, "Bearer mlc_nope-nope-nope-nope-nope"]) {
      const client = wsClient(authorization);
      try {
        const iterator = client.iterate({ query: "subscription { auditEvents { id } }" });
        await expect(iterator.next()).rejects.toMatchObject({ code: 4403 });
      } finally {
        await client.dispose();
      }
    }
  });

  it("refuses a subscription with neither runId nor connectionId, explaining why", async () => {
    const { keys } = gateway();
    const client = wsClient(`Bearer ${keys.viewer}`);
    try {
      const iterator = client.iterate({ query: "subscription { syncProgress { runId } }" });
      const result = await iterator.next();
      expect(result.value).toMatchObject({
        errors: [
          expect.objectContaining({
            message: "Invalid input: Give exactly one of runId or connectionId.",
            extensions: expect.objectContaining({ code: "VALIDATION_FAILED" }) as unknown,
          }),
        ],
      });
    } finally {
      await client.dispose();
    }
  });

  it("applies the operation limits and re-checks the key per operation over WebSocket", async () => {
    const { database } = gateway();
    const issued = await issueApiKey(database.db, { name: "ws-limits", role: "viewer" });
    // Not lazy: one socket for all three operations, as a long-lived portal connection would be.
    const client = wsClient(`Bearer ${issued.key}`, false);
    const ofType = (depth: number): string =>
      depth === 0 ? "name" : `name ofType { ${ofType(depth - 1)} }`;
    try {
      // Refused before it runs: graphql-ws answers the operation with an error message.
      await expect(
        client
          .iterate({ query: `{ __type(name: "Query") { fields { type { ${ofType(12)} } } } }` })
          .next(),
      ).rejects.toMatchObject([
        { message: "Syntax Error: Query depth limit of 12 exceeded, found 16." },
      ]);
      expect(await client.iterate({ query: "{ __typename }" }).next()).toMatchObject({
        value: { data: { __typename: "Query" } },
      });

      await revokeApiKey(database.db, issued.apiKey.id);
      await expect(client.iterate({ query: "{ __typename }" }).next()).rejects.toMatchObject([
        { extensions: { code: "UNAUTHENTICATED" } },
      ]);
    } finally {
      await client.dispose();
    }
  });
});
