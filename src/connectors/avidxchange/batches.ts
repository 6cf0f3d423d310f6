import { paginate } from "./paging.js";
import { normaliseResults } from "./results.js";

import type { AvidPage, PagingSettings } from "./paging.js";
import type { AvidItemResult } from "./results.js";
import type { AvidTransport } from "./transport.js";

/**
 * Batch writes and id lookups. DESIGN "Throughput": items go in the contract's arrays, up to
 * `batchSize` a request, with per-item results matched back in order.
 */

export interface BatchPost<I, T> {
  readonly transport: AvidTransport;
  readonly path: string;
  /** The body's array member: `Invoices`, `Vendors`, `PurchaseOrders`. */
  readonly member: string;
  readonly operation: string;
  readonly inputs: readonly I[];
  readonly batchSize: number;
  readonly parseItem: (request: string) => (item: unknown) => T;
  readonly signal?: AbortSignal | undefined;
}

/** Posts `inputs` in batches; one result per input, `index` into `inputs`. No inputs, no request. */
export async function postInBatches<I, T>(p: BatchPost<I, T>): Promise<AvidItemResult<I, T>[]> {
  const out: AvidItemResult<I, T>[] = [];
  const request = `POST ${p.transport.url(p.path).pathname}`;
  for (let start = 0; start < p.inputs.length; start += p.batchSize) {
    const batch = p.inputs.slice(start, start + p.batchSize);
    const body = await p.transport.json({
      method: "POST",
      path: p.path,
      body: { [p.member]: batch },
      operation: p.operation,
      signal: p.signal,
    });
    for (const r of normaliseResults(body, batch, p.parseItem(request), request)) {
      out.push({ ...r, index: r.index + start });
    }
  }
  return out;
}

export interface ListRequest<T> {
  readonly transport: AvidTransport;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly operation: string;
  readonly paging: PagingSettings;
  readonly parseItem: (request: string) => (item: unknown) => T;
  readonly signal?: AbortSignal | undefined;
}

/** Streams one list, page by page. */
export function listPages<T>(l: ListRequest<T>): AsyncGenerator<AvidPage<T>, void, undefined> {
  const first = l.transport.url(l.path, l.query);
  const request = `GET ${first.pathname}`;
  return paginate(
    first,
    (url) => l.transport.json({ method: "GET", url, operation: l.operation, signal: l.signal }),
    l.parseItem(request),
    l.paging,
    request,
  );
}

/** Streams several lists one after another (split windows, id chunks). */
export async function* concatPages<T>(
  lists: Iterable<() => AsyncIterable<AvidPage<T>>>,
): AsyncGenerator<AvidPage<T>, void, undefined> {
  for (const list of lists) {
    yield* list();
  }
}

/** Every item of every page. */
export async function collect<T>(pages: AsyncIterable<AvidPage<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) {
    all.push(...page.items);
  }
  return all;
}

/** `["a","b","c"]` → `["a,b", "c"]` for `size` 2: ids per query parameter. */
export function chunkIds(ids: readonly (string | number)[], size: number): string[] {
  const bad = ids.find((id) => String(id).includes(",") || String(id).length === 0);
  if (bad !== undefined) {
    // The list is comma-separated on the wire: such an id cannot be asked for.
    throw new RangeError(`an id to look up is empty or contains a comma: ${JSON.stringify(bad)}`);
  }
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += size) {
    out.push(ids.slice(i, i + size).join(","));
  }
  return out;
}
