import { builder } from "./builder.js";

/** The `Role` enum: GraphQL's upper-case names over the database's lower-case values. */
export const RoleEnum = builder.enumType("Role", {
  description: "What an API key may do. Each role includes the ones before it.",
  values: {
    VIEWER: { value: "viewer", description: "Read everything; change nothing." },
    OPERATOR: {
      value: "operator",
      description: "Also run syncs, replay transactions and resolve exceptions.",
    },
    ADMIN: {
      value: "admin",
      description: "Also manage connections, credentials, mappings and API keys.",
    },
  } as const,
});
