/**
 * `/v1/payments` (§7.6, §9.5): GET by lastModified window (at most `maxPaymentWindowDays` apart, dates
 * inclusive), payment ids, external ids or batch id; DELETE voids by external id (a Cleared or Void
 * payment refuses inside HTTP 200); payment history as a plain array; the cleared check image.
 */
import { windowDays } from "../dates.js";
import type { ItemResult } from "../envelopes.js";
import { pagedReply, resultsReply } from "../envelopes.js";
import { AvidHttpError, listParam, validationError } from "../http-io.js";
import { voidPayment } from "../lifecycle/payments.js";
import type { Payment } from "../model.js";
import { renderPayment } from "../model.js";
import { FINAL_PAYMENT_STATUSES } from "../statuses.js";
import type { ApiCall, Handler } from "./call.js";
import { byWindow, pageRequest, windowOf } from "./call.js";

const SOURCE = "payments";

/** A 1×1 PNG: the "scan" of a cleared check. */
const CHECK_IMAGE_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

function idList(call: ApiCall, name: string): number[] | null {
  const raw = listParam(call.query, name);
  if (raw === null) {
    return null;
  }
  return raw.map((v) => {
    if (!/^\d+$/.test(v)) {
      throw validationError(`${name} must be a comma-separated list of integers`, SOURCE);
    }
    return Number(v);
  });
}

export const listPayments: Handler = (call) => {
  const window = windowOf(call, SOURCE);
  const paymentIds = idList(call, "paymentIds");
  const externalIds = listParam(call.query, "externalPaymentIds");
  const batchId = call.query.get("batchId");
  if (window.from === null && window.to === null && !paymentIds && !externalIds && !batchId) {
    throw validationError(
      "At least one filter is required: lastModifiedFrom/lastModifiedTo, paymentIds, externalPaymentIds or batchId",
      SOURCE,
    );
  }
  if (window.to !== null && window.from === null) {
    throw validationError("lastModifiedFrom is required when lastModifiedTo is given", SOURCE);
  }
  const max = call.world.options.maxPaymentWindowDays;
  if (window.from !== null && windowDays(window, call.now) > max) {
    throw validationError(
      `lastModifiedFrom and lastModifiedTo must be at most ${max} days apart`,
      SOURCE,
    );
  }
  let items = byWindow([...call.ds.payments.values()], window);
  if (paymentIds) {
    const wanted = new Set(paymentIds);
    items = items.filter((p) => wanted.has(p.PaymentId));
  }
  if (externalIds) {
    const wanted = new Set(externalIds);
    items = items.filter((p) => p.externalIds.some((e) => wanted.has(e)));
  }
  if (batchId) {
    items = items.filter((p) => p.BatchId === batchId);
  }
  items.sort((a, b) => a.PaymentId - b.PaymentId);
  return pagedReply(pageRequest(call, "payments", SOURCE), items, renderPayment);
};

function voidOne(call: ApiCall, payment: Payment | undefined, ref: string): ItemResult {
  if (!payment) {
    return { ok: false, errors: [`Payment ${ref} not found`], item: null };
  }
  if (FINAL_PAYMENT_STATUSES.has(payment.status)) {
    return {
      ok: false,
      errors: [`Payment cannot be voided in status ${payment.status}`],
      item: renderPayment(payment),
    };
  }
  voidPayment(call.world, call.ds, payment, "Voided by API request", call.now);
  return { ok: true, errors: [], item: renderPayment(payment) };
}

/** DELETE /v1/payments?externalPaymentIds=… (also `paymentIds=`, a sandbox convenience). */
export const voidPayments: Handler = (call) => {
  const externalIds = listParam(call.query, "externalPaymentIds");
  const paymentIds = idList(call, "paymentIds");
  if (!externalIds?.length && !paymentIds?.length) {
    throw validationError("externalPaymentIds is required", SOURCE);
  }
  const targets: [Payment | undefined, string][] = [
    ...(externalIds ?? []).map((ref): [Payment | undefined, string] => [
      call.ds.paymentsByExternalId.get(ref),
      ref,
    ]),
    ...(paymentIds ?? []).map((id): [Payment | undefined, string] => [
      call.ds.payments.get(id),
      String(id),
    ]),
  ];
  if (call.world.variants.voidRefusal === "409") {
    const final = targets.find(
      ([p]) => p !== undefined && FINAL_PAYMENT_STATUSES.has(p.status),
    )?.[0];
    if (final) {
      throw new AvidHttpError(
        409,
        "InvalidPaymentState",
        `Payment cannot be voided in status ${final.status}`,
        SOURCE,
      );
    }
  }
  const results = targets.map(([payment, ref]) => voidOne(call, payment, ref));
  return resultsReply(call.world.variants, results);
};

function paymentOf(call: ApiCall): Payment {
  const raw = call.params[0] ?? "";
  const payment = /^\d+$/.test(raw) ? call.ds.payments.get(Number(raw)) : undefined;
  if (!payment) {
    throw new AvidHttpError(404, "NotFound", `Payment ${raw} not found`, SOURCE);
  }
  return payment;
}

/** A plain array, not paged (§2.4). */
export const paymentHistory: Handler = (call) => ({
  status: 200,
  json: paymentOf(call).history.map((h) => ({ ...h })),
});

export const clearedCheckImage: Handler = (call) => {
  const payment = paymentOf(call);
  if (payment.status !== "Cleared" || payment.method !== "check") {
    throw new AvidHttpError(
      404,
      "NotFound",
      `No cleared check image for payment ${payment.PaymentId}`,
      SOURCE,
    );
  }
  return { status: 200, body: Buffer.from(CHECK_IMAGE_BASE64, "base64"), contentType: "image/png" };
};
