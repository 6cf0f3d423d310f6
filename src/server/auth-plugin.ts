import { parseBearer } from "../auth/api-key-format.js";
import { unauthenticatedError } from "../auth/unauthenticated.js";

import type { Principal } from "../auth/principal.js";
import type { Plugin } from "graphql-yoga";

export type Authenticate = (key: string) => Promise<Principal | null>;

/**
 * Authenticates every GraphQL request over HTTP (POST, GET and SSE) before it is parsed or
 * validated, so a caller without a key learns nothing about the schema, not even `__typename`.
 * Health, readiness and the GraphiQL page are served before this hook and stay open.
 *
 * The principal is remembered per Request and read back by the context factory. WebSocket
 * operations authenticate in `http.ts` (connection params) and pass the principal directly.
 */
export function useApiKeyAuth(
  authenticate: Authenticate,
  principals: WeakMap<Request, Principal>,
): Plugin {
  return {
    async onParams({ request }) {
      if (principals.has(request)) {
        return; // a batched request: every operation shares the one header
      }
      const key = parseBearer(request.headers.get("authorization"));
      if (!key) {
        throw unauthenticatedError("missing");
      }
      const principal = await authenticate(key);
      if (!principal) {
        throw unauthenticatedError("invalid");
      }
      principals.set(request, principal);
    },
  };
}
