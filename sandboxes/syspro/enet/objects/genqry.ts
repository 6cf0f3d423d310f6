/**
 * GENQRY — one ledger code (contract §2 table: `Query` → `LedgerQuery`). The contract gives only the
 * roots; the fields below are a plausible minimal set [I], from GenMaster.
 */
import { child, text } from "../../xml-in.js";
import { document, el } from "../../xml-out.js";
import { systemInformation } from "./apsqry.js";
import { EnetError, queryRoot, readXml } from "./common.js";
import type { ObjectContext } from "./common.js";

export function runGenqry(ctx: ObjectContext, xmlIn: string): string {
  const { state, variants } = ctx;
  const body = readXml(xmlIn, "XmlIn", "Query", "GENQRY");
  const key = child(body, "Key");
  const code = (text(key, "LedgerCode") ?? text(key, "GlCode") ?? "").trim();
  const row = code === "" ? undefined : state.glCode(code);
  if (row === undefined) {
    throw new EnetError(`Ledger code '${code}' not found`);
  }
  const out = queryRoot("LedgerQuery", [
    systemInformation(ctx),
    el("LedgerCode", row.GlCode ?? ""),
    el("Description", row.Description ?? ""),
    el("AccountType", row.AccountType ?? ""),
    el("GlGroup", row.GlGroup ?? ""),
    el("ControlAccount", row.ControlAccFlag ?? ""),
    el("OnHold", row.AccOnHldFlag ?? ""),
    el("TaxCode", row.TaxCode ?? ""),
  ]);
  return document(out, variants);
}
