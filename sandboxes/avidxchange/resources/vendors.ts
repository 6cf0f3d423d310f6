/**
 * `/v1/vendors` (§7.6, §9.3): list by lastModified window or external codes; upsert by
 * `ExternalVendorCode`. An upsert that changes nothing leaves LastModifiedDate alone.
 */
import type { ItemResult } from "../envelopes.js";
import { pagedReply, resultsReply } from "../envelopes.js";
import { batchItems, isObject, listParam, parseJsonObject, str } from "../http-io.js";
import type { Vendor, VendorAddress } from "../model.js";
import { renderVendor } from "../model.js";
import type { ApiCall, Handler } from "./call.js";
import { byWindow, pageRequest, windowOf } from "./call.js";

const SOURCE = "vendors";

export const listVendors: Handler = (call) => {
  const codes = listParam(call.query, "externalVendorCodes");
  let items = byWindow([...call.ds.vendors.values()], windowOf(call, SOURCE));
  if (codes) {
    const wanted = new Set(codes);
    items = items.filter((v) => wanted.has(v.ExternalVendorCode));
  }
  items.sort((a, b) => a.VendorId - b.VendorId);
  return pagedReply(pageRequest(call, "vendors", SOURCE), items, renderVendor);
};

function addressOf(value: unknown, previous: VendorAddress | undefined): VendorAddress {
  const a = isObject(value) ? value : {};
  const field = (key: keyof VendorAddress): string =>
    key in a ? str(a, key) : (previous?.[key] ?? "");
  return {
    Line1: field("Line1"),
    Line2: field("Line2"),
    City: field("City"),
    State: field("State"),
    Country: field("Country"),
    PostalCode: field("PostalCode"),
  };
}

function upsertVendor(call: ApiCall, raw: unknown): ItemResult {
  if (!isObject(raw)) {
    return { ok: false, errors: ["Vendor must be an object"], item: null };
  }
  const code = str(raw, "ExternalVendorCode").trim();
  const errors: string[] = [];
  if (!code) {
    errors.push("ExternalVendorCode is required");
  }
  const existing = code ? call.ds.vendors.get(code) : undefined;
  const name = "Name" in raw ? str(raw, "Name").trim() : (existing?.Name ?? "");
  if (!name) {
    errors.push("Name is required");
  }
  if (errors.length > 0) {
    return { ok: false, errors, item: null };
  }
  const pickStr = (key: "NameOnCheck" | "FedTaxId" | "Telephone1" | "Email" | "Website"): string =>
    key in raw ? str(raw, key) : (existing?.[key] ?? "");
  const next = {
    ExternalVendorCode: code,
    Name: name,
    NameOnCheck: pickStr("NameOnCheck") || name,
    FedTaxId: pickStr("FedTaxId"),
    Address: addressOf(raw.Address, existing?.Address),
    Telephone1: pickStr("Telephone1"),
    Email: pickStr("Email"),
    Website: pickStr("Website"),
    Active: typeof raw.Active === "boolean" ? raw.Active : (existing?.Active ?? true),
  };
  if (existing) {
    const before = JSON.stringify({
      ...renderVendor(existing),
      VendorId: 0,
      CreatedDate: "",
      LastModifiedDate: "",
    });
    Object.assign(existing, next);
    const after = JSON.stringify({
      ...renderVendor(existing),
      VendorId: 0,
      CreatedDate: "",
      LastModifiedDate: "",
    });
    if (before !== after) {
      existing.lastModifiedMs = Math.max(existing.lastModifiedMs, call.now);
    }
    return { ok: true, errors: [], item: renderVendor(existing) };
  }
  const vendor: Vendor = {
    ...next,
    VendorId: call.ds.ids.vendor++,
    createdMs: call.now,
    lastModifiedMs: call.now,
  };
  call.ds.vendors.set(code, vendor);
  return { ok: true, errors: [], item: renderVendor(vendor) };
}

export const postVendors: Handler = (call) => {
  const body = parseJsonObject(call.body, SOURCE);
  const items = batchItems(body, "Vendors", call.world.options.maxBatchItems, SOURCE);
  return resultsReply(
    call.world.variants,
    items.map((raw) => upsertVendor(call, raw)),
  );
};
