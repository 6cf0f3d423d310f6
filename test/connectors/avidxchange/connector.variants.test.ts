import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { guardLeaks } from "../../setup/leaks.js";
import { invoice, vendor } from "./fixtures.js";
import { all, CLIENT, startHarness } from "./harness.js";

import type { PagingVariant } from "../../../sandboxes/avidxchange/index.js";
import type { AvidConnector } from "../../../src/connectors/avidxchange/index.js";
import type { Harness } from "./harness.js";

// Every robustness rule of contract §9.2, one sandbox variant switch at a time.
guardLeaks();
let h: Harness;
let avid: AvidConnector;

beforeAll(async () => {
  h = await startHarness({ lifecycle: { enabled: false } });
  avid = h.connector({ options: { pageSize: 2 } });
  await avid.vendors.upsert([1, 2, 3, 4, 5, 6, 7].map(vendor));
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.control.setVariants({
    results: "array",
    successful: "boolean",
    paging: "links",
    pagingByResource: {},
    gatewayErrors: "flat",
    noMatchStatus: 404,
    retryAfter: "http-date",
  });
  h.sandbox.control.clearRequests();
});

describe("paging (§9.2)", () => {
  const expected = () => h.sandbox.control.snapshot().vendors.map((v) => v["ExternalVendorCode"]);

  it.each(["links", "pageCount", "pages"] as PagingVariant[])(
    "%s: every vendor, page by page, no page twice",
    async (paging) => {
      h.sandbox.control.setVariants({ paging });
      const pages = [];
      for await (const page of avid.vendors.list()) {
        pages.push(page);
      }
      expect(pages.flatMap((p) => p.items.map((v) => v.ExternalVendorCode))).toEqual(expected());
      expect(pages.length).toBe(Math.ceil(expected().length / 2));
      expect(pages.every((p) => p.items.length <= 2)).toBe(true);
      const asked = h.sandbox.control
        .requests({ path: "/v1/vendors" })
        .map((r) => r.query["pageNumber"] ?? "1");
      expect(asked).toEqual(pages.map((_, i) => String(i + 1)));
    },
  );

  it("none: a list without Paging is one page", async () => {
    h.sandbox.control.setVariants({ paging: "none" });
    const pages = [];
    for await (const page of avid.vendors.list()) {
      pages.push(page);
    }
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items.map((v) => v.ExternalVendorCode)).toEqual(expected());
  });

  it("per resource: one list pages by links, another by Pages", async () => {
    h.sandbox.control.setVariants({
      pagingByResource: { vendors: "pages", enterprisecodes: "links" },
    });
    expect((await all(avid.vendors.list())).length).toBe(expected().length);
    const codes = await all(avid.enterpriseCodes.list());
    expect(codes.length).toBe(h.sandbox.control.snapshot().enterpriseCodes.length);
  });
});

describe("per-item results (§9.2)", () => {
  it.each([
    ["array", "boolean"],
    ["object", "boolean"],
    ["array", "string"],
    ["object", "string"],
  ] as const)("Results as %s, Successful as %s", async (results, successful) => {
    h.sandbox.control.setVariants({ results, successful });
    const [ok] = await avid.invoices.post([invoice("T000001")]);
    const [bad] = await avid.invoices.post([invoice("T000404")]);
    expect(ok).toMatchObject({ ok: true, index: 0 });
    expect(bad).toMatchObject({ ok: false, index: 0, messages: ["Vendor T000404 not found"] });
    const [v] = await avid.vendors.upsert([vendor(1)]);
    expect(v?.ok).toBe(true);
  });
});

describe("gateway error shapes (§9.2)", () => {
  it.each(["flat", "fault"] as const)(
    "a %s 900901 still renews the token",
    async (gatewayErrors) => {
      h.sandbox.control.setVariants({ gatewayErrors });
      await all(avid.vendors.list());
      h.sandbox.control.revokeTokens({ clientId: CLIENT.clientId });
      h.sandbox.control.clearRequests();
      await all(avid.vendors.list());
      const statuses = h.sandbox.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
      expect(statuses.slice(0, 3)).toEqual([
        "GET /v1/vendors 401",
        "POST /token 200",
        "GET /v1/vendors 200",
      ]);
    },
  );

  it.each([403, 404] as const)(
    "no matching resource as %s is not-found, not auth",
    async (noMatchStatus) => {
      h.sandbox.control.setVariants({ noMatchStatus });
      const odd = h.connector({ options: { paths: { vendors: "/no-such-thing" } } });
      const error = await all(odd.vendors.list()).catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: "validation",
        code: "AVID_NOT_FOUND",
        status: noMatchStatus,
      });
    },
  );

  it("an AvidException 400 is a validation error with AvidXchange's text", async () => {
    // A connector configured wider than the gateway allows: the gateway refuses the window.
    const wide = h.connector({ options: { paymentWindowMaxDays: 60 } });
    const error = await all(
      wide.payments.listModified({ from: "2026-09-01", to: "2026-10-30" }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: "validation",
      code: "AVID_VALIDATION",
      status: 400,
      retryable: false,
      detail: "lastModifiedFrom and lastModifiedTo must be at most 31 days apart",
    });
    expect((error as Error).message).toContain("at most 31 days apart");
  });

  it("asks nothing for no ids", async () => {
    expect(await avid.payments.byIds([])).toEqual([]);
    expect(await avid.invoices.byExternalIds([])).toEqual([]);
    expect(h.sandbox.control.requests()).toHaveLength(0);
  });
});
