/**
 * APSTPM — AP manual payment (contract §2.8, §7): settles invoices in the AP sub-ledger. `Cheque`
 * carries our payment reference (it becomes `ApInvoicePay.PaymentReference`), so the connector can
 * find the payment after an ambiguous failure. Our rules before sending: `ChequeValue` equals
 * Σ(GrossPayValue − DiscPayValue) and no invoice appears twice.
 */
import { z } from "zod";

import type { PostApManualPayResult } from "../types.js";
import {
  amount,
  code,
  formatAmount,
  isoDate,
  parseSysproDecimal,
  positiveAmount,
  sumAmounts,
  text,
  validateDocument,
} from "../wire-values.js";
import { child, documentXml, leaf, node, yn } from "../xml.js";
import { optionalInt, optionalText, parseWriteOutput, type WriteDocument } from "./outcome.js";
import type { PostApInvoiceOptions } from "./apstin.js";

const releasedInvoice = z.strictObject({
  Invoice: code(20),
  GrossPayValue: positiveAmount(),
  DiscPayValue: amount().default("0"),
  Reference: text(30).optional(),
});

export const postApManualPaySchema = z
  .strictObject({
    PaymentNumber: code(10).optional(),
    Supplier: code(15),
    Bank: code(10).optional(),
    ChequeDate: isoDate.optional(),
    /** Our payment reference. */
    Cheque: code(30),
    ChequeValue: positiveAmount(),
    PaymentReference: text(50).optional(),
    ReleasedInvoice: z.array(releasedInvoice).min(1).max(999),
  })
  .superRefine((doc, ctx) => {
    const net = sumAmounts(doc.ReleasedInvoice.map((r) => r.GrossPayValue)).minus(
      sumAmounts(doc.ReleasedInvoice.map((r) => r.DiscPayValue)),
    );
    if (!net.eq(doc.ChequeValue)) {
      ctx.addIssue({
        code: "custom",
        path: ["ChequeValue"],
        message: `ChequeValue ${doc.ChequeValue} ≠ Σ(GrossPayValue − DiscPayValue) = ${net.toFixed(2)}`,
      });
    }
    const seen = new Set<string>();
    doc.ReleasedInvoice.forEach((r, i) => {
      if (seen.has(r.Invoice)) {
        ctx.addIssue({
          code: "custom",
          path: ["ReleasedInvoice", i, "Invoice"],
          message: "invoice released twice",
        });
      }
      seen.add(r.Invoice);
    });
  });

export type PostApManualPayInput = z.input<typeof postApManualPaySchema>;

export function buildPostApManualPay(
  input: PostApManualPayInput,
  options: PostApInvoiceOptions = {},
): WriteDocument {
  const d = validateDocument("APSTPM", postApManualPaySchema, input);
  const opt = (name: string, value: string | undefined) =>
    value === undefined ? "" : leaf(name, value);
  const xmlParameters = documentXml(
    "PostApManualPay",
    "APSTPM.XSD",
    node(
      "Parameters",
      leaf("PostingPeriod", options.postingPeriod ?? "C"),
      leaf("IgnoreWarnings", yn(options.ignoreWarnings)),
      leaf("ApplyIfEntireDocumentValid", "Y"),
      leaf("ValidateOnly", yn(options.validateOnly)),
      leaf("IncludeDimensionAnalysis", "N"),
    ),
  );
  const xmlIn = documentXml(
    "PostApManualPay",
    "APSTPMDOC.XSD",
    node(
      "Item",
      opt("PaymentNumber", d.PaymentNumber),
      leaf("Supplier", d.Supplier),
      opt("Bank", d.Bank),
      opt("ChequeDate", d.ChequeDate),
      leaf("Cheque", d.Cheque),
      leaf("ChequeValue", formatAmount(d.ChequeValue)),
      opt("PaymentReference", d.PaymentReference),
      ...d.ReleasedInvoice.map((r) =>
        node(
          "ReleasedInvoice",
          leaf("Invoice", r.Invoice),
          opt("Reference", r.Reference),
          leaf("GrossPayValue", formatAmount(r.GrossPayValue)),
          leaf("DiscPayValue", formatAmount(r.DiscPayValue)),
        ),
      ),
    ),
  );
  return { businessObject: "APSTPM", xmlParameters, xmlIn };
}

export function parsePostApManualPay(xml: string, validateOnly: boolean): PostApManualPayResult {
  const { doc, outcome } = parseWriteOutput("APSTPM", xml, ["postapmanualpay"], validateOnly);
  const item = child(doc.root, "Item");
  return {
    ...outcome,
    PaymentNumber: optionalText(child(item, "Key"), "PaymentNumber"),
    NumberOfInvoicesReleased: optionalInt(item, "NumberOfInvoicesReleased"),
    GrossValueReleased: parseSysproDecimal(
      optionalText(item, "GrossValueReleased"),
      "GrossValueReleased",
    ),
    NetValueReleased: parseSysproDecimal(
      optionalText(item, "NetValueReleased"),
      "NetValueReleased",
    ),
  };
}
