/**
 * Read-only SYSPRO OData (contract §3): Basic auth, `$select`, `$filter`, `$orderby` (always ending
 * in the entity's key so `$skip` paging is stable), pages of at most 5000 rows, streamed one page at
 * a time: a caller holds one page in memory, never a table.
 *
 * Paging: follow `@odata.nextLink` when the server sends one (same origin and service root only:
 * credentials never go anywhere else), otherwise `$skip` by the rows received; a page shorter than
 * asked ends the read. A server that silently capped below our `$top` without a nextLink would be
 * read short, so `pageSize` never exceeds the documented cap.
 */
import {
  type HttpClient,
  type HttpError,
  isHttpStatusError,
  isHttpTransportError,
} from "../http.js";
import {
  SysproAuthError,
  SysproMalformedResponseError,
  SysproNotFoundError,
  SysproPermissionError,
  SysproTransientError,
  type SysproError,
} from "./errors.js";
import { column, orderItem, type ODataFilter } from "./odata-filter.js";

/** SYSPRO OData's documented maximum rows per request. */
export const ODATA_ROW_CAP = 5000;

export interface ODataQuery {
  select?: readonly string[];
  filter?: ODataFilter | undefined;
  /** Must end with a unique key (tie-break) for `$skip` paging to be stable. */
  orderBy: readonly string[];
  /** Rows per request, ≤ 5000. Defaults to the client's page size. */
  pageSize?: number;
  /** Stop after this many rows in all. */
  limit?: number;
  signal?: AbortSignal;
}

export type ODataRow = Record<string, unknown>;

export interface ODataClient {
  /** Pages of raw rows, one request per page, fetched only as the caller iterates. */
  pages(entitySet: string, query: ODataQuery): AsyncGenerator<ODataRow[], void, undefined>;
}

export interface ODataClientOptions {
  http: HttpClient;
  /** Service root including the company, e.g. `https://host/SYSPRO8Odata/SYSPROOData/EDU1`. */
  baseUrl: string;
  user: string;
  password: string;
  /** Default rows per request. Default (and maximum) 5000. */
  pageSize?: number;
}

export function createODataClient(options: ODataClientOptions): ODataClient {
  const root = new URL(options.baseUrl.replace(/\/+$/, ""));
  const rootPath = root.pathname;
  const auth = `Basic ${Buffer.from(`${options.user}:${options.password}`, "utf8").toString("base64")}`;
  const defaultPageSize = clampPageSize(options.pageSize ?? ODATA_ROW_CAP);

  function pageUrl(entitySet: string, q: ODataQuery, top: number, skip: number): URL {
    const parts: string[] = [];
    if (q.select && q.select.length > 0) {
      parts.push(`$select=${q.select.map(column).join(",")}`);
    }
    if (q.filter) {
      parts.push(`$filter=${encodeURIComponent(q.filter.text)}`);
    }
    parts.push(`$orderby=${encodeURIComponent(q.orderBy.map(orderItem).join(","))}`);
    parts.push(`$top=${top}`);
    if (skip > 0) {
      parts.push(`$skip=${skip}`);
    }
    return new URL(`${root.origin}${rootPath}/${column(entitySet)}?${parts.join("&")}`);
  }

  function followable(link: string, current: URL, seen: Set<string>): URL {
    let next: URL;
    try {
      next = new URL(link, current);
    } catch (cause) {
      throw new SysproMalformedResponseError("bad_next_link", "OData nextLink is not a URL", {
        cause,
      });
    }
    if (next.origin !== root.origin || !next.pathname.startsWith(`${rootPath}/`)) {
      throw new SysproMalformedResponseError(
        "bad_next_link",
        "OData nextLink leaves the service root; not followed",
      );
    }
    if (seen.has(pageKey(next))) {
      throw new SysproMalformedResponseError(
        "bad_next_link",
        "OData nextLink points at a page already read",
      );
    }
    return next;
  }

  async function* pages(
    entitySet: string,
    q: ODataQuery,
  ): AsyncGenerator<ODataRow[], void, undefined> {
    if (q.orderBy.length === 0) {
      throw new RangeError("OData reads need an $orderby ending in a unique key");
    }
    const pageSize = clampPageSize(q.pageSize ?? defaultPageSize);
    const limit = q.limit ?? Number.POSITIVE_INFINITY;
    // Pages already requested (normalised), so a nextLink that loops is caught, not followed forever.
    const seen = new Set<string>();
    let received = 0;
    let viaNextLink = false;
    let requested = Math.min(pageSize, limit);
    // Rows received for the current `$top` request, across the nextLinks the server split it into.
    let chain = 0;
    let url = pageUrl(entitySet, q, requested, 0);
    for (;;) {
      seen.add(pageKey(url));
      const body = await fetchPage(entitySet, url, viaNextLink, q.signal);
      const rows =
        body.rows.length > limit - received ? body.rows.slice(0, limit - received) : body.rows;
      received += rows.length;
      chain += body.rows.length;
      if (rows.length > 0) {
        yield rows;
      }
      if (received >= limit || body.rows.length === 0) {
        return;
      }
      if (body.nextLink !== undefined) {
        url = followable(body.nextLink, url, seen);
        viaNextLink = true;
        continue;
      }
      // `$top` caps the whole answer (nextLinks included): fewer rows than asked means the end.
      if (chain < requested) {
        return;
      }
      requested = Math.min(pageSize, limit - received);
      chain = 0;
      viaNextLink = false;
      url = pageUrl(entitySet, q, requested, received);
    }
  }

  async function fetchPage(
    entitySet: string,
    url: URL,
    viaNextLink: boolean,
    signal: AbortSignal | undefined,
  ): Promise<{ rows: ODataRow[]; nextLink: string | undefined }> {
    let json: unknown;
    try {
      const res = await options.http.request({
        method: "GET",
        url,
        operation: `odata:${entitySet}`,
        headers: { authorization: auth, accept: "application/json" },
        ...(signal ? { signal } : {}),
      });
      json = JSON.parse(res.body.toString("utf8"));
    } catch (e) {
      if (e instanceof SyntaxError) {
        throw new SysproMalformedResponseError(
          "invalid_json",
          `OData ${entitySet}: body is not JSON`,
          {
            cause: e,
          },
        );
      }
      throw mapODataError(e as HttpError, entitySet, viaNextLink);
    }
    const value = (json as { value?: unknown } | null)?.value;
    if (!Array.isArray(value) || value.some((r) => typeof r !== "object" || r === null)) {
      throw new SysproMalformedResponseError(
        "unexpected_shape",
        `OData ${entitySet}: no "value" array`,
      );
    }
    const link = (json as Record<string, unknown>)["@odata.nextLink"];
    return {
      rows: value as ODataRow[],
      nextLink: typeof link === "string" && link !== "" ? link : undefined,
    };
  }

  return { pages };
}

