import { AuthScopeFailureType } from "@pothos/plugin-scope-auth";
import { createGraphQLError } from "graphql-yoga";

import { ROLES } from "../auth/roles.js";

import type { Role } from "../auth/roles.js";
import type { Context } from "../server/context.js";
import type { AuthFailure, ForbiddenResult } from "@pothos/plugin-scope-auth";
import type { GraphQLError, GraphQLResolveInfo } from "graphql";

/** Role scopes a failed check asked for (our scopes are named after roles). */
function requiredRoles(failure: AuthFailure): Role[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return (ROLES as readonly string[]).includes(failure.scope) ? [failure.scope as Role] : [];
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.flatMap(requiredRoles);
    default:
      return [];
  }
}

/**
 * The error for a role check that failed. A GraphQL error rather than a typed result: it is not a
 * domain outcome a client should branch on, and it is the same for queries and mutations.
 */
export function forbidden(
  ctx: Context,
  info: GraphQLResolveInfo,
  result: ForbiddenResult,
): GraphQLError {
  const needed = requiredRoles(result.failure).sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
  const role = needed[0];
  ctx.logger.info(
    { field: `${info.parentType.name}.${info.fieldName}`, role: ctx.principal.role, needed: role },
    "refused by role",
  );
  return createGraphQLError(
    role
      ? `Forbidden: ${info.parentType.name}.${info.fieldName} needs the ${role} role; this API key has ${ctx.principal.role}.`
      : `Forbidden: this API key may not use ${info.parentType.name}.${info.fieldName}.`,
    { extensions: { code: "FORBIDDEN" } },
  );
}
