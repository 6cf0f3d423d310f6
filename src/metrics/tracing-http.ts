import { subscribe, unsubscribe } from "node:diagnostics_channel";

import { SpanKind, SpanStatusCode } from "@opentelemetry/api";

import { tracer } from "./tracing.js";

import type { Span } from "@opentelemetry/api";

/** The parts of undici's diagnostics messages we read. */
interface UndiciRequest {
  readonly origin?: string | URL;
  readonly method?: string;
  readonly path?: string;
}
interface UndiciResponse {
  readonly statusCode?: number;
}

/**
 * A client span per HTTP request made through undici (the connectors' transport), from undici's
 * `diagnostics_channel` events: no wrapper around the connectors' dispatcher. The URL is recorded
 * without its query string, where SYSPRO e.net carries passwords and session ids. Returns the
 * function that unsubscribes. Install only when tracing is enabled (`tracingEnabled()`).
 */
export function traceUndiciRequests(): () => void {
  const spans = new WeakMap<object, Span>();
  const onCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    const method = request.method ?? "GET";
    const origin = request.origin === undefined ? undefined : new URL(String(request.origin));
    const path = (request.path ?? "").split("?")[0] ?? "";
    // Started in the caller's context: it nests under the job's or operation's span.
    const span = tracer().startSpan(`HTTP ${method}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        "http.request.method": method,
        "url.path": path,
        ...(origin
          ? {
              "server.address": origin.hostname,
              "server.port": Number(origin.port) || (origin.protocol === "https:" ? 443 : 80),
              "url.scheme": origin.protocol.replace(":", ""),
            }
          : {}),
      },
    });
    spans.set(request, span);
  };
  const onHeaders = (message: unknown) => {
    const { request, response } = message as { request: object; response: UndiciResponse };
    const span = spans.get(request);
    if (span && response.statusCode !== undefined) {
      span.setAttribute("http.response.status_code", response.statusCode);
      if (response.statusCode >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
  };
  const onEnd = (message: unknown) => {
    const { request } = message as { request: object };
    spans.get(request)?.end();
    spans.delete(request);
  };
  const onError = (message: unknown) => {
    const { request, error } = message as { request: object; error?: Error };
    const span = spans.get(request);
    if (span) {
      // The name only: transport messages can echo a URL.
      span.setStatus({ code: SpanStatusCode.ERROR, message: error?.name ?? "error" });
      span.setAttribute("error.type", error?.name ?? "error");
      span.end();
      spans.delete(request);
    }
  };
  const channels: [string, (message: unknown) => void][] = [
    ["undici:request:create", onCreate],
    ["undici:request:headers", onHeaders],
    ["undici:request:trailers", onEnd],
    ["undici:request:error", onError],
  ];
  for (const [name, listener] of channels) {
    subscribe(name, listener);
  }
  return () => {
    for (const [name, listener] of channels) {
      unsubscribe(name, listener);
    }
  };
}
