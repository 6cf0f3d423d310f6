import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { Agent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  createHttpClient,
  type HttpClientOptions,
  type HttpMetric,
  isHttpAbortedError,
  isHttpStatusError,
  isHttpTransportError,
  parseRetryAfter,
  redactUrl,
} from "../../src/connectors/http.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let handlers: Handler[] = [];
let hits: { method: string; url: string }[] = [];
const dispatcher = new Agent({ connect: { timeout: 2_000 } });

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ method: req.method ?? "", url: req.url ?? "" });
    const handler = handlers.shift();
    if (handler) {
      handler(req, res);
    } else {
      res.end("default");
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await dispatcher.close();
});

beforeEach(() => {
  handlers = [];
  hits = [];
});

function reply(status: number, body = "", headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

function client(extra: Partial<HttpClientOptions> = {}) {
  const delays: number[] = [];
  const metrics: HttpMetric[] = [];
  const http = createHttpClient({
    dispatcher,
    system: "test",
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onMetrics: (m) => metrics.push(m),
    ...extra,
  });
  return { http, delays, metrics };
}

describe("createHttpClient", () => {
  it("returns status, lower-cased headers and body, and reports one metric", async () => {
    handlers.push(
      reply(200, "héllo", { "X-Thing": "1", "Content-Type": "text/plain; charset=utf-8" }),
    );
    const { http, metrics } = client();
    const res = await http.request({ method: "GET", url: `${base}/a?x=1`, operation: "op" });
    expect(res.status).toBe(200);
    expect(res.headers["x-thing"]).toBe("1");
    expect(res.text()).toBe("héllo");
    expect(hits).toEqual([{ method: "GET", url: "/a?x=1" }]);
    expect(metrics).toMatchObject([
      { system: "test", operation: "op", method: "GET", status: 200, outcome: "ok", attempt: 1 },
    ]);
  });

  it("retries a 503 on a GET with exponential backoff", async () => {
    handlers.push(reply(503), reply(502), reply(200, "ok"));
    const { http, delays, metrics } = client({ retry: { baseDelayMs: 100 } });
    const res = await http.request({ method: "GET", url: `${base}/`, operation: "op" });
    expect(res.text()).toBe("ok");
    expect(res.attempts).toBe(3);
    expect(delays).toEqual([100, 200]);
    expect(metrics.map((m) => m.status)).toEqual([503, 502, 200]);
  });

  it("applies full jitter below the doubling ceiling", async () => {
    handlers.push(reply(500), reply(500), reply(200));
    const { http, delays } = client({ random: () => 0.5, retry: { baseDelayMs: 100 } });
    await http.request({ method: "GET", url: `${base}/`, operation: "op" });
    expect(delays).toEqual([50, 100]);
  });

  it("honours Retry-After in seconds and as an HTTP-date", async () => {
    const now = Date.parse("2026-10-01T00:00:00Z");
    handlers.push(
      reply(429, "", { "Retry-After": "3" }),
      reply(503, "", { "Retry-After": new Date(now + 7_000).toUTCString() }),
      reply(200),
    );
    const { http, delays } = client({ now: () => now });
    await http.request({ method: "GET", url: `${base}/`, operation: "op" });
    expect(delays).toEqual([3_000, 7_000]);
  });

  it("does not wait for a Retry-After beyond the limit", async () => {
    handlers.push(reply(429, "", { "Retry-After": "3600" }));
    const { http } = client();
    const err = await http
      .request({ method: "GET", url: `${base}/`, operation: "op" })
      .catch((e: unknown) => e);
    expect(isHttpStatusError(err) && err.statusClass).toBe("rate_limited");
    expect(hits).toHaveLength(1);
  });

  it("never retries a POST that reached the server, except on 429", async () => {
    handlers.push(reply(500));
    const { http } = client();
    const err = await http
      .request({ method: "POST", url: `${base}/`, operation: "post", body: "x" })
      .catch((e: unknown) => e);
    expect(isHttpStatusError(err) && err.status).toBe(500);
    expect(hits).toHaveLength(1);

    handlers.push(reply(429, "", { "Retry-After": "0" }), reply(201, "made"));
    const res = await http.request({
      method: "POST",
      url: `${base}/`,
      operation: "post",
      body: "x",
    });
    expect(res.status).toBe(201);
  });

  it("classifies statuses", async () => {
    const { http } = client();
    for (const [status, cls] of [
      [401, "auth"],
      [403, "permission"],
      [404, "not_found"],
      [400, "client"],
    ] as const) {
      handlers.push(reply(status, "nope"));
      const err = await http
        .request({ method: "GET", url: `${base}/`, operation: "op" })
        .catch((e: unknown) => e);
      expect(isHttpStatusError(err) && [err.statusClass, err.transient, err.bodySnippet]).toEqual([
        cls,
        false,
        "nope",
      ]);
    }
  });

  it("lets onError read status and headers and override the decision", async () => {
    handlers.push(reply(400, "", { "X-Retry-Me": "yes" }), reply(200));
    const seen: unknown[] = [];
    const { http, delays } = client({
      onError: (ctx) => {
        seen.push([
          ctx.status,
          ctx.headers?.["x-retry-me"],
          ctx.defaultDecision.retry,
          ctx.attempt,
        ]);
        return ctx.headers?.["x-retry-me"] === "yes" ? { retry: true, delayMs: 42 } : undefined;
      },
    });
    await http.request({ method: "GET", url: `${base}/`, operation: "op" });
    expect(seen).toEqual([[400, "yes", false, 1]]);
    expect(delays).toEqual([42]);

    handlers.push(reply(503));
    const veto = await http
      .request({
        method: "GET",
        url: `${base}/`,
        operation: "op",
        onError: () => ({ retry: false }),
      })
      .catch((e: unknown) => e);
    expect(isHttpStatusError(veto) && veto.attempts).toBe(1);
  });

  it("stops after maxAttempts", async () => {
    handlers.push(reply(503), reply(503), reply(503));
    const { http } = client({ retry: { maxAttempts: 2 } });
    const err = await http
      .request({ method: "GET", url: `${base}/`, operation: "op" })
      .catch((e: unknown) => e);
    expect(isHttpStatusError(err) && err.attempts).toBe(2);
    expect(hits).toHaveLength(2);
  });

  it("classifies a refused connection as never sent, so even a POST is retried", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const { http, metrics } = client({ retry: { maxAttempts: 2 } });
    const err = await http
      .request({ method: "POST", url: `http://127.0.0.1:${port}/`, operation: "op", body: "x" })
      .catch((e: unknown) => e);
    expect(
      isHttpTransportError(err) && [err.kind, err.mayHaveBeenSent, err.lowLevelCode, err.attempts],
    ).toEqual(["refused", false, "ECONNREFUSED", 2]);
    expect(metrics.map((m) => m.outcome)).toEqual(["transport_error", "transport_error"]);
  });

  it("times out a hung response and does not retry a POST that may have been sent", async () => {
    handlers.push(() => undefined); // never answers
    const { http, metrics } = client({ timeouts: { headersMs: 200 } });
    const err = await http
      .request({ method: "POST", url: `${base}/`, operation: "op", body: "x" })
      .catch((e: unknown) => e);
    expect(isHttpTransportError(err) && [err.kind, err.mayHaveBeenSent, err.transient]).toEqual([
      "timeout",
      true,
      true,
    ]);
    expect(hits).toHaveLength(1);
    expect(metrics[0]?.outcome).toBe("timeout");
  });

  it("aborts on the caller's signal and does not retry", async () => {
    handlers.push(() => undefined);
    const { http } = client();
    const ac = new AbortController();
    const pending = http.request({
      method: "GET",
      url: `${base}/`,
      operation: "op",
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 50);
    const err = await pending.catch((e: unknown) => e);
    expect(isHttpAbortedError(err)).toBe(true);
    expect(hits).toHaveLength(1);
  });

  it("refuses a body over the limit", async () => {
    handlers.push(reply(200, "x".repeat(10_000)));
    const { http } = client({ maxResponseBytes: 1_000 });
    const err = await http
      .request({ method: "GET", url: `${base}/`, operation: "op" })
      .catch((e: unknown) => e);
    expect(isHttpTransportError(err) && [err.kind, err.transient]).toEqual(["too_large", false]);
  });

  it("logs only redacted URLs", async () => {
    handlers.push(reply(503), reply(200));
    const lines: string[] = [];
    const logger = {
      debug: (o: object, m?: string) => lines.push(JSON.stringify([o, m])),
      warn: (o: object, m?: string) => lines.push(JSON.stringify([o, m])),
    };
    const { http } = client({ logger, logSafeParams: ["BusinessObject"] });
    await http.request({
      method: "GET",
      url: `${base}/Query?UserId=SECRET-USER&OperatorPassword=hunter2&BusinessObject=APSQRY`,
      operation: "op",
    });
    expect(lines).toHaveLength(2);
    const all = lines.join("\n");
    expect(all).not.toContain("SECRET-USER");
    expect(all).not.toContain("hunter2");
    expect(all).toContain("BusinessObject=APSQRY");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds, dates, and rejects junk", () => {
    const now = Date.parse("2026-10-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Thu, 01 Oct 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 30 Sep 2026 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("redactUrl", () => {
  it("hides every query value and user-info except the kept parameters", () => {
    expect(
      redactUrl("https://u:p@h.example/Rest/Logon?Operator=ADM&OperatorPassword=x%26y&$top=5", [
        "$top",
      ]),
    ).toBe("https://h.example/Rest/Logon?Operator=[REDACTED]&OperatorPassword=[REDACTED]&%24top=5");
    expect(redactUrl("not a url")).toBe("[unparseable url]");
  });
});
