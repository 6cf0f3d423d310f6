import { createServer } from "node:http";

import { SpanKind, trace } from "@opentelemetry/api";
import { Agent, request } from "undici";
import { afterAll, describe, expect, it } from "vitest";

import { instrumentTasks } from "../../src/metrics/instrument-tasks.js";
import { tracer, tracingEnabled } from "../../src/metrics/tracing.js";
import { traceUndiciRequests } from "../../src/metrics/tracing-http.js";
import { schema } from "../../src/schema/index.js";
import { createYoga } from "../../src/server/yoga.js";
import { useSchemaGateway } from "../schema/harness.js";
import { postGraphQL } from "../server/harness.js";
import { guardLeaks } from "../setup/leaks.js";
import { registerRecordingTracer } from "./recording-tracer.js";

import type { RecordedSpan } from "./recording-tracer.js";
import type { JobHelpers, Task } from "graphile-worker";
import type { AddressInfo } from "node:net";

guardLeaks();

const QUERY = "query FirstConnections { connections(first: 1) { edges { node { id } } } }";

describe("OpenTelemetry hooks", () => {
  // Built before any tracer provider exists, as in a process started without an SDK.
  const gateway = useSchemaGateway();
  let recorder: ReturnType<typeof registerRecordingTracer> | undefined;
  afterAll(() => {
    recorder?.stop();
  });
  const named = (name: string): RecordedSpan[] => recorder!.spans.filter((s) => s.name === name);

  it("without an SDK nothing is installed: a Yoga built then records nothing even once one is registered", async () => {
    expect(tracingEnabled()).toBe(false);
    recorder = registerRecordingTracer();
    expect(tracingEnabled()).toBe(true);
    const response = await gateway().gql(QUERY);
    expect(response.body.errors).toBeUndefined();
    expect(recorder.spans).toEqual([]);
  });

  it("a Yoga built with an SDK spans each operation; Query fields add resolver events to it", async () => {
    const g = gateway();
    const yoga = createYoga({
      schema,
      deps: {
        db: g.database.db,
        sql: g.database.sql,
        pubsub: g.events.pubsub,
        logger: g.logs.logger,
        commands: g.commands,
      },
    });
    try {
      const ok = await postGraphQL(yoga, QUERY, { key: g.keys.viewer });
      expect(ok.body.errors).toBeUndefined();
      const [span] = named("graphql.query FirstConnections");
      expect(span).toMatchObject({
        kind: SpanKind.SERVER,
        attributes: {
          "graphql.operation.type": "query",
          "graphql.operation.name": "FirstConnections",
        },
        status: { code: 0 },
      });
      expect(
        span!.events.some(
          (e) =>
            e.name === "graphql.resolve" && e.attributes["graphql.field"] === "Query.connections",
        ),
      ).toBe(true);

      // A viewer may not create API keys: the operation's span says it erred.
      const refused = await postGraphQL(
        yoga,
        'mutation Refused { createApiKey(input: { name: "x", role: VIEWER }) { __typename } }',
        { key: g.keys.viewer },
      );
      expect(refused.status).toBeLessThan(500);
      const [mutation] = named("graphql.mutation Refused");
      expect(mutation?.attributes["graphql.operation.type"]).toBe("mutation");
    } finally {
      await yoga.dispose();
    }
  });

  it("undici requests get client spans under the active job span, without query strings", async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url?.startsWith("/missing") ? 404 : 200).end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new Agent();
    const untrace = traceUndiciRequests();
    try {
      const { port } = server.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      const call = async (path: string) => {
        const res = await request(`${base}${path}`, { dispatcher: agent });
        await res.body.text();
      };
      const tasks = instrumentTasks(
        {
          fetcher: async () => {
            await call("/Rest/Logon?Operator=ADMIN&OperatorPassword=hunter2");
            await call("/missing?UserId=5f1e-secret-guid");
          },
        },
        undefined,
      );
      await (tasks["fetcher"] as Task)({}, {
        job: { id: "42", attempts: 1 },
      } as unknown as JobHelpers);

      const [job] = named("job fetcher");
      expect(job?.attributes).toMatchObject({ "job.task": "fetcher", "job.id": "42" });
      const http = named("HTTP GET");
      expect(
        http.map((s) => [s.attributes["url.path"], s.attributes["http.response.status_code"]]),
      ).toEqual([
        ["/Rest/Logon", 200],
        ["/missing", 404],
      ]);
      for (const span of http) {
        expect(span).toMatchObject({
          kind: SpanKind.CLIENT,
          traceId: job!.traceId,
          parentSpanId: job!.spanId,
          attributes: { "server.address": "127.0.0.1", "server.port": port },
        });
      }
      expect(JSON.stringify(recorder!.spans)).not.toMatch(/hunter2|secret-guid/);

      // Unsubscribed: no more spans.
      untrace();
      const before = recorder!.spans.length;
      await tracer().startActiveSpan("outside", async (span) => {
        await call("/after");
        span.end();
      });
      expect(recorder!.spans.length).toBe(before + 1);
      expect(trace.getActiveSpan()).toBeUndefined();
    } finally {
      untrace();
      await agent.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
