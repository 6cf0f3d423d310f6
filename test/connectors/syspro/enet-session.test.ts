/**
 * The e.net session lifecycle over real HTTP against the SYSPRO sandbox: logon, reuse, proactive
 * refresh, re-logon after expiry (queries retried, posts never), Logoff, and nothing secret logged.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  isSysproAmbiguousWriteError,
  isSysproPermissionError,
  isSysproSessionLostError,
} from "../../../src/connectors/syspro/index.js";
import type { HttpMetric } from "../../../src/connectors/http.js";
import { startHarness, type Harness } from "./harness.js";
import { guardLeaks } from "../../setup/leaks.js";

guardLeaks();

let h: Harness;
let supplier: string;
let invoice: {
  Supplier: string;
  Invoice: string;
  TransactionValue: string;
  LedgerDistribution: { LedgerCode: string; LedgerValue: string }[];
};
let seq = 0;

beforeAll(async () => {
  h = await startHarness();
  const s = h.sandbox.control.rows("ApSupplier", { OnHold: "N" }, 1)[0]!;
  supplier = s.Supplier!;
  invoice = {
    Supplier: supplier,
    Invoice: "",
    TransactionValue: "100.00",
    LedgerDistribution: [{ LedgerCode: s.MerchGlCode!, LedgerValue: "100.00" }],
  };
});

afterEach(() => {
  h.sandbox.control.clearFaults();
  h.sandbox.control.setSessionExpiry({ everyCalls: null, idleMinutes: 20 });
  h.sandbox.control.killSessions();
  h.sandbox.control.clearRequests();
  h.assertNoSecretsLogged();
});

afterAll(async () => {
  await h?.close();
});

const nextInvoice = () => ({ ...invoice, Invoice: `SESS-${++seq}` });

describe("e.net session", () => {
  it("logs on once and reuses the UserId for a batch of calls", async () => {
    const c = h.connector({ store: h.store() });
    for (let i = 0; i < 4; i++) {
      await c.enet.querySupplier(supplier);
    }
    await Promise.all([1, 2, 3].map(() => c.enet.getLogonProfile()));
    expect(h.count("Logon")).toBe(1);
    expect(h.count("Query/Query")).toBe(4);
    expect(h.count("GetLogonProfile")).toBe(3);
    expect(h.sandbox.control.snapshot().sessions).toHaveLength(1);
  });

  it("refreshes the session before the idle expiry (Logoff, then a fresh Logon)", async () => {
    let now = Date.parse("2026-10-31T09:00:00Z");
    const c = h.connector({
      store: h.store(),
      clock: { now: () => now },
      options: { idleRefreshMs: 5 * 60_000 },
    });
    await c.enet.querySupplier(supplier);
    now += 4 * 60_000;
    await c.enet.querySupplier(supplier);
    expect(h.count("Logon")).toBe(1);
    now += 6 * 60_000; // idle 6 min > 5 min: replaced before SYSPRO's 20 min expiry
    await c.enet.querySupplier(supplier);
    expect(h.sandbox.control.requests().map((r) => r.operation)).toEqual([
      "Logon",
      "Query/Query",
      "Query/Query",
      "Logoff",
      "Logon",
      "Query/Query",
    ]);
  });

  it("logs on again after SYSPRO expired the session, and retries the query once", async () => {
    const c = h.connector({ store: h.store() });
    await c.enet.querySupplier(supplier);
    h.sandbox.control.advanceClock(21 * 60_000); // SYSPRO's idle expiry passes unnoticed by us
    const result = await c.enet.querySupplier(supplier);
    expect(result.Supplier).toBe(supplier);
    const log = h.sandbox.control.requests();
    expect(log.map((r) => r.operation)).toEqual([
      "Logon",
      "Query/Query",
      "Query/Query",
      "Logon",
      "Query/Query",
    ]);
    expect(log[2]?.error).toMatch(/^ERROR/);
  });

  it("survives sessions that expire every N calls (queries)", async () => {
    h.sandbox.control.setSessionExpiry({ everyCalls: 2 });
    const c = h.connector({ store: h.store() });
    for (let i = 0; i < 6; i++) {
      expect(
        (await c.enet.queryLedgerCode(invoice.LedgerDistribution[0]!.LedgerCode)).GlCode,
      ).toBeTruthy();
    }
    expect(h.count("Logon")).toBe(3);
  });

  it("never retries a post on a lost session: ambiguous error, nothing posted, next call logs on", async () => {
    const c = h.connector({ store: h.store() });
    await c.enet.getLogonProfile();
    h.sandbox.control.killSessions(); // a second Logon elsewhere killed ours
    const doc = nextInvoice();
    const err = await c.enet.postApInvoice(doc).catch((e: unknown) => e);
    expect(isSysproAmbiguousWriteError(err) && [err.code, err.reason, err.businessObject]).toEqual([
      "SYSPRO_SESSION_LOST_DURING_WRITE",
      "session_lost",
      "APSTIN",
    ]);
    expect(h.count("Transaction/Post")).toBe(1);
    expect(
      h.sandbox.control.rows("ApInvoice", { Supplier: doc.Supplier, Invoice: doc.Invoice }),
    ).toHaveLength(0);
    // The caller checks, then posts again: a fresh session is used.
    const posted = await c.enet.postApInvoice(doc);
    expect(posted.Invoice).toBe(doc.Invoice);
    expect(h.count("Logon")).toBe(2);
  });

  it("surfaces a query whose session is lost twice in a row as SysproSessionLostError", async () => {
    h.sandbox.control.addFault({
      kind: "error-body",
      text: "ERROR: Invalid UserId - the session has expired or was logged off",
      operation: "Query/Query",
      times: 2,
    });
    const c = h.connector({ store: h.store() });
    const err = await c.enet.querySupplier(supplier).catch((e: unknown) => e);
    expect(isSysproSessionLostError(err) && err.transient).toBe(true);
    expect(h.count("Query/Query")).toBe(2);
  });

  it("takes back the session after a second logon for the operator killed it", async () => {
    const ours = h.connector({ store: h.store() });
    const intruder = h.connector({ store: h.store() }); // another installation, same operator
    await ours.enet.getLogonProfile();
    await intruder.enet.getLogonProfile(); // kills ours
    expect((await ours.enet.querySupplier(supplier)).Supplier).toBe(supplier);
    expect(h.count("Logon")).toBe(3);
  });

  it("reports an operator not licensed for the object as a permission error, without re-logon", async () => {
    const c = h.connector({
      store: h.store(),
      credentials: { operator: "APCLERK", operatorPassword: "apclerk" },
    });
    const err = await c.enet
      .queryLedgerCode(invoice.LedgerDistribution[0]!.LedgerCode)
      .catch((e: unknown) => e);
    expect(isSysproPermissionError(err) && err.sysproText).toMatch(/not licensed/);
    expect(h.count("Logon")).toBe(1);
  });

  it("logs every request with its query string redacted: no password, no UserId", async () => {
    const before = h.lines.length;
    const c = h.connector({ store: h.store() });
    await c.enet.querySupplier(supplier);
    h.sandbox.control.killSessions();
    await c.enet.querySupplier(supplier); // ERROR, re-logon, retry: every path logs
    const lines = h.lines
      .slice(before)
      .map((l) => JSON.parse(l) as { msg: string; url?: string; operation?: string });
    const logon = lines.find((l) => l.url?.includes("/Logon?"));
    expect(logon?.url).toMatch(/Operator=\[REDACTED\]&OperatorPassword=\[REDACTED\]/);
    const query = lines.find((l) => l.operation === "Query/Query:APSQRY");
    expect(query?.url).toMatch(
      /UserId=\[REDACTED\]&BusinessObject=\[REDACTED\]&XmlIn=\[REDACTED\]$/,
    );
    expect(lines.some((l) => l.msg === "SYSPRO e.net returned ERROR")).toBe(true);
    // afterEach then checks every captured line against every password and UserId.
  });

  it("reports per-attempt metrics: system, operation, status, duration", async () => {
    const metrics: HttpMetric[] = [];
    h.sandbox.control.addFault({ kind: "status", status: 503, operation: "Query/Query" });
    const c = h.connector({ store: h.store(), options: { onMetrics: (m) => metrics.push(m) } });
    await c.enet.querySupplier(supplier);
    expect(metrics.map((m) => [m.system, m.operation, m.status, m.attempt])).toEqual([
      ["syspro-enet", "Logon", 200, 1],
      ["syspro-enet", "Query/Query:APSQRY", 503, 1],
      ["syspro-enet", "Query/Query:APSQRY", 200, 2],
    ]);
    expect(metrics.every((m) => m.durationMs >= 0)).toBe(true);
  });

  it("logs off on close, and a later call logs on afresh", async () => {
    const store = h.store();
    const c = h.connector({ store });
    await c.enet.getLogonProfile();
    await c.close();
    expect(h.count("Logoff")).toBe(1);
    expect(h.sandbox.control.snapshot().sessions).toHaveLength(0);
    const other = h.connector({ store });
    await other.enet.getLogonProfile();
    expect(h.count("Logon")).toBe(2);
  });
});
