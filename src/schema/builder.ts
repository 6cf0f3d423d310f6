import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import ErrorsPlugin from "@pothos/plugin-errors";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import SimpleObjectsPlugin from "@pothos/plugin-simple-objects";
import TracingPlugin, { wrapResolver } from "@pothos/plugin-tracing";
import ValidationPlugin from "@pothos/plugin-validation";
import { trace } from "@opentelemetry/api";

import { roleAtLeast } from "../auth/roles.js";
import { PublicError, ValidationError } from "../errors.js";
import { forbidden } from "./authorization.js";
import { assertNodeTypename, decodeGlobalId } from "./global-id.js";
import {
  parseCalendarDate,
  parseCalendarDateLiteral,
  serializeCalendarDate,
} from "./calendar-date.js";
import { roleGatePlugin } from "./role-gate-plugin.js";
import {
  parseDateTime,
  parseDateTimeLiteral,
  parseDecimal,
  parseDecimalLiteral,
  parseJsonLiteral,
  serializeDateTime,
  serializeDecimal,
} from "./scalars.js";

import type { Context } from "../server/context.js";
import type { Decimal } from "decimal.js";

/**
 * The one SchemaBuilder. Holds plugins, scalars and root types only; every GraphQL type lives in
 * its own file (see README.md in this folder) and `index.ts` imports them all.
 */
export interface Types {
  Context: Context;
  AuthScopes: {
    /** Any valid API key. Unauthenticated requests never reach a resolver. */
    viewer: boolean;
    /** operator or admin: syncs, replays, exceptions. */
    operator: boolean;
    /** admin only: connections, credentials, API keys. */
    admin: boolean;
  };
  Scalars: {
    ID: { Input: string; Output: string | number | bigint };
    DateTime: { Input: Date; Output: Date | string };
    Decimal: { Input: string; Output: string | Decimal | bigint | number };
    JSON: { Input: unknown; Output: unknown };
    Date: { Input: string; Output: string | Date };
  };
  /** Fields are non-null unless they say `nullable: true` (see README.md for when to). */
  DefaultFieldNullability: false;
}

