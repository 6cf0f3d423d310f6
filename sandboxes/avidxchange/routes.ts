/** The API resources under `/v1` (§7.6, §9). Paths match without regard to case, as IIS does. */
import { listAccountingSystems } from "./resources/accounting-systems.js";
import type { Handler } from "./resources/call.js";
import { listEnterpriseCodes, postEnterpriseCodes } from "./resources/enterprise-codes.js";
import { listInvoices, postInvoices } from "./resources/invoices.js";
import { listPaymentBatches, postPaymentBatch } from "./resources/payment-batches.js";
import {
  clearedCheckImage,
  listPayments,
  paymentHistory,
  voidPayments,
} from "./resources/payments.js";
import { listPurchaseOrders, postPurchaseOrders } from "./resources/purchase-orders.js";
import { listVendors, postVendors } from "./resources/vendors.js";

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/v1\/vendors\/?$/i, handler: listVendors },
  { method: "POST", pattern: /^\/v1\/vendors\/?$/i, handler: postVendors },
  { method: "GET", pattern: /^\/v1\/enterprisecodes\/?$/i, handler: listEnterpriseCodes },
  { method: "POST", pattern: /^\/v1\/enterprisecodes\/?$/i, handler: postEnterpriseCodes },
  { method: "GET", pattern: /^\/v1\/purchaseorders\/?$/i, handler: listPurchaseOrders },
  { method: "POST", pattern: /^\/v1\/purchaseorders\/?$/i, handler: postPurchaseOrders },
  { method: "GET", pattern: /^\/v1\/invoices\/?$/i, handler: listInvoices },
  { method: "POST", pattern: /^\/v1\/invoices\/?$/i, handler: postInvoices },
  { method: "GET", pattern: /^\/v1\/payments\/batches\/?$/i, handler: listPaymentBatches },
  { method: "POST", pattern: /^\/v1\/payments\/batches\/?$/i, handler: postPaymentBatch },
  { method: "GET", pattern: /^\/v1\/payments\/?$/i, handler: listPayments },
  { method: "DELETE", pattern: /^\/v1\/payments\/?$/i, handler: voidPayments },
  {
    method: "GET",
    pattern: /^\/v1\/payments\/([^/]+)\/paymenthistory\/?$/i,
    handler: paymentHistory,
  },
  {
    method: "GET",
    pattern: /^\/v1\/payments\/([^/]+)\/getclearedcheckimage\/?$/i,
    handler: clearedCheckImage,
  },
  { method: "GET", pattern: /^\/v1\/accountingsystems\/?$/i, handler: listAccountingSystems },
];

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchRoute(
  method: string,
  path: string,
): { handler: Handler; params: string[] } | null {
  for (const route of ROUTES) {
    if (route.method !== method) {
      continue;
    }
    const match = route.pattern.exec(path);
    if (match) {
      return { handler: route.handler, params: match.slice(1).map(decodeSegment) };
    }
  }
  return null;
}

export function isTokenPath(path: string): boolean {
  return /^\/(oauth2\/)?token\/?$/i.test(path);
}
