import { createServer } from "node:http";

import { useServer } from "graphql-ws/use/ws";
import { createGraphQLError } from "graphql-yoga";
import { WebSocketServer } from "ws";

import { parseBearer } from "../auth/api-key-format.js";
import { handleMetricsRequest } from "../metrics/http-handler.js";
import { unauthenticatedError } from "../auth/unauthenticated.js";
import { UNEXPECTED_ERROR_MESSAGE, isGraphQLError } from "./mask-error.js";

import type { Metrics } from "../metrics/registry.js";
import type { Authenticate } from "./auth-plugin.js";
import type { AppYoga } from "./yoga.js";
import type {
  DocumentNode,
  ExecutionArgs,
  ExecutionResult,
  GraphQLError,
  GraphQLSchema,
} from "graphql";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";

export interface HttpServerDeps {
  readonly yoga: AppYoga;
  /** Checks the key a WebSocket client sends in `connectionParams.authorization`. */
  readonly authenticate: Authenticate;
  readonly logger: Logger;
  /** How long `close()` waits for running requests before cutting them. Default 10 s. */
  readonly drainTimeoutMs?: number;
  /** Served at `GET /metrics` (Prometheus) when given. */
  readonly metrics?: Metrics;
}

export interface HttpServer {
  /** Starts listening; resolves to the GraphQL URL, e.g. `http://127.0.0.1:4000/graphql`. */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Stops accepting, ends subscriptions (WebSocket and SSE), waits for running requests up to
   * the drain timeout, then closes every socket. Idempotent.
   */
  close(): Promise<void>;
}

type WsExtra = { key: string };

/**
 * One Node HTTP server for everything: Yoga (GraphQL over POST/GET/SSE, GraphiQL, /healthz,
 * /readyz) and graphql-ws subscriptions upgraded on the same `/graphql` path.
 */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const { yoga, logger } = deps;
  const drainTimeoutMs = deps.drainTimeoutMs ?? 10_000;
  const running = new Set<ServerResponse>();
  const streams = new Set<ServerResponse>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    running.add(res);
    if (req.headers.accept?.includes("text/event-stream")) {
      streams.add(res);
    }
    res.on("close", () => {
      running.delete(res);
      streams.delete(res);
    });
    if (deps.metrics && handleMetricsRequest(deps.metrics, req, res)) {
      return;
    }
    void yoga(req, res);
  });

  const wsServer = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const wsHandle = useServer<Record<string, unknown> | undefined, WsExtra>(
    {
      // Yoga's enveloped execute/subscribe (with its plugins: masking, limits) ride on rootValue.
      execute: (args) => (args.rootValue as Enveloped).execute(args) as OperationResult,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as OperationResult,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams;
        const raw = params?.["authorization"] ?? params?.["Authorization"];
        const header = typeof raw === "string" ? raw : null;
        // Accept "Bearer <key>" or the bare key: browser clients often send only the key.
        const key = parseBearer(header) ?? (header?.trim() || null);
        const principal = key ? await deps.authenticate(key) : null;
        if (!key || !principal) {
          logger.info("refused a WebSocket connection without a valid API key");
          return false; // graphql-ws closes with 4403 Forbidden
        }
        ctx.extra.key = key;
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Checked again per operation: a key revoked while the socket is open starts nothing new.
        // (Subscriptions already running continue until the client or the server ends them.)
        const principal = ctx.extra.key ? await deps.authenticate(ctx.extra.key) : null;
        if (!principal) {
          return [unauthenticatedError("invalid")];
        }
        const enveloped = yoga.getEnveloped({ principal, params: payload });
        // Parse, validation (including the operation limits, which throw) and context building
        // can refuse an operation; refusals go back as errors on it, not as a dropped socket.
        try {
          const document = enveloped.parse(payload.query) as DocumentNode;
          const errors = enveloped.validate(enveloped.schema, document) as readonly GraphQLError[];
          if (errors.length > 0) {
            return errors;
          }
          const args: ExecutionArgs = {
            schema: enveloped.schema as GraphQLSchema,
            operationName: payload.operationName ?? null,
            document,
            variableValues: payload.variables ?? null,
            contextValue: await enveloped.contextFactory(),
            rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
          };
          return args;
        } catch (error) {
          if (isGraphQLError(error)) {
            return [error];
          }
          logger.error({ err: error }, "unexpected error preparing a WebSocket operation");
          return [createGraphQLError(UNEXPECTED_ERROR_MESSAGE)];
        }
      },
    },
    wsServer,
  );

  let closing: Promise<void> | undefined;

  return {
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}${yoga.graphqlEndpoint}`);
        });
      });
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => {
          if (!server.listening) {
            resolve();
            return;
          }
          server.close(() => resolve());
        });
        for (const socket of wsServer.clients) {
          socket.close(1001, "Server shutting down");
        }
        await wsHandle.dispose();
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
        // SSE subscriptions never finish on their own; clients reconnect to another replica.
        for (const res of streams) {
          res.destroy();
        }
        server.closeIdleConnections();
        await drain(running, drainTimeoutMs);
        server.closeAllConnections();
        await stopped;
        await yoga.dispose();
      })();
      return closing;
    },
  };
}

type Enveloped = ReturnType<AppYoga["getEnveloped"]>;
type OperationResult = Promise<ExecutionResult | AsyncIterable<ExecutionResult>>;

async function drain(running: Set<ServerResponse>, timeoutMs: number): Promise<void> {
  if (running.size === 0) {
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(
      [...running].map((res) => new Promise<void>((resolve) => res.once("close", () => resolve()))),
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
