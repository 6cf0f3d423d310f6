import { describe, expect, it } from "vitest";

import { AvidMalformedResponseError } from "../../../src/connectors/avidxchange/errors.js";
import {
  nextPageUrl,
  paginate,
  readPageEnvelope,
} from "../../../src/connectors/avidxchange/paging.js";

const settings = {
  pageNumberParam: "pageNumber",
  pageSizeParam: "pageSize",
  pageSize: 2,
  maxPages: 50,
};
const BASE = "http://gw.test:8080/v1/payments?lastModifiedFrom=2026-01-01";

/** A fake server of 5 items, answering in one of the four §9.2 shapes. */
function server(shape: "links" | "pageCount" | "pages" | "none") {
  const all = [1, 2, 3, 4, 5].map((n) => ({ PaymentId: n }));
  const calls: string[] = [];
  const fetchJson = async (url: URL): Promise<unknown> => {
    calls.push(url.pathname + url.search);
    if (shape === "none") {
      return { Items: all };
    }
    const size = Number(url.searchParams.get("pageSize") ?? 500);
    const page = Number(url.searchParams.get("pageNumber") ?? 1);
    const pageCount = Math.ceil(all.length / size);
    const items = all.slice((page - 1) * size, page * size);
    const paging: Record<string, unknown> = { PageNumber: page, PageSize: size, TotalItems: 5 };
    if (shape === "pages") {
      paging["Pages"] = pageCount;
    } else {
      paging["PageCount"] = pageCount;
    }
    if (shape === "links") {
      const href = (n: number) =>
        `/v1/payments?lastModifiedFrom=2026-01-01&pageSize=${size}&pageNumber=${n}`;
      paging["Links"] = [
        { Rel: "first", Href: href(1) },
        ...(page < pageCount ? [{ Rel: "next", Href: href(page + 1) }] : []),
      ];
    }
    return { Items: items, Paging: paging };
  };
  return { fetchJson, calls };
}

async function drain(shape: "links" | "pageCount" | "pages" | "none") {
  const s = server(shape);
  const pages = [];
  for await (const page of paginate(new URL(BASE), s.fetchJson, (i) => i, settings, "GET x")) {
    pages.push(page);
  }
  return { pages, calls: s.calls };
}

describe("paginate", () => {
  it.each(["links", "pageCount", "pages"] as const)(
    "follows %s paging to the end",
    async (shape) => {
      const { pages, calls } = await drain(shape);
      expect(pages.map((p) => p.items.map((i) => (i as { PaymentId: number }).PaymentId))).toEqual([
        [1, 2],
        [3, 4],
        [5],
      ]);
      expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
      expect(pages[0]?.pageCount).toBe(3);
      expect(pages[0]?.totalItems).toBe(5);
      expect(calls[0]).toBe("/v1/payments?lastModifiedFrom=2026-01-01&pageSize=2");
      expect(calls).toHaveLength(3);
    },
  );

  it("reads Items with no Paging as one page", async () => {
    const { pages, calls } = await drain("none");
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items).toHaveLength(5);
    expect(calls).toHaveLength(1);
  });

  it("stops a server that links a page to itself", async () => {
    const loop = async () => ({
      Items: [],
      Paging: { Links: [{ Rel: "next", Href: "/v1/payments?pageNumber=1&pageSize=2" }] },
    });
    const run = async () => {
      for await (const _ of paginate(
        new URL("http://gw.test/v1/payments?pageNumber=1&pageSize=2"),
        loop,
        (i) => i,
        settings,
        "GET x",
      )) {
        // drain
      }
    };
    await expect(run()).rejects.toThrow(/does not end/);
  });
});

describe("readPageEnvelope / nextPageUrl", () => {
  it("accepts a plain array (payment history) and camelCase envelopes", () => {
    expect(readPageEnvelope([{ Id: 1 }], "x").items).toEqual([{ Id: 1 }]);
    const env = readPageEnvelope(
      {
        items: [1],
        paging: { pageNumber: 1, pages: 2, links: [{ rel: "Next", href: "/v1/x?p=2" }] },
      },
      "x",
    );
    expect(env).toMatchObject({ pageNumber: 1, pageCount: 2, nextHref: "/v1/x?p=2" });
  });

  it("refuses a body without Items", () => {
    expect(() => readPageEnvelope({ Results: [] }, "GET x")).toThrow(AvidMalformedResponseError);
    expect(() => readPageEnvelope("<html>", "GET x")).toThrow(AvidMalformedResponseError);
  });

  it("resolves a next link against the host, and refuses one that leaves it", () => {
    const current = new URL("https://gw.test/prefix/v1/invoices?pageNumber=1");
    const env = readPageEnvelope(
      { Items: [], Paging: { Links: [{ Rel: "next", Href: "/prefix/v1/invoices?pageNumber=2" }] } },
      "x",
    );
    expect(nextPageUrl(current, env, settings, "x")?.href).toBe(
      "https://gw.test/prefix/v1/invoices?pageNumber=2",
    );
    const evil = readPageEnvelope(
      { Items: [], Paging: { Links: [{ Rel: "next", Href: "https://evil.test/v1/x" }] } },
      "x",
    );
    expect(() => nextPageUrl(current, evil, settings, "x")).toThrow(/leaves the gateway/);
  });

  it("counts pages when PageNumber is missing, from the page asked for", () => {
    const env = readPageEnvelope({ Items: [1], Paging: { PageCount: 3 } }, "x");
    const next = nextPageUrl(new URL("http://gw.test/v1/x?pageNumber=2"), env, settings, "x");
    expect(next?.searchParams.get("pageNumber")).toBe("3");
    const last = nextPageUrl(new URL("http://gw.test/v1/x?pageNumber=3"), env, settings, "x");
    expect(last).toBeUndefined();
  });
});
