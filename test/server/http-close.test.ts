import { createClient } from "graphql-ws";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";

import { authenticateApiKey } from "../../src/auth/api-keys.js";
import { createHttpServer } from "../../src/server/http.js";
import { waitUntil } from "../events/publisher.js";
import { guardLeaks } from "../setup/leaks.js";
import { useGateway } from "./harness.js";

guardLeaks();
const gateway = useGateway();

describe("closing the HTTP server", () => {
  it("ends open SSE and WebSocket subscriptions, drains, and stops accepting", async () => {
    const { yoga, database, logs, keys, events } = gateway();
    const server = createHttpServer({
      yoga,
      authenticate: (key) => authenticateApiKey(database.db, key),
      logger: logs.logger,
      drainTimeoutMs: 2_000,
    });
    const url = await server.listen(0);

    const sse = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${keys.viewer}`,
      },
      body: JSON.stringify({ query: "subscription { auditEvents { id } }" }),
    });
    const reader = sse.body!.getReader();
    const sseEnded = (async () => {
      try {
        while (!(await reader.read()).done) {
          // keep reading until the server ends the stream
        }
        return "ended";
      } catch {
        return "ended";
      }
    })();

    let onClosed: (code: number) => void = () => undefined;
    const closed = new Promise<number>((resolve) => {
      onClosed = resolve;
    });
    const client = createClient({
      url: url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${keys.viewer}` },
      on: { closed: (event) => onClosed((event as { code: number }).code) },
    });
    client.subscribe(
      { query: "subscription { auditEvents { id } }" },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await waitUntil(() => events.listenerCount("auditEvents") === 2, "both subscriptions are live");

    await server.close();

    expect(await closed).toBe(1001);
    expect(await sseEnded).toBe("ended");
    await waitUntil(() => events.listenerCount("auditEvents") === 0, "subscriptions released");
    await expect(fetch(`${new URL(url).origin}/healthz`)).rejects.toThrow();
    await client.dispose();
  });
});