export const builder = new SchemaBuilder<Types>({
  defaultFieldNullability: false,
  // The role gate wraps outermost (before argument validation); relay next so auth sees decoded
  // global IDs; scope-auth before the resolver wrappers; errors before dataloader so loader
  // failures can surface as typed results.
  plugins: [
    roleGatePlugin,
    RelayPlugin,
    ScopeAuthPlugin,
    ErrorsPlugin,
    ValidationPlugin,
    DataloaderPlugin,
    SimpleObjectsPlugin,
    TracingPlugin,
  ],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      viewer: roleAtLeast(ctx.principal.role, "viewer"),
      operator: roleAtLeast(ctx.principal.role, "operator"),
      admin: roleAtLeast(ctx.principal.role, "admin"),
    }),
    unauthorizedError: (_parent, ctx, info, result) => forbidden(ctx, info, result),
  },
  errors: {
    // Only PublicError (and its subclasses) become typed results; anything else is thrown and
    // masked. Input validation is caught too, so bad input is a ValidationError member.
    defaultTypes: [PublicError, ValidationError],
    unsafelyHandleInputErrors: true,
  },
  validation: {
    validationError: (result) => ValidationError.fromIssues(result.issues),
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    // A malformed id is bad input (a ValidationError, typed in result unions), not a crash.
    decodeGlobalID: (globalID) => decodeGlobalId(globalID),
    // Descriptions for the generated Relay types and fields, so GraphiQL documents them too.
    idFieldOptions: {
      description: "Global id: identifies this record across the API, e.g. for `node(id)`.",
    },
    nodeTypeOptions: { description: "A record that can be fetched by its global id with `node`." },
    nodeQueryOptions: {
      description: "Any record by its global id; null if there is none.",
      args: { id: { description: "The `id` of any record this API returned." } },
      resolve: (_root, args, _ctx, info, resolveNode) => {
        assertNodeTypename(info.schema, args.id);
        return resolveNode(args.id);
      },
    },
    nodesQueryOptions: {
      description: "Records by their global ids, in the same order; null where there is none.",
      args: { ids: { description: "The `id`s of records this API returned, of any types." } },
      resolve: (_root, args, _ctx, info, resolveNodes) => {
        for (const id of args.ids) {
          assertNodeTypename(info.schema, id);
        }
        return resolveNodes(args.ids);
      },
    },
    pageInfoTypeOptions: { description: "Where a page sits in the whole list." },
    pageInfoFieldOptions: { description: "Cursors and whether more pages follow or precede." },
    hasNextPageFieldOptions: { description: "More records follow this page." },
    hasPreviousPageFieldOptions: { description: "Records precede this page." },
    startCursorFieldOptions: { description: "Cursor of the first record (pass as `before`)." },
    endCursorFieldOptions: { description: "Cursor of the last record (pass as `after`)." },
    edgesFieldOptions: { description: "The records on this page, each with its cursor." },
    nodeFieldOptions: { description: "The record." },
    cursorFieldOptions: { description: "Opaque position of this record, for `after` / `before`." },
    defaultConnectionTypeOptions: {
      description: "One page of a list; page with `first`/`after` or `last`/`before`.",
    },
    defaultEdgeTypeOptions: { description: "A record on a page, with its cursor." },
    firstArgOptions: { description: "How many records from the start (default 20, at most 100)." },
    lastArgOptions: { description: "How many records from the end (at most 100)." },
    afterArgOptions: { description: "Start after this cursor (a previous page's endCursor)." },
    beforeArgOptions: { description: "End before this cursor (a later page's startCursor)." },
  },
  tracing: {
    // Query and Mutation fields, and any field that opts in with `tracing: true`; others are not
    // wrapped at all. Without an OpenTelemetry SDK there is no active span and nothing is recorded.
    default: (config) => config.parentType === "Query" || config.parentType === "Mutation",
    wrap: (resolver, _options, config) =>
      wrapResolver(resolver, (error, duration) => {
        const span = trace.getActiveSpan();
        span?.addEvent("graphql.resolve", {
          "graphql.field": `${config.parentType}.${config.name}`,
          "graphql.duration_ms": duration,
          "graphql.error": error instanceof Error ? error.name : "",
        });
      }),
  },
});

builder.scalarType("DateTime", {
  description: "A point in time, ISO-8601 with a time zone; always returned in UTC.",
  serialize: serializeDateTime,
  parseValue: parseDateTime,
  parseLiteral: parseDateTimeLiteral,
});

builder.scalarType("Decimal", {
  description:
    'An exact decimal number as a string, e.g. "1234.50". Money is never a floating-point number.',
  serialize: serializeDecimal,
  parseValue: parseDecimal,
  parseLiteral: parseDecimalLiteral,
});

builder.scalarType("Date", {
  description: 'A calendar date without time or zone, written YYYY-MM-DD, e.g. "2025-01-31".',
  serialize: serializeCalendarDate,
  parseValue: parseCalendarDate,
  parseLiteral: parseCalendarDateLiteral,
});

builder.scalarType("JSON", {
  description: "Any JSON value, e.g. a raw record exactly as a remote system sent it.",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => parseJsonLiteral(ast, variables),
});

// Root types. Fields are added by the type files with builder.queryField(s) / mutationField(s) /
// subscriptionField(s). Mutations need at least operator unless a field asks for more.
builder.queryType({
  description: "Read the gateway's state. Any valid API key may query.",
  authScopes: { viewer: true },
});
builder.mutationType({
  description: "Change the gateway's state. Needs an operator or admin key; each field says which.",
  authScopes: { operator: true },
});
builder.subscriptionType({
  description: "Live events over Server-Sent Events or WebSocket (graphql-ws).",
  authScopes: { viewer: true },
});
