import { createGraphQLError } from "graphql-yoga";

import type { GraphQLError } from "graphql";

/**
 * The refusal for a request without a valid API key: HTTP 401 with `WWW-Authenticate: Bearer`,
 * `extensions.code: UNAUTHENTICATED`, and no data. The message does not say whether a key
 * exists, was revoked or never did.
 */
export function unauthenticatedError(reason: "missing" | "invalid"): GraphQLError {
  return createGraphQLError(
    reason === "missing"
      ? "Authentication required: send the header `Authorization: Bearer <API key>`."
      : "Invalid API key: it is unknown or has been revoked.",
    {
      extensions: {
        code: "UNAUTHENTICATED",
        http: { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="ml-connector"' } },
      },
    },
  );
}
