import { AvidMalformedResponseError } from "./errors.js";

/**
 * Paged lists (contract §2.3, §7.5, §9.2). Three shapes are seen in the wild and all are followed:
 * `Paging.Links[Rel=next].Href` (relative to the host); else `pageNumber + 1` while `PageNumber <
 * PageCount` (or `Pages`); and `Items` with no `Paging` at all (one page). A plain array body
 * (payment history) is one page too.
 */
export interface AvidPage<T> {
  readonly items: readonly T[];
  /** 1-based. */
  readonly pageNumber: number;
  readonly pageCount: number | undefined;
  readonly totalItems: number | undefined;
}

export interface PageEnvelope {
  readonly items: readonly unknown[];
  readonly pageNumber: number | undefined;
  readonly pageCount: number | undefined;
  readonly totalItems: number | undefined;
  readonly nextHref: string | undefined;
}

export interface PagingSettings {
  /** Query parameter for the page number (`pageNumber`, [C] §2.3). */
  readonly pageNumberParam: string;
  /** Query parameter for the page size (`pageSize`, [I] §7.5). */
  readonly pageSizeParam: string;
  readonly pageSize: number;
  /** A guard against a server that links a page to itself forever. */
  readonly maxPages: number;
}

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v)
    ? v
    : typeof v === "string" && /^\d+$/.test(v)
      ? Number(v)
      : undefined;

function field(o: Record<string, unknown>, name: string): unknown {
  // PascalCase on the partner API, camelCase on AvidConnect's admin API (§2.3).
  return o[name] ?? o[name.charAt(0).toLowerCase() + name.slice(1)];
}

/** Reads `{ Items, Paging? }` (or a plain array); anything else is malformed. */
export function readPageEnvelope(body: unknown, request: string): PageEnvelope {
  if (Array.isArray(body)) {
    return {
      items: body,
      pageNumber: undefined,
      pageCount: undefined,
      totalItems: undefined,
      nextHref: undefined,
    };
  }
  const top = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const items = field(top, "Items");
  if (!Array.isArray(items)) {
    throw new AvidMalformedResponseError(`no Items list in the response to ${request}`, {
      request,
    });
  }
  const paging = field(top, "Paging");
  if (typeof paging !== "object" || paging === null) {
    return {
      items,
      pageNumber: undefined,
      pageCount: undefined,
      totalItems: undefined,
      nextHref: undefined,
    };
  }
  const p = paging as Record<string, unknown>;
  const links = field(p, "Links");
  const next = Array.isArray(links)
    ? (links as unknown[]).find((l): l is Record<string, unknown> => {
        const rel =
          typeof l === "object" && l !== null
            ? field(l as Record<string, unknown>, "Rel")
            : undefined;
        return typeof rel === "string" && rel.toLowerCase() === "next";
      })
    : undefined;
  const href = next ? field(next, "Href") : undefined;
  return {
    items,
    pageNumber: num(field(p, "PageNumber")),
    pageCount: num(field(p, "PageCount")) ?? num(field(p, "Pages")),
    totalItems: num(field(p, "TotalItems")),
    nextHref: typeof href === "string" && href.length > 0 ? href : undefined,
  };
}

/**
 * The URL of the page after `current`, or undefined on the last page. A next link must stay on
 * the gateway's origin: the bearer token goes wherever we follow it.
 */
export function nextPageUrl(
  current: URL,
  envelope: PageEnvelope,
  settings: Pick<PagingSettings, "pageNumberParam">,
  request: string,
): URL | undefined {
  if (envelope.nextHref !== undefined) {
    const next = new URL(envelope.nextHref, current.origin);
    if (next.origin !== current.origin) {
      throw new AvidMalformedResponseError(`the next-page link of ${request} leaves the gateway`, {
        request,
      });
    }
    return next;
  }
  const requested = num(current.searchParams.get(settings.pageNumberParam)) ?? 1;
  const pageNumber = envelope.pageNumber ?? requested;
  if (envelope.pageCount === undefined || pageNumber >= envelope.pageCount) {
    return undefined;
  }
  const next = new URL(current);
  next.searchParams.set(settings.pageNumberParam, String(pageNumber + 1));
  return next;
}

/**
 * Streams a list page by page: one page in memory at a time. `fetchJson` performs the (paced,
 * authenticated, retried) GET; `parseItem` validates each item.
 */
export async function* paginate<T>(
  first: URL,
  fetchJson: (url: URL) => Promise<unknown>,
  parseItem: (item: unknown) => T,
  settings: PagingSettings,
  request: string,
): AsyncGenerator<AvidPage<T>, void, undefined> {
  const seen = new Set<string>();
  let url: URL | undefined = new URL(first);
  if (!url.searchParams.has(settings.pageSizeParam)) {
    url.searchParams.set(settings.pageSizeParam, String(settings.pageSize));
  }
  while (url) {
    if (seen.has(url.href) || seen.size >= settings.maxPages) {
      throw new AvidMalformedResponseError(`paging of ${request} does not end`, { request });
    }
    seen.add(url.href);
    const envelope = readPageEnvelope(await fetchJson(url), request);
    const requested = num(url.searchParams.get(settings.pageNumberParam)) ?? seen.size;
    yield {
      items: envelope.items.map(parseItem),
      pageNumber: envelope.pageNumber ?? requested,
      pageCount: envelope.pageCount,
      totalItems: envelope.totalItems,
    };
    url = nextPageUrl(url, envelope, settings, request);
  }
}
