/**
 * `/v1/payments/batches` (§2.6, §7.6): ERP-originated payments. POST (JSON) creates one payment per item
 * with per-item validation; re-posting a BatchId replays the first answer. GET needs `batchIds`.
 */
import { vendorNumberKey } from "../dataset.js";
import type { ItemResult } from "../envelopes.js";
import { pagedReply, resultsReply } from "../envelopes.js";
import {
  AvidHttpError,
  batchItems,
  isObject,
  listParam,
  parseJsonObject,
  str,
  validationError,
} from "../http-io.js";
import { createPayment, pathFor } from "../lifecycle/payments.js";
import type { RemittanceLine } from "../model.js";
import { paymentStatus } from "../model.js";
import { centsToWire, formatCents, parseCents } from "../money.js";
import { DELIVERY_METHODS, FINAL_PAYMENT_STATUSES } from "../statuses.js";
import type { ApiCall, Handler } from "./call.js";
import { pageRequest } from "./call.js";

const SOURCE = "payments";

function identifier(value: unknown): string {
  return isObject(value)
    ? str(value, "Value").trim()
    : typeof value === "string"
      ? value.trim()
      : "";
}

function acceptPayment(call: ApiCall, batchId: string, raw: unknown): ItemResult {
  if (!isObject(raw)) {
    return { ok: false, errors: ["Payment must be an object"], item: null };
  }
  const errors: string[] = [];
  const externalId = identifier(raw.ExternalId);
  if (!externalId) {
    errors.push("ExternalId.Value is required");
  } else if (call.ds.paymentsByExternalId.has(externalId)) {
    errors.push("Duplicate external payment id");
  }
  const payer = isObject(raw.Payer) ? raw.Payer : {};
  const payee = isObject(raw.Payee) ? raw.Payee : {};
  if (!isObject(payer.Address)) {
    errors.push("Payer address is required");
  }
  const payeeCode = identifier(payee.ExternalId);
  const vendor = payeeCode ? call.ds.vendors.get(payeeCode) : undefined;
  if (!payeeCode) {
    errors.push("Payee.ExternalId.Value is required");
  } else if (!vendor) {
    errors.push(`Vendor ${payeeCode} not found`);
  }
  if (!isObject(payee.Address)) {
    errors.push("Payee address is required");
  }
  const delivery = str(raw, "DeliveryMethod") || "AvidPayCheck";
  const method = DELIVERY_METHODS[delivery];
  if (!method) {
    errors.push(`DeliveryMethod must be one of ${Object.keys(DELIVERY_METHODS).join(", ")}`);
  }
  const amount = parseCents(raw.Amount);
  if (typeof amount !== "number") {
    errors.push("Amount is required and must be a number with at most 2 decimal places");
  }
  const remittance: RemittanceLine[] = [];
  const lines = Array.isArray(raw.Remittance) ? (raw.Remittance as unknown[]) : [];
  if (lines.length === 0) {
    errors.push("Remittance is required");
  }
  lines.forEach((line, index) => {
    const l = isObject(line) ? line : {};
    const number = str(l, "InvoiceNumber").trim();
    if (!number) {
      errors.push(`Remittance line ${index + 1}: InvoiceNumber is required`);
    }
    const lineAmount = parseCents(l.Amount);
    const gross = l.GrossAmount === undefined ? lineAmount : parseCents(l.GrossAmount);
    const discount = l.DiscountAmount === undefined ? 0 : parseCents(l.DiscountAmount);
    if (
      typeof lineAmount !== "number" ||
      typeof gross !== "number" ||
      typeof discount !== "number"
    ) {
      errors.push(
        `Remittance line ${index + 1}: amounts must be numbers with at most 2 decimal places`,
      );
      return;
    }
    const inv = call.ds.invoicesByVendorNumber.get(vendorNumberKey(payeeCode, number));
    remittance.push({
      InvoiceId: inv?.InvoiceId ?? null,
      ExternalInvoiceId: inv?.ExternalInvoiceId ?? null,
      InvoiceNumber: number,
      InvoiceDate: str(l, "InvoiceDate") || null,
      grossCents: gross,
      discountCents: discount,
      amountCents: lineAmount,
      Memo: str(l, "Memo"),
    });
  });
  if (typeof amount === "number" && remittance.length === lines.length && lines.length > 0) {
    const total = remittance.reduce((sum, r) => sum + r.amountCents, 0);
    if (total !== amount) {
      errors.push(
        `Remittance total ${formatCents(total)} does not equal Amount ${formatCents(amount)}`,
      );
    }
  }
  if (errors.length > 0 || !method || typeof amount !== "number") {
    return { ok: false, errors, item: null };
  }
  const payment = createPayment(
    call.world,
    call.ds,
    {
      batchId,
      externalIds: [externalId],
      payee: { code: payeeCode, name: str(payee, "Name") || (vendor?.Name ?? payeeCode) },
      currency: (str(raw, "Currency") || "USD").toUpperCase(),
      method,
      remittance,
      amountCents: amount,
      origin: "batch",
      path: pathFor(call.world, call.ds, undefined),
      ...(str(raw, "CheckNumber") ? { checkNumber: str(raw, "CheckNumber") } : {}),
      ...(str(raw, "PaymentDate") ? { paymentDate: str(raw, "PaymentDate").slice(0, 10) } : {}),
    },
    call.now,
  );
  return {
    ok: true,
    errors: [],
    item: {
      PaymentId: payment.PaymentId,
      ExternalPaymentIds: payment.externalIds.map((Value) => ({ Value })),
      Status: paymentStatus(payment.status),
    },
  };
}

