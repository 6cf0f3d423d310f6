/**
 * APSSSP — supplier maintenance through `Setup/Add` and `Setup/Update` (contract §2.2). Elements are
 * written in XSD order; only the fields we know are accepted (SYSPRO drops unknown ones silently).
 * Whether Update applies only the supplied elements is unconfirmed, so callers send whole records.
 */
import { z } from "zod";

import type { SetupApSupplierResult } from "../types.js";
import { code, isoDate, text, validateDocument } from "../wire-values.js";
import { child, documentXml, leaf, node, path, yn } from "../xml.js";
import {
  optionalText,
  parseWriteOutput,
  type WriteDocument,
  type WriteOptions,
} from "./outcome.js";

/** XSD order of the item elements we support (after `Key`). */
const ORDER = [
  "SupplierName",
  "SupShortName",
  "Telephone",
  "Fax",
  "Contact",
  "Branch",
  "TermsCode",
  "Bank",
  "Currency",
  "DateSuppAdded",
  "SupAddr1",
  "SupAddr2",
  "SupAddr3",
  "SupAddr4",
  "SupAddr5",
  "SupPostalCode",
  "SupplierClass",
  "TaxRegnNum",
  "OnHold",
  "SupplierType",
  "PayByEft",
  "Email",
] as const;

export const setupApSupplierUpdateSchema = z.strictObject({
  Supplier: code(15),
  SupplierName: text(50).min(1).optional(),
  SupShortName: text(20).optional(),
  Telephone: text(20).optional(),
  Fax: text(20).optional(),
  Contact: text(40).optional(),
  Branch: code(10).optional(),
  TermsCode: code(2).optional(),
  Bank: code(10).optional(),
  Currency: code(3).optional(),
  DateSuppAdded: isoDate.optional(),
  SupAddr1: text(40).optional(),
  SupAddr2: text(40).optional(),
  SupAddr3: text(40).optional(),
  SupAddr4: text(40).optional(),
  SupAddr5: text(40).optional(),
  SupPostalCode: text(10).optional(),
  SupplierClass: text(10).optional(),
  TaxRegnNum: text(20).optional(),
  OnHold: z.enum(["Y", "N"]).optional(),
  SupplierType: z.enum(["P", "T"]).optional(),
  PayByEft: z.enum(["Y", "N"]).optional(),
  Email: text(255).optional(),
});

/** Add needs a name; everything else defaults from SYSPRO's setup. */
export const setupApSupplierAddSchema = setupApSupplierUpdateSchema.extend({
  SupplierName: text(50).min(1),
});

export type SetupApSupplierAddInput = z.input<typeof setupApSupplierAddSchema>;
export type SetupApSupplierUpdateInput = z.input<typeof setupApSupplierUpdateSchema>;

export function buildSetupApSupplier(
  action: "add" | "update",
  input: SetupApSupplierAddInput | SetupApSupplierUpdateInput,
  options: WriteOptions = {},
): WriteDocument {
  const schema = action === "add" ? setupApSupplierAddSchema : setupApSupplierUpdateSchema;
  const d: Record<string, string | undefined> = validateDocument("APSSSP", schema, input);
  const xmlParameters = documentXml(
    "SetupApSupplier",
    "APSSSP.XSD",
    node(
      "Parameters",
      leaf("IgnoreWarnings", yn(options.ignoreWarnings)),
      leaf("ApplyIfEntireDocumentValid", "Y"),
      leaf("ValidateOnly", yn(options.validateOnly)),
    ),
  );
  const xmlIn = documentXml(
    "SetupApSupplier",
    "APSSSPDOC.XSD",
    node(
      "Item",
      node("Key", leaf("Supplier", d.Supplier)),
      ...ORDER.filter((name) => d[name] !== undefined).map((name) => leaf(name, d[name])),
    ),
  );
  return { businessObject: "APSSSP", xmlParameters, xmlIn };
}

export function parseSetupApSupplier(xml: string, validateOnly: boolean): SetupApSupplierResult {
  const { doc, outcome } = parseWriteOutput("APSSSP", xml, ["setupapsupplier"], validateOnly);
  return {
    ...outcome,
    Supplier:
      optionalText(path(doc.root, "Item", "Key"), "Supplier") ??
      optionalText(child(doc.root, "Item"), "Supplier"),
  };
}
