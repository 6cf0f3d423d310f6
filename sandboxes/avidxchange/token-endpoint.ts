/**
 * `POST /token` (alias `/oauth2/token`): OAuth 2.0 client credentials as a WSO2 gateway answers it
 * (§4.1, §4.2, §7.2). The grant is checked before the client, as WSO2's token endpoint does.
 */
import type { IncomingHttpHeaders } from "node:http";

import type { Reply } from "./http-io.js";
import type { SandboxClient } from "./options.js";
import type { TokenStore } from "./tokens.js";

export interface TokenRequestResult {
  reply: Reply;
  /** The client id the request named (for the request log), authenticated or not. */
  clientId: string | null;
}

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/** Basic header first (RFC 6749 §2.3.1), else the form's client_id / client_secret. */
export function clientCredentialsOf(
  headers: IncomingHttpHeaders,
  form: URLSearchParams,
): ClientCredentials | { clientId: string | null; clientSecret: null } {
  const auth = headers.authorization ?? "";
  const basic = /^Basic\s+(.+)$/i.exec(auth);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1].trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      return {
        clientId: decodeComponent(decoded.slice(0, colon)),
        clientSecret: decodeComponent(decoded.slice(colon + 1)),
      };
    }
    return { clientId: null, clientSecret: null };
  }
  const clientId = form.get("client_id");
  const clientSecret = form.get("client_secret");
  if (clientId && clientSecret !== null) {
    return { clientId, clientSecret };
  }
  return { clientId, clientSecret: null };
}

function oauthError(status: 400 | 401, error: string, description: string): Reply {
  return {
    status,
    headers: {
      "Cache-Control": "no-store",
      ...(status === 401 ? { "WWW-Authenticate": 'Basic realm="AvidXchange"' } : {}),
    },
    json: { error_description: description, error },
  };
}

export function handleTokenRequest(args: {
  headers: IncomingHttpHeaders;
  body: Buffer;
  clients: readonly SandboxClient[];
  tokens: TokenStore;
  now: number;
  defaultTtlSeconds: number;
}): TokenRequestResult {
  const form = new URLSearchParams(args.body.toString("utf8"));
  const credentials = clientCredentialsOf(args.headers, form);
  const clientId = credentials.clientId;
  const grant = form.get("grant_type");
  if (!grant) {
    return {
      clientId,
      reply: oauthError(400, "invalid_request", "Missing grant_type parameter value"),
    };
  }
  if (grant !== "client_credentials") {
    return {
      clientId,
      reply: oauthError(400, "unsupported_grant_type", "Unsupported grant_type value"),
    };
  }
  if (clientId === null || credentials.clientSecret === null) {
    return {
      clientId,
      reply: oauthError(401, "invalid_client", "Client credentials are invalid."),
    };
  }
  const client = args.clients.find((c) => c.clientId === clientId);
  if (!client) {
    return {
      clientId,
      reply: oauthError(
        401,
        "invalid_client",
        `A valid OAuth client could not be found for client_id: ${clientId}`,
      ),
    };
  }
  if (client.clientSecret !== credentials.clientSecret) {
    return {
      clientId,
      reply: oauthError(401, "invalid_client", "Client credentials are invalid."),
    };
  }
  const ttl = client.tokenTtlSeconds ?? args.defaultTtlSeconds;
  const record = args.tokens.issue(client.clientId, client.keyType, args.now, ttl);
  return {
    clientId,
    reply: {
      status: 200,
      headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
      json: {
        access_token: record.token,
        scope: form.get("scope") ?? "default",
        token_type: "Bearer",
        expires_in: ttl,
      },
    },
  };
}
