import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { SysproSandbox } from "../../../sandboxes/syspro/index.js";
import { get, logon, qs, query, startSandbox } from "./helpers.js";

const SUPPLIER_QUERY = "<Query><Key><Supplier>0000001</Supplier></Key></Query>";

describe("SYSPRO sandbox: e.net sessions", () => {
  let sandbox: SysproSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.control.reset();
  });

  it("logs on with an opaque 34–75 character UserId and serves queries with it", async () => {
    const userId = await logon(sandbox);
    expect(userId).not.toMatch(/^ERROR/);
    expect(userId.length).toBeGreaterThanOrEqual(34);
    expect(userId.length).toBeLessThanOrEqual(75);
    const out = await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY);
    expect(out).toMatch(/^<\?xml version="1.0" encoding="Windows-1252"\?><ApQuery /);
    expect(sandbox.control.snapshot().sessions).toHaveLength(1);
  });

  it("answers bad credentials with ERROR text at HTTP 200", async () => {
    const c = sandbox.credentials;
    const cases: [Record<string, string>, RegExp][] = [
      [{ OperatorPassword: "wrong" }, /^ERROR: Invalid operator password$/],
      [{ Operator: "NOBODY" }, /^ERROR: Invalid operator password$/],
      [{ CompanyId: "XYZ1" }, /^ERROR: Company 'XYZ1' not found$/],
      [{ CompanyPassword: "nope" }, /^ERROR: Invalid company password$/],
      [
        { Operator: "NOENET", OperatorPassword: "noenet" },
        /^ERROR: Operator 'NOENET' does not have access to e\.net/,
      ],
    ];
    for (const [overrides, expected] of cases) {
      const r = await get(
        `${sandbox.url}/Logon?${qs({
          Operator: c.operator,
          OperatorPassword: c.operatorPassword,
          CompanyId: c.companyId,
          CompanyPassword: c.companyPassword,
          ...overrides,
        })}`,
      );
      expect(r.status).toBe(200);
      expect(r.text).toMatch(expected);
    }
  });

  it("kills the first session when the same operator logs on again", async () => {
    const first = await logon(sandbox);
    const second = await logon(sandbox);
    expect(second).not.toBe(first);
    expect(await query(sandbox, first, "APSQRY", SUPPLIER_QUERY)).toMatch(/^ERROR: Invalid UserId/);
    expect(await query(sandbox, second, "APSQRY", SUPPLIER_QUERY)).toMatch(/<ApQuery/);
  });

  it("kills a session from the control API, as a human logging on elsewhere would", async () => {
    const userId = await logon(sandbox);
    expect(sandbox.control.killSessions("MLCONNECT")).toBe(1);
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).toMatch(/^ERROR/);
  });

  it("expires an idle session on the sandbox clock, default 20 minutes", async () => {
    const userId = await logon(sandbox);
    sandbox.control.advanceClock(19 * 60_000);
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).toMatch(/<ApQuery/);
    sandbox.control.advanceClock(19 * 60_000); // idle time counts from the last call
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).toMatch(/<ApQuery/);
    sandbox.control.advanceClock(20 * 60_000 + 1);
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).toMatch(
      /^ERROR: Invalid UserId/,
    );
  });

  it("expires sessions every N calls when told to", async () => {
    sandbox.control.setSessionExpiry({ everyCalls: 2 });
    const userId = await logon(sandbox);
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).toMatch(/<ApQuery/);
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).toMatch(/<ApQuery/);
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).toMatch(/^ERROR/);
    const again = await logon(sandbox);
    expect(await query(sandbox, again, "APSQRY", SUPPLIER_QUERY)).toMatch(/<ApQuery/);
    sandbox.control.setSessionExpiry({ everyCalls: null });
  });

  it("logs off with '0' and then refuses the UserId", async () => {
    const userId = await logon(sandbox);
    expect((await get(`${sandbox.url}/Logoff?${qs({ UserId: userId })}`)).text).toBe("0");
    expect((await get(`${sandbox.url}/Logoff?${qs({ UserId: userId })}`)).text).toMatch(/^ERROR/);
    expect(sandbox.control.snapshot().sessions).toHaveLength(0);
  });

  it("matches paths case-insensitively, needs GET except for PostLD, and 404s unknown endpoints", async () => {
    const userId = await logon(sandbox);
    const lower = sandbox.url.replace("/SYSPROWCFService/Rest", "/sysprowcfservice/rest");
    const r = await get(
      `${lower}/query/QUERY?${qs({ UserId: userId, BusinessObject: "APSQRY", XmlIn: SUPPLIER_QUERY })}`,
    );
    expect(r.text).toMatch(/<ApQuery/);
    const asPost = await fetch(`${sandbox.url}/Query/Query?${qs({ UserId: userId })}`, {
      method: "POST",
    });
    expect(asPost.status).toBe(405);
    await asPost.text();
    expect((await get(`${sandbox.url}/Query/Nope`)).status).toBe(404);
    expect((await get(`${sandbox.url}/GetVersion`)).text).toBe("8.0.161");
  });

  it("returns the logon profile with the company name", async () => {
    const userId = await logon(sandbox);
    const r = await get(`${sandbox.url}/GetLogonProfile?${qs({ UserId: userId })}`);
    expect(r.text).toContain("<CompanyName>Meridian Electronics Distribution</CompanyName>");
    expect(r.text).toContain("<OperatorCode>MLCONNECT</OperatorCode>");
  });

  it("wraps every body per variant: plain, JSON-quoted, <string>-wrapped", async () => {
    sandbox.control.setVariants({ wrapping: "json" });
    const json = await logon(sandbox);
    expect(json).toMatch(/^"[0-9A-F]{42}"$/);
    const userId = JSON.parse(json) as string;
    const out = await get(
      `${sandbox.url}/Query/Query?${qs({ UserId: userId, BusinessObject: "APSQRY", XmlIn: SUPPLIER_QUERY })}`,
    );
    expect(out.contentType).toContain("application/json");
    expect(JSON.parse(out.text) as string).toMatch(/^<\?xml.*<ApQuery /);

    sandbox.control.setVariants({ wrapping: "string-element" });
    const wrapped = await logon(sandbox);
    expect(wrapped).toMatch(
      /^<string xmlns="http:\/\/schemas\.microsoft\.com\/2003\/10\/Serialization\/">[0-9A-F]{42}<\/string>$/,
    );
    const userId2 = /<string[^>]*>([^<]*)<\/string>/.exec(wrapped)![1]!;
    const q = await get(
      `${sandbox.url}/Query/Query?${qs({ UserId: userId2, BusinessObject: "APSQRY", XmlIn: SUPPLIER_QUERY })}`,
    );
    expect(q.text).toMatch(/^<string[^>]*>&lt;\?xml/);
  });

  it("logs requests with passwords and UserIds redacted", async () => {
    const userId = await logon(sandbox);
    await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY);
    const log = sandbox.control.requests();
    expect(log.map((e) => [e.operation, e.businessObject, e.status])).toEqual([
      ["Logon", undefined, 200],
      ["Query/Query", "APSQRY", 200],
    ]);
    const text = JSON.stringify(log);
    expect(text).not.toContain(userId);
    expect(text).not.toContain(sandbox.credentials.operatorPassword);
    expect(text).not.toContain(sandbox.credentials.companyPassword);
    expect(log[0]?.params.OperatorPassword).toBe("REDACTED");
    expect(log[1]?.params.UserId).toBe("REDACTED");
    expect(log[1]?.operator).toBe("MLCONNECT");
  });
});
