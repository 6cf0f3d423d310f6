import { chunkIds, collect, concatPages, listPages } from "./batches.js";
import { normaliseResults } from "./results.js";
import { paymentHistorySchema, paymentSchema, voidedPaymentSchema, wireParser } from "./schemas.js";
import { splitWindow } from "./windows.js";

import type { ModifiedWindowFilter } from "./invoices.js";
import type { CallOptions } from "./master-data.js";
import type { AvidPage, PagingSettings } from "./paging.js";
import type { AvidItemResult } from "./results.js";
import type { AvidSettings } from "./settings.js";
import type { AvidTransport } from "./transport.js";
import type { AvidPayment, AvidPaymentHistoryEntry, AvidVoidedPayment } from "./types.js";

/** Payments back from AvidXchange (contract §2.4, §7.6, §9.5). */
export interface PaymentsApi {
  /**
   * Payments modified in the window, page by page. A window wider than `paymentWindowMaxDays`
   * (31) is split into consecutive windows; bounds are inclusive, so a payment on a shared bound
   * can come twice: be idempotent on `PaymentId`.
   */
  listModified(filter: ModifiedWindowFilter): AsyncIterable<AvidPage<AvidPayment>>;
  byIds(ids: readonly number[], options?: CallOptions): Promise<AvidPayment[]>;
  byExternalIds(ids: readonly string[], options?: CallOptions): Promise<AvidPayment[]>;
  /** The status history of one payment (a plain array on the wire). */
  history(paymentId: number, options?: CallOptions): Promise<AvidPaymentHistoryEntry[]>;
  /**
   * Voids payments by external payment id, one request each; a payment that cannot be voided
   * (`Cleared`, already `Void`) is a failure with AvidXchange's text, not an exception.
   */
  void(
    externalPaymentIds: readonly string[],
    options?: CallOptions,
  ): Promise<AvidItemResult<string, AvidVoidedPayment>[]>;
  /** Whether nothing more will happen to it (`Cleared`, `Void`; setting `finalPaymentStatuses`). */
  isFinal(payment: Pick<AvidPayment, "Status">): boolean;
}

export function createPaymentsApi(
  transport: AvidTransport,
  settings: AvidSettings,
  paging: PagingSettings,
): PaymentsApi {
  const path = settings.paths.payments;
  const parsePayment = (request: string) => wireParser(paymentSchema, "payment", request);
  const list = (query: Record<string, string>, operation: string, signal?: AbortSignal) =>
    listPages({ transport, path, query, operation, paging, parseItem: parsePayment, signal });

  const byParam = (param: string, ids: readonly (string | number)[], options: CallOptions) =>
    collect(
      concatPages(
        chunkIds(ids, settings.idsPerRequest).map(
          (chunk) => () => list({ [param]: chunk }, "payments.get", options.signal),
        ),
      ),
    );

  return {
    listModified: (filter) =>
      concatPages(
        splitWindow(filter.from, filter.to, settings.paymentWindowMaxDays).map(
          (w) => () =>
            list(
              { lastModifiedFrom: w.from, lastModifiedTo: w.to },
              "payments.list",
              filter.signal,
            ),
        ),
      ),
    byIds: (ids, options = {}) => byParam("paymentIds", ids, options),
    byExternalIds: (ids, options = {}) => byParam("externalPaymentIds", ids, options),
    history: async (paymentId, options = {}) => {
      if (!Number.isSafeInteger(paymentId) || paymentId < 0) {
        throw new RangeError(`not a payment id: ${paymentId}`);
      }
      const historyPath = settings.paths.paymentHistory.replace("{paymentId}", String(paymentId));
      return collect(
        listPages({
          transport,
          path: historyPath,
          query: {},
          operation: "payments.history",
          paging,
          parseItem: (request) => wireParser(paymentHistorySchema, "payment history", request),
          signal: options.signal,
        }),
      );
    },
    isFinal: (payment) => settings.finalPaymentStatuses.includes(payment.Status.Description),
    void: async (externalPaymentIds, options = {}) => {
      const out: AvidItemResult<string, AvidVoidedPayment>[] = [];
      // Validated up front: a bad id must not leave the earlier ones voided and the rest not.
      chunkIds(externalPaymentIds, 1);
      for (const [index, id] of externalPaymentIds.entries()) {
        const body = await transport.json({
          method: "DELETE",
          path,
          query: { externalPaymentIds: id },
          operation: "payments.void",
          signal: options.signal,
        });
        const request = `DELETE ${transport.url(path).pathname}`;
        const [result] = normaliseResults(
          body,
          [id],
          wireParser(voidedPaymentSchema, "voided payment", request),
          request,
        );
        if (result) {
          out.push({ ...result, index });
        }
      }
      return out;
    },
  };
}
