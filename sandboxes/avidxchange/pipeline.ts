/**
 * One API request through the gateway, in WSO2's order: resource match (900906), authentication
 * (900902 / 900901), then our company scoping (400 / 403), throttling (429), and the application.
 */
import type { IncomingHttpHeaders } from "node:http";

import {
  invalidCredentials,
  missingCredentials,
  noMatchingResource,
  throttled,
} from "./gateway-errors.js";
import type { Reply } from "./http-io.js";
import { exceptionReply, isAvidHttpError } from "./http-io.js";
import { isTokenPath, matchRoute } from "./routes.js";
import { handleTokenRequest } from "./token-endpoint.js";
import type { World } from "./world.js";

export interface GatewayRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface GatewayOutcome {
  reply: Reply;
  /** Who the request was made for, for the request log. */
  client: string | null;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function companyOf(world: World, headers: IncomingHttpHeaders): string | null {
  const value = header(headers, world.options.companyHeader)?.trim();
  return value ? value : null;
}

export function handleGatewayRequest(world: World, req: GatewayRequest): GatewayOutcome {
  const now = world.clock.now();
  if (isTokenPath(req.path)) {
    if (req.method !== "POST") {
      return { reply: noMatchingResource(world.variants), client: null };
    }
    const result = handleTokenRequest({
      headers: req.headers,
      body: req.body,
      clients: world.options.clients,
      tokens: world.tokens,
      now,
      defaultTtlSeconds: world.options.tokenTtlSeconds,
    });
    return { reply: result.reply, client: result.clientId };
  }
  const route = matchRoute(req.method, req.path);
  if (!route) {
    return { reply: noMatchingResource(world.variants), client: null };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header(req.headers, "authorization") ?? "");
  if (!bearer?.[1]) {
    return { reply: missingCredentials(world.variants), client: null };
  }
  const token = world.tokens.valid(bearer[1], now);
  if (!token || !world.options.endpoints[token.keyType]) {
    return {
      reply: invalidCredentials(world.variants),
      client: world.tokens.find(bearer[1])?.clientId ?? null,
    };
  }
  const client = token.clientId;
  const companyId = companyOf(world, req.headers);
  if (companyId === null) {
    return {
      client,
      reply: exceptionReply(
        400,
        world.messageId(),
        "MissingCompanyId",
        `Header ${world.options.companyHeader} is required`,
        "gateway",
      ),
    };
  }
  const granted = world.options.clients.find((c) => c.clientId === client)?.companies ?? [];
  if (!granted.includes(companyId)) {
    return {
      client,
      reply: exceptionReply(
        403,
        world.messageId(),
        "CompanyNotAuthorized",
        `Client ${client} is not authorized for company ${companyId}`,
        "gateway",
      ),
    };
  }
  const decision = world.limiter.take(`${client}\u0000${companyId}`);
  if (!decision.ok) {
    return {
      client,
      reply: throttled(world.variants, decision.code, decision.retryAtMs, world.options.realNow()),
    };
  }
  let reply: Reply;
  try {
    reply = route.handler({
      world,
      ds: world.dataset(token.keyType, companyId),
      method: req.method,
      path: req.path,
      query: req.query,
      body: req.body,
      contentType: header(req.headers, "content-type") ?? "",
      params: route.params,
      now,
    });
  } catch (error) {
    if (!isAvidHttpError(error)) {
      throw error;
    }
    reply = exceptionReply(
      error.status,
      world.messageId(),
      error.reason,
      error.detail,
      error.source,
    );
  }
  if (world.variants.rateLimitHeaders && world.limiter.options !== false) {
    reply.headers = {
      ...reply.headers,
      "X-RateLimit-Limit": String(decision.limit),
      "X-RateLimit-Remaining": String(decision.remaining),
      "X-RateLimit-Reset": String(decision.resetSeconds),
    };
  }
  return { reply, client };
}
