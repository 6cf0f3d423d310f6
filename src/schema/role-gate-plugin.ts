import SchemaBuilder, { BasePlugin } from "@pothos/core";

import { roleAtLeast } from "../auth/roles.js";
import { forbidden, requiredRoleOf } from "./authorization.js";

import type { Context } from "../server/context.js";
import type { PothosOutputFieldConfig, SchemaTypes } from "@pothos/core";
import type { GraphQLFieldResolver } from "graphql";

/**
 * Checks a field's role before its arguments are mapped. Pothos runs argument mappers (zod
 * validation, global-ID decoding) before scope-auth, and the errors plugin returns validation
 * failures as typed results; without this gate a viewer sending bad input to an admin mutation
 * would get a ValidationError instead of FORBIDDEN. Scope-auth still does the full check after.
 * Only static role maps (`authScopes: { admin: true }`) are gated here; that is our convention.
 */
export class RoleGatePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> | undefined {
    if (!resolver || fieldConfig.argMappers.length === 0) {
      return resolver;
    }
    const typeConfig = this.buildCache.getTypeConfig(fieldConfig.parentType);
    const role = requiredRoleOf(
      (typeConfig.pothosOptions as { authScopes?: unknown }).authScopes,
      (fieldConfig.pothosOptions as { authScopes?: unknown }).authScopes,
    );
    if (!role) {
      return resolver;
    }
    return (parent, args, context, info) => {
      const ctx = context as Context;
      if (!roleAtLeast(ctx.principal.role, role)) {
        throw forbidden(ctx, info);
      }
      return resolver(parent, args, context, info);
    };
  }
}

declare global {
  // Pothos registers plugins by merging into this global namespace; there is no module form.

  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      roleGate: RoleGatePlugin<Types>;
    }
  }
}

export const roleGatePlugin = "roleGate";
SchemaBuilder.registerPlugin(roleGatePlugin, RoleGatePlugin);
