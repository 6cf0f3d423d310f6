import { AuthScopeFailureType } from "@pothos/plugin-scope-auth";
import { createGraphQLError } from "graphql-yoga";

import { ROLES, isRole } from "../auth/roles.js";

import type { Role } from "../auth/roles.js";
import type { Context } from "../server/context.js";
import type { AuthFailure, ForbiddenResult } from "@pothos/plugin-scope-auth";
import type { GraphQLError, GraphQLResolveInfo } from "graphql";

const rank = (role: Role) => ROLES.indexOf(role);
const weakest = (roles: Role[]) => roles.sort((a, b) => rank(a) - rank(b))[0];
const strongest = (roles: Role[]) => roles.sort((a, b) => rank(b) - rank(a))[0];

/** The weakest role a scope map accepts (a map passes when any of its scopes does). */
function roleOfScopeMap(scopes: unknown): Role | undefined {
  if (typeof scopes !== "object" || scopes === null) {
    return undefined;
  }
  return weakest(
    Object.entries(scopes)
      .filter(([name, value]) => value === true && isRole(name))
      .map(([name]) => name as Role),
  );
}

/** The role a field needs: the strongest of its type's and its own scope maps (both must pass). */
export function requiredRoleOf(typeScopes: unknown, fieldScopes: unknown): Role | undefined {
  return strongest(
    [roleOfScopeMap(typeScopes), roleOfScopeMap(fieldScopes)].filter(
      (role): role is Role => role !== undefined,
    ),
  );
}

/** Read from Pothos's extensions; undefined when scopes are computed by a function. */
function requiredRole(info: GraphQLResolveInfo): Role | undefined {
  type WithScopes = { pothosOptions?: { authScopes?: unknown } } | null | undefined;
  const typeScopes = (info.parentType.extensions as WithScopes)?.pothosOptions?.authScopes;
  const field = info.parentType.getFields()[info.fieldName];
  const fieldScopes = (field?.extensions as WithScopes)?.pothosOptions?.authScopes;
  return requiredRoleOf(typeScopes, fieldScopes);
}

/** Role scopes a failed check asked for, when the field's own options do not say. */
function failedRoles(failure: AuthFailure): Role[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return isRole(failure.scope) ? [failure.scope] : [];
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.flatMap(failedRoles);
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
  result?: ForbiddenResult,
): GraphQLError {
  const field = `${info.parentType.name}.${info.fieldName}`;
  const role = requiredRole(info) ?? (result ? strongest(failedRoles(result.failure)) : undefined);
  ctx.logger.info({ field, role: ctx.principal.role, needed: role }, "refused by role");
  return createGraphQLError(
    role
      ? `Forbidden: ${field} needs the ${role} role; this API key has ${ctx.principal.role}.`
      : `Forbidden: this API key may not use ${field}.`,
    { extensions: { code: "FORBIDDEN" } },
  );
}
