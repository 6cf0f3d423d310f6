/**
 * The two response envelopes: paged lists (`Items` + `Paging`, §2.3 / §7.5) and mutation results
 * (`Results[]` of `{Successful, Errors, Item}`, §2.5), each in the variants of §9.2.
 */
import type { Reply } from "./http-io.js";
import { validationError } from "./http-io.js";
import type { ResourceName, Variants } from "./options.js";

export interface PageRequest {
  path: string;
  query: URLSearchParams;
  resource: ResourceName;
  source: string;
  defaultPageSize: number;
  maxPageSize: number;
  variants: Variants;
}

function positiveInt(
  query: URLSearchParams,
  name: string,
  fallback: number,
  source: string,
): number {
  const raw = query.get(name);
  if (raw === null || raw === "") {
    return fallback;
  }
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw validationError(`${name} must be a positive integer`, source);
  }
  return Number(raw);
}

/** One page of `items` (already filtered and sorted by primary id). */
export function pagedReply<T>(
  req: PageRequest,
  items: readonly T[],
  render: (item: T) => unknown,
): Reply {
  const variant = req.variants.pagingByResource[req.resource] ?? req.variants.paging;
  if (variant === "none") {
    return { status: 200, json: { Items: items.map(render) } };
  }
  const pageNumber = positiveInt(req.query, "pageNumber", 1, req.source);
  const pageSize = Math.min(
    positiveInt(req.query, "pageSize", req.defaultPageSize, req.source),
    req.maxPageSize,
  );
  const total = items.length;
  const pageCount = Math.ceil(total / pageSize);
  const slice = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  const paging: Record<string, unknown> = {
    PageNumber: pageNumber,
    PageSize: pageSize,
    [variant === "pages" ? "Pages" : "PageCount"]: pageCount,
    PageItems: slice.length,
    TotalItems: total,
  };
  if (variant === "links") {
    const href = (n: number): string => {
      const q = new URLSearchParams(req.query);
      q.set("pageNumber", String(n));
      return `${req.path}?${q.toString()}`;
    };
    const links = [{ Rel: "first", Href: href(1) }];
    if (pageNumber < pageCount) {
      links.push({ Rel: "next", Href: href(pageNumber + 1) });
    }
    paging.Links = links;
  }
  return { status: 200, json: { Items: slice.map(render), Paging: paging } };
}

export interface ItemResult {
  ok: boolean;
  errors: string[];
  item: unknown;
}

/** HTTP 200 with one result per item, in request order; failures live inside. */
export function resultsReply(variants: Variants, results: readonly ItemResult[]): Reply {
  const shaped = results.map((r) => ({
    Successful: variants.successful === "string" ? String(r.ok) : r.ok,
    Errors: r.errors.map((Message) => ({ Message })),
    Item: r.item,
  }));
  const only = shaped[0];
  return {
    status: 200,
    json: { Results: variants.results === "object" && shaped.length === 1 && only ? only : shaped },
  };
}
