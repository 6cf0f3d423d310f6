/**
 * The node:http server: logs each request, applies injected faults around the gateway pipeline, writes
 * replies, and hands `/__sandbox/*` to the controls. Tracks hanging replies and slow timers so `close()`
 * leaves nothing behind.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";

import { iso } from "./dates.js";
import type { FaultSpec } from "./faults.js";
import { throttled } from "./gateway-errors.js";
import type { Reply } from "./http-io.js";
import { exceptionReply, isAvidHttpError, readBody } from "./http-io.js";
import type { GatewayRequest } from "./pipeline.js";
import { companyOf, handleGatewayRequest } from "./pipeline.js";
import { redactQuery } from "./request-log.js";
import type { World } from "./world.js";

const BODY_LIMIT = 50 * 1024 * 1024;

export type ControlHandler = (req: IncomingMessage, url: URL, body: Buffer) => Reply;

export interface SandboxServer {
  server: Server;
  /** Cancels pending slow-fault timers. */
  dispose: () => void;
}

function writeReply(res: ServerResponse, reply: Reply): void {
  const body =
    reply.body !== undefined
      ? reply.body
      : reply.json === undefined
        ? ""
        : JSON.stringify(reply.json);
  const contentType =
    reply.contentType ??
    (reply.body !== undefined ? "text/plain; charset=utf-8" : "application/json; charset=utf-8");
  res.writeHead(reply.status, { ...reply.headers, "Content-Type": contentType });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A gateway error page that echoes the request — credentials included (§2.1: never log a 503 body). */
function echoPage(req: IncomingMessage, body: Buffer): Reply {
  const head = [`${req.method ?? "GET"} ${req.url ?? "/"} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    head.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  }
  const echoed = `${head.join("\n")}\n\n${body.toString("utf8")}`;
  return {
    status: 503,
    contentType: "text/html; charset=utf-8",
    body:
      "<html><head><title>503 Service Unavailable</title></head><body>" +
      "<h1>Service Unavailable</h1><p>The back end did not answer. Request received:</p>" +
      `<pre>${escapeHtml(echoed)}</pre></body></html>`,
  };
}

function statusFault(world: World, status: number, body: string | undefined): Reply {
  if (body !== undefined) {
    return { status, body, contentType: "application/json; charset=utf-8" };
  }
  if (status === 500) {
    return exceptionReply(
      500,
      world.messageId(),
      "InternalServerError",
      "An unexpected error occurred",
      "gateway",
    );
  }
  const description = status === 504 ? "Send timeout" : "Error connecting to the back end";
  return {
    status,
    json: { code: status === 504 ? "101504" : "101503", message: "Runtime Error", description },
  };
}

export function createSandboxServer(world: World, control: ControlHandler | null): SandboxServer {
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const body = await readBody(req, BODY_LIMIT);
    // `/__sim` is the contract's name for the same hooks (§7.3).
    if (/^\/__(sandbox|sim)(\/|$)/.test(url.pathname)) {
      writeReply(
        res,
        control ? control(req, url, body) : { status: 404, json: { error: "controls disabled" } },
      );
      return;
    }
    world.sync();
    const entry = world.log.start({
      at: iso(world.clock.now()),
      method,
      path: url.pathname,
      query: redactQuery(url.searchParams),
      company: companyOf(world, req.headers),
      client: null,
    });
    const fault: FaultSpec | null = world.faults.take(method, url.pathname);
    entry.fault = fault?.kind ?? null;
    const respond = (reply: Reply): void => {
      entry.status = reply.status;
      writeReply(res, reply);
    };
    if (fault?.kind === "slow") {
      await sleep(fault.delayMs);
      world.sync();
    }
    if (fault?.kind === "echo-credentials") {
      respond(echoPage(req, body));
      return;
    }
    if (fault?.kind === "rate-limit") {
      const now = world.options.realNow();
      respond(
        throttled(
          world.variants,
          fault.code ?? 900800,
          now + (fault.retryAfterSeconds ?? 1) * 1000,
          now,
        ),
      );
      return;
    }
    const afterEffect =
      (fault?.kind === "hang" || fault?.kind === "status") && fault.afterEffect === true;
    if (fault?.kind === "hang" && !afterEffect) {
      return;
    }
    if (fault?.kind === "status" && !afterEffect) {
      respond(statusFault(world, fault.status, fault.body));
      return;
    }
    const gatewayRequest: GatewayRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const outcome = handleGatewayRequest(world, gatewayRequest);
    entry.client = outcome.client;
    if (fault?.kind === "hang") {
      return;
    }
    if (fault?.kind === "status") {
      respond(statusFault(world, fault.status, fault.body));
      return;
    }
    if (fault?.kind === "malformed-json") {
      const text = JSON.stringify(outcome.reply.json ?? {});
      respond({
        ...outcome.reply,
        json: undefined,
        body: text.slice(0, Math.max(1, Math.floor(text.length / 2))),
        contentType: "application/json; charset=utf-8",
      });
      return;
    }
    respond(outcome.reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const reply = isAvidHttpError(error)
        ? exceptionReply(error.status, world.messageId(), error.reason, error.detail, error.source)
        : exceptionReply(500, world.messageId(), "InternalServerError", String(error), "sandbox");
      writeReply(res, reply);
    });
  });

  return {
    server,
    dispose() {
      for (const timer of timers) {
        clearTimeout(timer);
      }
      timers.clear();
    },
  };
}
