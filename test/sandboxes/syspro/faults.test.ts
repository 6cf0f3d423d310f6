import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { SysproSandbox } from "../../../sandboxes/syspro/index.js";
import { basic, get, logon, odata, params, post, qs, query, startSandbox, tag } from "./helpers.js";

const SUPPLIER_QUERY = "<Query><Key><Supplier>0000001</Supplier></Key></Query>";
const INVOICE =
  "<PostApInvoice><Item><Supplier>0000002</Supplier><Invoice>F-1</Invoice><TransactionValue>10.00</TransactionValue>" +
  "<LedgerDistribution><LedgerCode>5100-210</LedgerCode><LedgerValue>10.00</LedgerValue></LedgerDistribution></Item></PostApInvoice>";

describe("SYSPRO sandbox: faults", () => {
  let sandbox: SysproSandbox;
  let userId: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ odataMaxPageSize: 20 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    userId = await logon(sandbox);
  });

  const queryUrl = (): string =>
    `${sandbox.url}/Query/Query?${qs({ UserId: userId, BusinessObject: "APSQRY", XmlIn: SUPPLIER_QUERY })}`;

  it("answers 5xx on the next N matching calls, then recovers", async () => {
    sandbox.control.addFault({ kind: "status", status: 503, operation: "Query/Query", times: 2 });
    expect((await get(queryUrl())).status).toBe(503);
    expect((await get(queryUrl())).status).toBe(503);
    expect((await get(queryUrl())).status).toBe(200);
    expect(sandbox.control.requests().filter((e) => e.faults.includes("status"))).toHaveLength(2);
  });

  it("a 'before' fault on a post changes nothing; an 'after' fault posts and then fails", async () => {
    sandbox.control.addFault({ kind: "status", status: 500, businessObject: "APSTIN" });
    expect(
      (
        await get(
          `${sandbox.url}/Transaction/Post?${qs({ UserId: userId, BusinessObject: "APSTIN", XmlParameters: "", XmlIn: INVOICE })}`,
        )
      ).status,
    ).toBe(500);
    expect(sandbox.control.rows("ApInvoice", { Supplier: "0000002", Invoice: "F-1" })).toEqual([]);
    sandbox.control.addFault({ kind: "reset", businessObject: "APSTIN", phase: "after" });
    await expect(
      fetch(
        `${sandbox.url}/Transaction/Post?${qs({ UserId: userId, BusinessObject: "APSTIN", XmlParameters: "", XmlIn: INVOICE })}`,
      ),
    ).rejects.toThrow();
    expect(sandbox.control.rows("ApInvoice", { Supplier: "0000002", Invoice: "F-1" })).toHaveLength(
      1,
    );
  });

  it("delays responses and hangs them until the client gives up", async () => {
    sandbox.control.addFault({ kind: "delay", ms: 30 });
    expect((await get(queryUrl())).text).toContain("<ApQuery");
    sandbox.control.addFault({ kind: "hang", operation: "Query/Query" });
    await expect(fetch(queryUrl(), { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect((await get(queryUrl())).text).toContain("<ApQuery");
  });

  it("spoils XmlOut: malformed, truncated, and with a DOCTYPE + entities", async () => {
    for (const kind of ["malformed-xml", "truncated-xml"] as const) {
      sandbox.control.addFault({ kind, businessObject: "APSQRY" });
      const out = await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY);
      expect(XMLValidator.validate(out)).not.toBe(true);
    }
    sandbox.control.addFault({ kind: "doctype-xml", businessObject: "APSQRY" });
    const out = await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY);
    expect(out).toMatch(/<!DOCTYPE ApQuery \[<!ENTITY xxe SYSTEM "file:\/\/\/etc\/passwd">/);
    expect(out).toContain("&xxe;");
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).not.toContain("DOCTYPE");
  });

  it("answers an ERROR body on demand", async () => {
    sandbox.control.addFault({
      kind: "error-body",
      text: "ERROR: Simulated e.net failure",
      businessObject: "APSTIN",
    });
    const out = await post(sandbox, userId, "APSTIN", params({}, "PostApInvoice"), INVOICE);
    expect(out).toBe("ERROR: Simulated e.net failure");
    expect(sandbox.control.rows("ApInvoice", { Supplier: "0000002", Invoice: "F-1" })).toEqual([]);
  });

  it("breaks the OData nextLink: an invalid skip token, or a link to the same page", async () => {
    sandbox.control.setVariants({ odataNextLink: true });
    sandbox.control.addFault({ kind: "broken-next-link", operation: "ApInvoice" });
    const first = await odata(sandbox, "/ApInvoice?$select=Invoice");
    const link = String(first.body["@odata.nextLink"]);
    expect(link).toContain("$skiptoken=");
    const followed = await fetch(link, { headers: basic("MLCONNECT", "OData#2026") });
    expect(followed.status).toBe(400);
    await followed.text();

    sandbox.control.addFault({
      kind: "broken-next-link",
      mode: "same-page",
      operation: "ApInvoice",
    });
    const again = await odata(sandbox, "/ApInvoice?$select=Invoice&$skip=20");
    expect(String(again.body["@odata.nextLink"])).toBe(
      `${sandbox.odataUrl}/ApInvoice?%24select=Invoice&%24skip=20`,
    );
  });

  it("serves the control API over HTTP", async () => {
    const origin = new URL(sandbox.url).origin;
    const fault = await fetch(`${origin}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "status", status: 502, api: "odata" }),
    });
    expect(fault.status).toBe(201);
    await fault.text();
    expect((await odata(sandbox, "/ApSupplier?$top=1")).status).toBe(502);

    const added = await fetch(`${origin}/__sandbox/invoices`, {
      method: "POST",
      body: JSON.stringify({
        Supplier: "0000002",
        Invoice: "HTTP-1",
        OrigInvValue: "75.00",
        distribution: [{ ExpenseGlCode: "7250-210", DistrValue: "75.00" }],
      }),
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ Invoice: "HTTP-1", MthInvBal1: "75.00" });
    const refused = await fetch(`${origin}/__sandbox/invoices`, {
      method: "POST",
      body: JSON.stringify({ Supplier: "0999999", OrigInvValue: "1.00" }),
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain("Supplier '0999999' not found");

    const hold = await fetch(`${origin}/__sandbox/tables/GenMaster`, {
      method: "PATCH",
      body: JSON.stringify({
        where: { Company: "MED1", GlCode: "6100-210" },
        set: { AccOnHldFlag: "Y" },
      }),
    });
    expect(await hold.json()).toEqual({ updated: 1 });
    expect(
      tag(
        await query(
          sandbox,
          userId,
          "GENQRY",
          "<Query><Key><LedgerCode>6100-210</LedgerCode></Key></Query>",
        ),
        "OnHold",
      ),
    ).toBe("Y");

    const clock = await fetch(`${origin}/__sandbox/clock`, {
      method: "POST",
      body: JSON.stringify({ advanceMs: 21 * 60_000 }),
    });
    expect(await clock.json()).toEqual({ now: "2026-10-31T09:21:00.000Z" });
    expect(await query(sandbox, userId, "APSQRY", SUPPLIER_QUERY)).toMatch(/^ERROR/);

    const state = (await (await fetch(`${origin}/__sandbox/state`)).json()) as {
      tables: Record<string, { added: number }>;
    };
    expect(state.tables.ApInvoice?.added).toBe(1);
    const log = (await (await fetch(`${origin}/__sandbox/requests`)).json()) as {
      operation: string;
    }[];
    expect(log.map((e) => e.operation)).toContain("ApSupplier");
  });
});

describe("SYSPRO sandbox: seed", () => {
  it("is deterministic: two sandboxes with the same seed serve the same data", async () => {
    const a = await startSandbox();
    const b = await startSandbox();
    const c = await startSandbox({ customer: { seed: 7 } });
    try {
      const read = async (s: SysproSandbox): Promise<string> =>
        JSON.stringify([
          (await odata(s, "/ApSupplier")).body.value,
          (await odata(s, "/ApInvoice?$skip=250&$top=20")).body.value,
          (await odata(s, "/PorMasterDetail?$top=30")).body.value,
        ]);
      const [ra, rb, rc] = await Promise.all([read(a), read(b), read(c)]);
      expect(ra).toBe(rb);
      expect(rc).not.toBe(ra);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
