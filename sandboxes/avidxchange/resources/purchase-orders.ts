/**
 * `/v1/purchaseorders` (§7.6, §9.3): upsert by `ExternalCode` (the SYSPRO PO number); the vendor must
 * exist. Fields other than the keys are stored and returned as sent (§3 PurchaseOrder).
 */
import type { ItemResult } from "../envelopes.js";
import { pagedReply, resultsReply } from "../envelopes.js";
import { batchItems, isObject, listParam, parseJsonObject, str } from "../http-io.js";
import { renderPurchaseOrder } from "../model.js";
import type { ApiCall, Handler } from "./call.js";
import { byWindow, pageRequest, windowOf } from "./call.js";

const SOURCE = "purchaseorders";

export const listPurchaseOrders: Handler = (call) => {
  const codes = listParam(call.query, "externalCodes");
  let items = byWindow([...call.ds.purchaseOrders.values()], windowOf(call, SOURCE));
  if (codes) {
    const wanted = new Set(codes);
    items = items.filter((po) => wanted.has(po.ExternalCode));
  }
  items.sort((a, b) => a.PurchaseOrderId - b.PurchaseOrderId);
  return pagedReply(pageRequest(call, "purchaseorders", SOURCE), items, renderPurchaseOrder);
};

function upsertPurchaseOrder(call: ApiCall, raw: unknown): ItemResult {
  if (!isObject(raw)) {
    return { ok: false, errors: ["PurchaseOrder must be an object"], item: null };
  }
  const code = str(raw, "ExternalCode").trim();
  const vendor = str(raw, "VendorExternalCode").trim();
  const errors: string[] = [];
  if (!code) {
    errors.push("ExternalCode is required");
  }
  if (!vendor) {
    errors.push("VendorExternalCode is required");
  } else if (!call.ds.vendors.has(vendor)) {
    errors.push(`Vendor ${vendor} not found`);
  }
  if (errors.length > 0) {
    return { ok: false, errors, item: null };
  }
  const { ExternalCode: _code, VendorExternalCode: _vendor, PurchaseOrderId: _id, ...fields } = raw;
  const existing = call.ds.purchaseOrders.get(code);
  if (existing) {
    const changed =
      existing.VendorExternalCode !== vendor ||
      JSON.stringify(existing.fields) !== JSON.stringify(fields);
    if (changed) {
      existing.VendorExternalCode = vendor;
      existing.fields = fields;
      existing.lastModifiedMs = Math.max(existing.lastModifiedMs, call.now);
    }
    return { ok: true, errors: [], item: renderPurchaseOrder(existing) };
  }
  const po = {
    PurchaseOrderId: call.ds.ids.purchaseOrder++,
    ExternalCode: code,
    VendorExternalCode: vendor,
    fields,
    createdMs: call.now,
    lastModifiedMs: call.now,
  };
  call.ds.purchaseOrders.set(code, po);
  return { ok: true, errors: [], item: renderPurchaseOrder(po) };
}

export const postPurchaseOrders: Handler = (call) => {
  const body = parseJsonObject(call.body, SOURCE);
  const items = batchItems(body, "PurchaseOrders", call.world.options.maxBatchItems, SOURCE);
  return resultsReply(
    call.world.variants,
    items.map((raw) => upsertPurchaseOrder(call, raw)),
  );
};
