import { chunkIds, collect, concatPages, listPages, postInBatches } from "./batches.js";
import { invoicePostedSchema, invoiceSchema, wireParser } from "./schemas.js";
import { formatBound, splitWindow } from "./windows.js";

import type { CallOptions } from "./master-data.js";
import type { AvidPage, PagingSettings } from "./paging.js";
import type { AvidItemResult } from "./results.js";
import type { AvidSettings } from "./settings.js";
import type { AvidTransport } from "./transport.js";
import type { AvidInvoice, AvidInvoiceInput, AvidInvoicePosted } from "./types.js";
import type { WindowBound } from "./windows.js";

/** Invoices into approval and their states back (contract §9.4). */

export interface ModifiedWindowFilter extends CallOptions {
  /** Inclusive; `YYYY-MM-DD`, an ISO date-time or a Date. */
  readonly from: WindowBound;
  readonly to: WindowBound;
}

export interface InvoicesApi {
  /**
   * Sends invoices in batches of up to `batchSize`; one result per invoice, in order. Re-posting an
   * `ExternalInvoiceId` AvidXchange already has returns that invoice (same `InvoiceId`), so a
   * retried job is safe. A failure carries AvidXchange's text (`GL code 6100 is not active`).
   */
  post(
    invoices: readonly AvidInvoiceInput[],
    options?: CallOptions,
  ): Promise<AvidItemResult<AvidInvoiceInput, AvidInvoicePosted>[]>;
  /** Invoices modified in the window (approval states, re-coded lines), page by page. */
  listModified(filter: ModifiedWindowFilter): AsyncIterable<AvidPage<AvidInvoice>>;
  byExternalIds(ids: readonly string[], options?: CallOptions): Promise<AvidInvoice[]>;
  byIds(ids: readonly number[], options?: CallOptions): Promise<AvidInvoice[]>;
}

export function createInvoicesApi(
  transport: AvidTransport,
  settings: AvidSettings,
  paging: PagingSettings,
): InvoicesApi {
  const path = settings.paths.invoices;
  const parseInvoice = (request: string) => wireParser(invoiceSchema, "invoice", request);

  const list = (query: Record<string, string>, operation: string, signal?: AbortSignal) =>
    listPages({ transport, path, query, operation, paging, parseItem: parseInvoice, signal });

  const byParam = (param: string, ids: readonly (string | number)[], options: CallOptions) =>
    collect(
      concatPages(
        chunkIds(ids, settings.idsPerRequest).map(
          (chunk) => () => list({ [param]: chunk }, "invoices.get", options.signal),
        ),
      ),
    );

  return {
    post: (inputs, options = {}) =>
      postInBatches({
        transport,
        path,
        member: "Invoices",
        operation: "invoices.post",
        inputs,
        batchSize: settings.batchSize,
        parseItem: (request) => wireParser(invoicePostedSchema, "posted invoice", request),
        signal: options.signal,
      }),
    listModified: (filter) => {
      const windows =
        settings.invoiceWindowMaxDays === undefined
          ? [{ from: formatBound(filter.from), to: formatBound(filter.to) }]
          : splitWindow(filter.from, filter.to, settings.invoiceWindowMaxDays);
      return concatPages(
        windows.map(
          (w) => () =>
            list(
              { lastModifiedFrom: w.from, lastModifiedTo: w.to },
              "invoices.list",
              filter.signal,
            ),
        ),
      );
    },
    byExternalIds: (ids, options = {}) => byParam("externalInvoiceIds", ids, options),
    byIds: (ids, options = {}) => byParam("invoiceIds", ids, options),
  };
}
