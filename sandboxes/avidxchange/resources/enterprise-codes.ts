/**
 * `/v1/enterprisecodes` (§7.6, §9.3): GL accounts (group "Accounting Codes") and dimension values (one
 * group per dimension) in one list; GET by `groupName`, POST upserts by (GroupName, CodeValue).
 */
import { codeKey } from "../dataset.js";
import type { ItemResult } from "../envelopes.js";
import { pagedReply, resultsReply } from "../envelopes.js";
import { batchItems, isObject, parseJsonObject, str } from "../http-io.js";
import { renderCode } from "../model.js";
import type { ApiCall, Handler } from "./call.js";
import { byWindow, pageRequest, windowOf } from "./call.js";

const SOURCE = "enterprisecodes";

export const listEnterpriseCodes: Handler = (call) => {
  const group = call.query.get("groupName");
  let items = byWindow([...call.ds.codes.values()], windowOf(call, SOURCE));
  if (group) {
    // Group names are matched without regard to case, as a SQL Server back end would.
    const wanted = group.toLowerCase();
    items = items.filter((c) => c.GroupName.toLowerCase() === wanted);
  }
  items.sort((a, b) => a.EnterpriseCodeId - b.EnterpriseCodeId);
  return pagedReply(pageRequest(call, "enterprisecodes", SOURCE), items, renderCode);
};

function upsertCode(call: ApiCall, raw: unknown): ItemResult {
  if (!isObject(raw)) {
    return { ok: false, errors: ["EnterpriseCode must be an object"], item: null };
  }
  const group = str(raw, "GroupName").trim();
  const value = str(raw, "CodeValue").trim();
  const errors: string[] = [];
  if (!group) {
    errors.push("GroupName is required");
  }
  if (!value) {
    errors.push("CodeValue is required");
  }
  if (errors.length > 0) {
    return { ok: false, errors, item: null };
  }
  const key = codeKey(group, value);
  const existing = call.ds.codes.get(key);
  const description =
    "Description" in raw ? str(raw, "Description") : (existing?.Description ?? "");
  const active = typeof raw.IsActive === "boolean" ? raw.IsActive : (existing?.IsActive ?? true);
  if (existing) {
    if (existing.Description !== description || existing.IsActive !== active) {
      existing.Description = description;
      existing.IsActive = active;
      existing.lastModifiedMs = Math.max(existing.lastModifiedMs, call.now);
    }
    return { ok: true, errors: [], item: renderCode(existing) };
  }
  const code = {
    EnterpriseCodeId: call.ds.ids.code++,
    GroupName: group,
    CodeValue: value,
    Description: description,
    IsActive: active,
    lastModifiedMs: call.now,
  };
  call.ds.codes.set(key, code);
  return { ok: true, errors: [], item: renderCode(code) };
}

export const postEnterpriseCodes: Handler = (call) => {
  const body = parseJsonObject(call.body, SOURCE);
  const items = batchItems(body, "EnterpriseCodes", call.world.options.maxBatchItems, SOURCE);
  return resultsReply(
    call.world.variants,
    items.map((raw) => upsertCode(call, raw)),
  );
};
