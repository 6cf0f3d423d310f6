/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   These tests read raw wire JSON (typed `any` on purpose) to pin its exact shape. */
import { describe, expect, it } from "vitest";

import type { Client } from "./helpers.js";
import { client, startSandbox, vendor } from "./helpers.js";

/** 3 seeded vendors + 7 new ones = 10, VendorIds 5001…5010. */
async function tenVendors(options: Parameters<typeof startSandbox>[0] = {}): Promise<Client> {
  const sandbox = await startSandbox(options);
  const api = await client(sandbox);
  const vendors = Array.from({ length: 7 }, (_, i) => vendor(`000000${i + 1}`));
  await api("POST", "/v1/vendors", { body: { Vendors: vendors } });
  return api;
}

describe("paging (§7.5 and the §9.2 variants)", () => {
  it("pages with Links: follows `next` (relative to the host) to the end, stable by id", async () => {
    const api = await tenVendors();
    const first = await api("GET", "/v1/vendors?pageSize=4");
    expect(first.json.Paging).toEqual({
      PageNumber: 1,
      PageSize: 4,
      PageCount: 3,
      PageItems: 4,
      TotalItems: 10,
      Links: [
        { Rel: "first", Href: "/v1/vendors?pageSize=4&pageNumber=1" },
        { Rel: "next", Href: "/v1/vendors?pageSize=4&pageNumber=2" },
      ],
    });
    const ids: number[] = [];
    let page = first;
    for (;;) {
      ids.push(...page.json.Items.map((v: { VendorId: number }) => v.VendorId));
      const next = page.json.Paging.Links.find((l: { Rel: string }) => l.Rel === "next");
      if (!next) {
        break;
      }
      page = await api("GET", next.Href);
    }
    expect(ids).toEqual([5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008, 5009, 5010]);
    expect(page.json.Paging).toMatchObject({ PageNumber: 3, PageItems: 2 });
    const beyond = await api("GET", "/v1/vendors?pageSize=4&pageNumber=9");
    expect(beyond.json.Items).toEqual([]);
    expect(beyond.json.Paging.Links.map((l: { Rel: string }) => l.Rel)).toEqual(["first"]);
  });

  it("answers an empty list with Items [] and TotalItems 0", async () => {
    const api = await tenVendors();
    const res = await api("GET", "/v1/vendors?externalVendorCodes=NOPE");
    expect(res.json.Items).toEqual([]);
    expect(res.json.Paging).toMatchObject({ TotalItems: 0, PageItems: 0, PageCount: 0 });
  });

  it("has PageCount without Links, or Pages instead of PageCount, as variants", async () => {
    const countOnly = await tenVendors({ variants: { paging: "pageCount" } });
    const a = await countOnly("GET", "/v1/vendors?pageSize=4&pageNumber=2");
    expect(a.json.Paging).toEqual({
      PageNumber: 2,
      PageSize: 4,
      PageCount: 3,
      PageItems: 4,
      TotalItems: 10,
    });
    const pages = await tenVendors({ variants: { paging: "pages" } });
    const b = await pages("GET", "/v1/vendors?pageSize=4");
    expect(b.json.Paging).toEqual({
      PageNumber: 1,
      PageSize: 4,
      Pages: 3,
      PageItems: 4,
      TotalItems: 10,
    });
  });

  it("returns Items with no Paging for a resource that does not page", async () => {
    const api = await tenVendors({ variants: { pagingByResource: { vendors: "none" } } });
    const res = await api("GET", "/v1/vendors?pageSize=4");
    expect(Object.keys(res.json)).toEqual(["Items"]);
    expect(res.json.Items).toHaveLength(10);
    const codes = await api("GET", "/v1/enterprisecodes?groupName=Department");
    expect(codes.json.Paging).toBeDefined();
  });

  it("caps pageSize and refuses a bad pageNumber", async () => {
    const api = await tenVendors({ maxPageSize: 5 });
    expect((await api("GET", "/v1/vendors?pageSize=1000")).json.Paging.PageSize).toBe(5);
    const bad = await api("GET", "/v1/vendors?pageNumber=0");
    expect(bad.status).toBe(400);
    expect(bad.json.exception.detail).toBe("pageNumber must be a positive integer");
  });
});

describe("mutation results (§2.5 and the §9.2 variants)", () => {
  it("may answer a one-item request with Results as an object and Successful as a string", async () => {
    const sandbox = await startSandbox({ variants: { results: "object", successful: "string" } });
    const api = await client(sandbox);
    const one = await api("POST", "/v1/vendors", { body: { Vendors: [{ Name: "no code" }] } });
    expect(one.json.Results).toEqual({
      Successful: "false",
      Errors: [{ Message: "ExternalVendorCode is required" }],
      Item: null,
    });
    const two = await api("POST", "/v1/vendors", {
      body: { Vendors: [vendor("0000001"), vendor("0000002")] },
    });
    expect(Array.isArray(two.json.Results)).toBe(true);
    expect(two.json.Results.map((r: { Successful: string }) => r.Successful)).toEqual([
      "true",
      "true",
    ]);
    sandbox.control.setVariants({ results: "array", successful: "boolean" });
    const back = await api("POST", "/v1/vendors", { body: { Vendors: [vendor("0000003")] } });
    expect(back.json.Results[0].Successful).toBe(true);
  });
});