/** A page's identity: path plus sorted, decoded query parameters (encodings differ, pages do not). */
function pageKey(url: URL): string {
  const params = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${url.pathname.toLowerCase()}?${JSON.stringify(params)}`;
}

function clampPageSize(n: number): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`OData page size must be a positive integer, got ${n}`);
  }
  return Math.min(n, ODATA_ROW_CAP);
}

function mapODataError(e: HttpError, entitySet: string, viaNextLink: boolean): SysproError {
  const what = `OData ${entitySet}`;
  if (isHttpStatusError(e)) {
    switch (e.statusClass) {
      case "auth":
        return new SysproAuthError("odata_credentials", `${what}: OData user or password refused`, {
          cause: e,
        });
      case "permission":
        return new SysproPermissionError("odata", `${what}: operator not allowed OData access`, {
          cause: e,
        });
      case "not_found":
      case "client":
        if (viaNextLink) {
          return new SysproMalformedResponseError(
            "bad_next_link",
            `${what}: nextLink led to HTTP ${e.status}`,
            { cause: e },
          );
        }
        return e.statusClass === "not_found"
          ? new SysproNotFoundError(
              "odata",
              `${what}: HTTP 404 (company or entity set not found)`,
              {
                cause: e,
              },
            )
          : new SysproMalformedResponseError("unexpected_status", `${what}: HTTP ${e.status}`, {
              cause: e,
            });
      default:
        return e.transient
          ? new SysproTransientError(`${what}: HTTP ${e.status}`, { cause: e })
          : new SysproMalformedResponseError("unexpected_status", `${what}: HTTP ${e.status}`, {
              cause: e,
            });
    }
  }
  if (isHttpTransportError(e) && e.kind === "tls") {
    return new SysproTransientError(`${what}: TLS failure`, { cause: e, code: "SYSPRO_TLS" });
  }
  if (isHttpTransportError(e) && (e.kind === "protocol" || e.kind === "too_large")) {
    return new SysproMalformedResponseError("not_http", `${what}: ${e.kind}`, { cause: e });
  }
  return new SysproTransientError(`${what}: ${isHttpTransportError(e) ? e.kind : "aborted"}`, {
    cause: e,
  });
}
