import { EnvelopArmor } from "@escape.tech/graphql-armor";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { createYoga as createYogaServer, useReadinessCheck } from "graphql-yoga";

import { authenticateApiKey } from "../auth/api-keys.js";
import { tracingEnabled } from "../metrics/tracing.js";
import { useOperationTracing } from "../metrics/tracing-yoga.js";
import { unauthenticatedError } from "../auth/unauthenticated.js";
import { useApiKeyAuth } from "./auth-plugin.js";
import { createContext } from "./context.js";
import { UNEXPECTED_ERROR_MESSAGE, createMaskError } from "./mask-error.js";
import { createReadinessCheck } from "./readiness.js";

import type { Principal } from "../auth/principal.js";
import type { Authenticate } from "./auth-plugin.js";
import type { Context, ContextDeps } from "./context.js";
import type { ReadinessCheck } from "./readiness.js";
import type { GraphQLSchema } from "graphql";
import type { YogaInitialContext, YogaServerInstance } from "graphql-yoga";

/**
 * What the transport hands Yoga besides the Request. The WebSocket server authenticates the
 * connection itself and passes the principal; HTTP requests carry none (the auth plugin finds it).
 */
export interface ServerContext {
  readonly principal?: Principal;
}

export type AppYoga = YogaServerInstance<ServerContext, Context>;

/** Per-operation limits; every operation over every transport is checked before it runs. */
export interface OperationLimits {
  /** Deepest selection nesting. Introspection is exempt (GraphiQL's query is deep). */
  readonly maxDepth: number;
  /** graphql-armor cost: objects weigh 2, scalars 1, multiplied by depth. */
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxCost: 5_000,
  maxAliases: 20,
  maxDirectives: 30,
  maxTokens: 2_000,
};

export interface CreateYogaOptions {
  readonly schema: GraphQLSchema;
  readonly deps: ContextDeps;
  /** Default: API keys in `deps.db`. */
  readonly authenticate?: Authenticate;
  /** Backs `/readyz`. Default: database reachable and migrations applied. */
  readonly readiness?: ReadinessCheck;
  readonly limits?: Partial<OperationLimits>;
  /** Serve GraphiQL on GET /graphql (default true). */
  readonly graphiql?: boolean;
}

/**
 * Builds the Yoga instance: GraphQL at `/graphql` (POST, GET, SSE), GraphiQL, `/healthz`,
 * `/readyz`, API-key authentication, operation limits and error masking. It never listens:
 * `createHttpServer` (or a test's `yoga.fetch`) drives it.
 */
export function createYoga(options: CreateYogaOptions): AppYoga {
  const { deps } = options;
  const logger = deps.logger.child({ component: "graphql" });
  const authenticate = options.authenticate ?? ((key) => authenticateApiKey(deps.db, key));
  const readiness = options.readiness ?? createReadinessCheck({ sql: deps.sql });
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const principals = new WeakMap<Request, Principal>();
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    maxTokens: { n: limits.maxTokens },
    blockFieldSuggestion: { enabled: true },
  });

  return createYogaServer<ServerContext, Context>({
    schema: options.schema,
    graphqlEndpoint: "/graphql",
    healthCheckEndpoint: "/healthz",
    landingPage: false,
    graphiql: options.graphiql ?? true,
    // GraphiQL's page and assets come from the package, not a CDN: customers' networks and our
    // machines often cannot reach one, and a blank GraphiQL page is the first thing a user would see.
    renderGraphiQL,
    logging: {
      debug: (...args: unknown[]) => logger.debug({ args }, "yoga"),
      info: (...args: unknown[]) => logger.info({ args }, "yoga"),
      warn: (...args: unknown[]) => logger.warn({ args }, "yoga"),
      error: (...args: unknown[]) => logger.error({ args }, "yoga"),
    },
    maskedErrors: {
      maskError: createMaskError(logger),
      errorMessage: UNEXPECTED_ERROR_MESSAGE,
      isDev: false,
    },
    context: (initial: YogaInitialContext & ServerContext) => {
      const principal = initial.principal ?? principals.get(initial.request);
      if (!principal) {
        // Unreachable through our transports (they authenticate first); refuse rather than guess.
        throw unauthenticatedError("missing");
      }
      return createContext(deps, { principal });
    },
    plugins: [
      useReadinessCheck({
        endpoint: "/readyz",
        check: async ({ fetchAPI }) => {
          const report = await readiness();
          return fetchAPI.Response.json(report, { status: report.ready ? 200 : 503 });
        },
      }),
      useApiKeyAuth(authenticate, principals),
      ...armor.protect().plugins,
      // Only with an OpenTelemetry SDK registered: otherwise not even installed.
      ...(tracingEnabled() ? [useOperationTracing()] : []),
    ],
  });
}
