/**
 * APSSSP — supplier maintenance through Setup/Add, Setup/Update and Setup/Delete (contract §2.2).
 * The lower-case output (`<item><key><supplier>`) is SYSPRO's sample; the 'original' root-case variant
 * keeps the input's case throughout.
 */
import { errorNode } from "../../ledger/field-error.js";
import { applySupplier, noteSupplier, validateSupplier } from "../../ledger/supplier.js";
import type { SupplierAction, SupplierPlan } from "../../ledger/supplier.js";
import { child, text } from "../../xml-in.js";
import type { XmlObject } from "../../xml-in.js";
import { counter, document, el, outRoot, ROOT_ATTRIBUTES } from "../../xml-out.js";
import { processItems, readDocument, textChildren } from "./common.js";
import type { ObjectContext } from "./common.js";

export function runApsssp(
  ctx: ObjectContext,
  action: SupplierAction,
  xmlParameters: string,
  xmlIn: string,
): string {
  const { state, variants } = ctx;
  const { params, items } = readDocument(xmlParameters, xmlIn, "SetupApSupplier", "APSSSP");
  const lower = variants.rootCase === "lower";
  const name = (n: string): string => (lower ? n.toLowerCase() : n);
  const codes = items.map((item: XmlObject) => text(child(item, "Key"), "Supplier") ?? "");
  const outcomes = processItems<XmlObject, SupplierPlan>(
    items,
    params,
    (item, scratch) =>
      validateSupplier(
        state,
        action,
        codes[items.indexOf(item)] ?? "",
        textChildren(item),
        scratch,
      ),
    noteSupplier,
    (plan) => applySupplier(state, plan),
  );
  const out = outcomes.map((o, i) =>
    el(name("Item"), [
      el(name("Key"), [el(name("Supplier"), codes[i] ?? "")]),
      ...o.errors.map((e) => errorNode(e, lower)),
    ]),
  );
  const invalid = outcomes.filter((o) => o.errors.length > 0).length;
  const status = el("StatusOfItems", [
    el("RecordsRead", counter(outcomes.length, variants.counters)),
    el("RecordsInvalid", counter(invalid, variants.counters)),
  ]);
  return document(
    el(outRoot("SetupApSupplier", variants), [...out, status], ROOT_ATTRIBUTES),
    variants,
  );
}
