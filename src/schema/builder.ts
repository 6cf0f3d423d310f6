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
  },
  tracing: {
    // Off unless a field opts in with `tracing: true`; untraced fields are not wrapped at all.
    default: false,
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