export const postPaymentBatch: Handler = (call) => {
  if (/xml/i.test(call.contentType)) {
    throw new AvidHttpError(415, "UnsupportedMediaType", "Send payment batches as JSON", SOURCE);
  }
  const body = parseJsonObject(call.body, SOURCE);
  const batchId = identifier(body.BatchId);
  if (!batchId) {
    throw validationError("BatchId.Value is required", SOURCE);
  }
  const previous = call.ds.batches.get(batchId);
  if (previous) {
    return resultsReply(call.world.variants, previous.results as ItemResult[]);
  }
  const items = batchItems(body, "Payments", call.world.options.maxBatchItems, SOURCE);
  const results = items.map((raw) => acceptPayment(call, batchId, raw));
  call.ds.batches.set(batchId, {
    BatchId: batchId,
    paymentIds: results.flatMap((r) =>
      r.ok && isObject(r.item) ? [Number(r.item.PaymentId)] : [],
    ),
    results,
    createdMs: call.now,
  });
  return resultsReply(call.world.variants, results);
};

const BATCH_STATUSES = {
  Received: 1,
  Processing: 2,
  "Processing with Exceptions": 3,
  Closed: 4,
} as const;

export const listPaymentBatches: Handler = (call) => {
  const ids = listParam(call.query, "batchIds");
  if (!ids?.length) {
    throw validationError("batchIds is required", SOURCE);
  }
  const all = [...call.ds.payments.values()];
  const items = ids.flatMap((id) => {
    const payments = all.filter((p) => p.BatchId === id);
    const stored = call.ds.batches.get(id);
    if (payments.length === 0 && !stored) {
      return [];
    }
    const hadFailures = stored?.results.some((r) => !(r as ItemResult).ok) ?? false;
    const status: keyof typeof BATCH_STATUSES =
      payments.length > 0 && payments.every((p) => FINAL_PAYMENT_STATUSES.has(p.status))
        ? "Closed"
        : hadFailures || payments.some((p) => p.status === "Error")
          ? "Processing with Exceptions"
          : payments.some((p) => p.status !== "Pending Approval")
            ? "Processing"
            : "Received";
    return [
      {
        ExternalIdentifier: { Value: id },
        Status: { Id: BATCH_STATUSES[status], Description: status },
        TotalAmount: centsToWire(payments.reduce((sum, p) => sum + p.amountCents, 0)),
        PaymentCount: payments.length,
      },
    ];
  });
  return pagedReply(pageRequest(call, "paymentBatches", SOURCE), items, (b) => b);
};
