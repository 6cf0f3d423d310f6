/**
 * The HTTP server: routes e.net (`/SYSPROWCFService/Rest/…`), OData (`/SYSPRO8Odata/SYSPROOData/…`) and
 * the control API (`/__sandbox/…`), applies faults and variants, and logs every e.net and OData call.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

import type { SysproControl } from "./control.js";
import { handleControl } from "./control-http.js";
import { executeEnet, parseEnetRequest, redactEnetParams } from "./enet/handler.js";
import type { EnetDeps, EnetResponse } from "./enet/handler.js";
import { malformed, truncated, withDoctype } from "./faults.js";
import type { Faults } from "./faults.js";
import { handleOData } from "./odata/handler.js";
import type { NextLinkFault, ODataDeps, ODataResponse } from "./odata/handler.js";
import type { RequestLog } from "./request-log.js";
import type { SandboxClock } from "./clock.js";
import type { FaultRule, RequestLogEntry, Variants } from "./types.js";
import { escapeXml } from "./xml-out.js";

export const ENET_BASE_PATH = "/SYSPROWCFService/Rest";
export const ODATA_BASE_PATH = "/SYSPRO8Odata/SYSPROOData";

export interface ServerDeps {
  enet: EnetDeps;
  odata: ODataDeps;
  control: SysproControl;
  faults: Faults;
  log: RequestLog;
  clock: SandboxClock;
  variants: () => Variants;
}

const PRE_KINDS = new Set(["status", "delay", "hang", "reset", "error-body"]);

function wrap(text: string, variants: Variants): { body: string; contentType: string } {
  switch (variants.wrapping) {
    case "json":
      return { body: JSON.stringify(text), contentType: "application/json; charset=utf-8" };
    case "string-element":
      return {
        body: `<string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">${escapeXml(text)}</string>`,
        contentType: "application/xml; charset=utf-8",
      };
    default:
      return { body: text, contentType: "text/plain; charset=utf-8" };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function createSandboxServer(deps: ServerDeps): { server: Server; shutdown(): void } {
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(entry);
    });

  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): void {
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(status, headers);
      res.end(body);
    }
  }

  /** Applies a pre/post fault; returns the status it answered with, or undefined to go on. */
  async function act(
    res: ServerResponse,
    rule: FaultRule,
    api: "enet" | "odata",
  ): Promise<number | undefined> {
    switch (rule.kind) {
      case "delay":
        await sleep(rule.ms);
        return undefined;
      case "status":
        send(
          res,
          rule.status,
          { "content-type": "text/html; charset=utf-8" },
          rule.body ?? "<html><body>Service Unavailable</body></html>",
        );
        return rule.status;
      case "hang":
        return 0; // never answered; close() drops the connection
      case "reset":
        res.socket?.destroy();
        return -1;
      case "error-body": {
        if (api === "odata") {
          const message = rule.text ?? "An error has occurred.";
          send(
            res,
            500,
            { "content-type": "application/json" },
            JSON.stringify({ error: { code: "", message } }),
          );
          return 500;
        }
        const w = wrap(rule.text ?? "ERROR: e.net request failed", deps.variants());
        send(res, 200, { "content-type": w.contentType }, w.body);
        return 200;
      }
      default:
        return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const lower = url.pathname.toLowerCase();
    const method = (req.method ?? "GET").toUpperCase();
    const body = method === "GET" || method === "HEAD" ? "" : await readBody(req);

    if (lower.startsWith("/__sandbox/") || lower === "/__sandbox") {
      const r = handleControl(
        deps.control,
        method,
        url.pathname.slice("/__sandbox".length),
        url.searchParams,
        body,
      );
      send(
        res,
        r.status,
        { "content-type": "application/json" },
        r.body === null ? "" : JSON.stringify(r.body),
      );
      return;
    }
    const api = lower.startsWith(ENET_BASE_PATH.toLowerCase() + "/")
      ? "enet"
      : lower.startsWith(ODATA_BASE_PATH.toLowerCase() + "/") ||
          lower === ODATA_BASE_PATH.toLowerCase()
        ? "odata"
        : undefined;
    if (api === undefined) {
      send(res, 404, { "content-type": "text/plain" }, "Not found");
      return;
    }

    const enetReq =
      api === "enet"
        ? parseEnetRequest(
            method,
            url.pathname.slice(ENET_BASE_PATH.length),
            url.searchParams,
            body,
          )
        : undefined;
    const odataSub = url.pathname.slice(ODATA_BASE_PATH.length);
    const operation =
      enetReq?.operation ??
      decodeURIComponent(odataSub.split("/").filter((s) => s !== "")[1] ?? "");
    const rules = deps.faults.take({
      api,
      operation,
      ...(enetReq?.businessObject === undefined ? {} : { businessObject: enetReq.businessObject }),
    });
    const logAs = (status: number, operator?: string, error?: string): void => {
      const entry: Omit<RequestLogEntry, "seq"> = {
        at: new Date(deps.clock.now()).toISOString(),
        api,
        method,
        path: url.pathname,
        operation,
        params:
          enetReq === undefined
            ? Object.fromEntries(url.searchParams)
            : redactEnetParams(enetReq.rawParams),
        status,
        faults: rules.map((r) => r.kind),
      };
      if (enetReq?.businessObject !== undefined) {
        entry.businessObject = enetReq.businessObject;
      }
      if (operator !== undefined) {
        entry.operator = operator;
      }
      if (error !== undefined) {
        entry.error = error;
      }
      deps.log.add(entry);
    };

    for (const rule of rules.filter((r) => PRE_KINDS.has(r.kind) && r.phase !== "after")) {
      const answered = await act(res, rule, api);
      if (answered !== undefined) {
        logAs(answered);
        return;
      }
    }

    let status: number;
    let headers: Record<string, string>;
    let text: string;
    let operator: string | undefined;
    let error: string | undefined;
    try {
      if (enetReq !== undefined) {
        const r: EnetResponse = executeEnet(deps.enet, enetReq);
        let out = r.text;
        if (r.xml) {
          for (const rule of rules) {
            out =
              rule.kind === "malformed-xml"
                ? malformed(out)
                : rule.kind === "truncated-xml"
                  ? truncated(out)
                  : rule.kind === "doctype-xml"
                    ? withDoctype(out)
                    : out;
          }
        }
        const w =
          r.status === 200 ? wrap(out, deps.variants()) : { body: out, contentType: "text/plain" };
        ({ status } = r);
        headers = { "content-type": w.contentType };
        text = w.body;
        operator = r.operator;
        error = r.text.startsWith("ERROR") ? r.text.split("\n")[0] : undefined;
      } else {
        const broken = rules.find((r) => r.kind === "broken-next-link");
        const fault: NextLinkFault =
          broken?.kind === "broken-next-link" ? (broken.mode ?? "invalid-token") : undefined;
        const r: ODataResponse = handleOData(
          deps.odata,
          method,
          odataSub,
          url.searchParams,
          req.headers.authorization,
          fault,
        );
        ({ status, headers } = r);
        text = r.body;
        operator = r.operator;
        error = r.status >= 400 ? r.body.slice(0, 200) : undefined;
      }
    } catch (e) {
      status = 500;
      headers = { "content-type": "text/plain" };
      text = "The server encountered an error processing the request.";
      error = e instanceof Error ? e.message : String(e);
    }

    for (const rule of rules.filter((r) => PRE_KINDS.has(r.kind) && r.phase === "after")) {
      const answered = await act(res, rule, api);
      if (answered !== undefined) {
        logAs(answered, operator);
        return;
      }
    }
    send(res, status, headers, text);
    logAs(status, operator, error);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      send(res, 500, { "content-type": "text/plain" }, e instanceof Error ? e.message : "error");
    });
  });
  return {
    server,
    shutdown() {
      for (const t of timers) {
        clearTimeout(t.timer);
        t.resolve();
      }
      timers.clear();
      server.closeAllConnections();
    },
  };
}
