/**
 * Each diagnosis produced by the situation that causes it, over real HTTP against the sandbox (and,
 * for the transport failures, a closed port and a TLS handshake with a plain-HTTP server).
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { startHarness, type Harness } from "./harness.js";
import { guardLeaks } from "../../setup/leaks.js";

guardLeaks();

let h: Harness;
let html: Server;
let htmlUrl: string;
let closedPort: number;

beforeAll(async () => {
  h = await startHarness();
  html = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!DOCTYPE html><html><body>IIS Windows Server</body></html>");
  });
  html.listen(0, "127.0.0.1");
  await once(html, "listening");
  htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}/SYSPROWCFService/Rest`;
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  closedPort = (probe.address() as AddressInfo).port;
  probe.close();
  await once(probe, "close");
});

afterEach(() => {
  h.assertNoSecretsLogged();
});

afterAll(async () => {
  html?.close();
  await h?.close();
});

const diagnoseWith = (overrides: Parameters<Harness["connector"]>[0]) =>
  h.connector({ store: h.store(), ...overrides }).diagnose();

describe("diagnose", () => {
  it("says all is well, with SYSPRO's version and the company name", async () => {
    const d = await diagnoseWith({});
    expect(d).toMatchObject({
      ok: true,
      code: "ok",
      details: {
        companyName: "Meridian Electronics Distribution",
        sysproVersion: expect.stringMatching(/^8\./) as unknown,
      },
    });
    expect(d.message).toMatch(
      /^All good: SYSPRO 8\.\S+, company "Meridian Electronics Distribution"/,
    );
  });

  it.each([
    ["bad_operator_password", { credentials: { operatorPassword: "wrong" } }],
    ["bad_operator_password", { credentials: { operator: "NOBODY" } }],
    ["bad_company", { credentials: { companyId: "NOPE" } }],
    ["bad_company", { credentials: { companyPassword: "wrong" } }],
    ["no_enet_access", { credentials: { operator: "NOENET", operatorPassword: "noenet" } }],
    ["odata_password_wrong", { credentials: { odataPassword: "wrong" } }],
  ] as const)("%s when %j", async (code, overrides) => {
    const d = await diagnoseWith(overrides);
    expect([d.ok, d.code]).toEqual([false, code]);
    expect(d.message.split(". ").length).toBe(1); // one sentence
  });

  it("odata_company_not_found when the OData URL names another company", async () => {
    const d = await diagnoseWith({ odataUrl: h.sandbox.odataUrl.replace(/MED1$/, "ZZZ9") });
    expect(d.code).toBe("odata_company_not_found");
    expect(d.details.httpStatus).toBe(404);
  });

  it("host_unreachable when nothing listens", async () => {
    const d = await diagnoseWith({
      enetUrl: `http://127.0.0.1:${closedPort}/SYSPROWCFService/Rest`,
    });
    expect([d.code, d.details.lowLevelCode]).toEqual(["host_unreachable", "ECONNREFUSED"]);
    expect(d.message).toContain("connection refused");
  });

  it("tls when the TLS handshake fails", async () => {
    const d = await diagnoseWith({ enetUrl: h.sandbox.url.replace(/^http:/, "https:") });
    expect(d.code).toBe("tls");
  });

  it("not_enet_endpoint for a web server that is not e.net (404, or 200 with a web page)", async () => {
    const origin = new URL(h.sandbox.url).origin;
    expect((await diagnoseWith({ enetUrl: `${origin}/SomethingElse/Rest` })).code).toBe(
      "not_enet_endpoint",
    );
    expect((await diagnoseWith({ enetUrl: htmlUrl })).code).toBe("not_enet_endpoint");
  });

  it("odata_unreachable when e.net works but the OData host does not answer", async () => {
    const d = await diagnoseWith({
      odataUrl: `http://127.0.0.1:${closedPort}/SYSPRO8Odata/SYSPROOData/MED1`,
    });
    expect(d.code).toBe("odata_unreachable");
  });

  it("odata_tls when e.net works but the OData TLS handshake fails", async () => {
    const d = await diagnoseWith({ odataUrl: h.sandbox.odataUrl.replace(/^http:/, "https:") });
    expect([d.code, d.details.surface]).toEqual(["odata_tls", "odata"]);
  });

  it("odata_no_access when the OData service forbids the user (HTTP 403)", async () => {
    h.sandbox.control.addFault({ kind: "status", status: 403, api: "odata" });
    const d = await diagnoseWith({});
    expect([d.code, d.details.httpStatus]).toEqual(["odata_no_access", 403]);
  });

  it("host_unreachable, naming the status, when the e.net server answers 503", async () => {
    h.sandbox.control.addFault({ kind: "status", status: 503, operation: "Logon" });
    const d = await diagnoseWith({});
    expect([d.code, d.details.httpStatus]).toEqual(["host_unreachable", 503]);
    expect(d.message).toContain("HTTP 503");
  });

  it("does not disturb a running sync: the verified session becomes the shared one", async () => {
    const store = h.store();
    const worker = h.connector({ store });
    await worker.enet.getLogonProfile();
    h.sandbox.control.clearRequests();
    expect((await h.connector({ store }).diagnose()).ok).toBe(true);
    await worker.enet.getLogonProfile();
    const ops = h.sandbox.control.requests().filter((r) => r.api === "enet");
    expect(ops.map((r) => [r.operation, r.error ?? ""])).toEqual([
      ["Logon", ""],
      ["GetLogonProfile", ""],
      ["GetLogonProfile", ""],
    ]);
  });
});
