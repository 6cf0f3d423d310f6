/**
 * APSTIN — post an AP invoice (contract §2.3). One invoice per call (§4.3), elements in XSD order,
 * `ApplyIfEntireDocumentValid=Y`. Our own rule before sending: the `LedgerValue`s sum to
 * `TransactionValue − TaxValue` (§7), because SYSPRO's own message for it is unknown.
 */
import { z } from "zod";

import type { PostApInvoiceResult } from "../types.js";
import {
  amount,
  code,
  formatAmount,
  isoDate,
  sumAmounts,
  text,
  validateDocument,
} from "../wire-values.js";
import { child, children, documentXml, leaf, node, path, yn } from "../xml.js";
import {
  optionalInt,
  optionalText,
  parseWriteOutput,
  type WriteDocument,
  type WriteOptions,
} from "./outcome.js";

const ledgerDistribution = z.strictObject({
  LedgerCode: code(35),
  LedgerValue: amount(),
  LedgerNotation: text(50).optional(),
});

export const postApInvoiceSchema = z
  .strictObject({
    Supplier: code(15),
    /** I invoice | A adjustment | C credit note | D debit note. */
    TransactionCode: z.enum(["I", "A", "C", "D"]).default("I"),
    Branch: code(10).optional(),
    Invoice: code(20),
    /** Including tax. */
    TransactionValue: amount(),
    Notation: text(100).optional(),
    /** Our reference (PO number or transaction id): findable after an ambiguous failure. */
    TransactionReference: text(30).optional(),
    JournalNotation: text(100).optional(),
    InvoiceDate: isoDate.optional(),
    DueDate: isoDate.optional(),
    DiscountDate: isoDate.optional(),
    TaxCode: z
      .string()
      .regex(/^[A-Z]$/)
      .optional(),
    TaxValue: amount().optional(),
    LedgerDistribution: z.array(ledgerDistribution).min(1).max(999),
  })
  .superRefine((doc, ctx) => {
    const expected = sumAmounts([doc.TransactionValue]).minus(doc.TaxValue ?? "0");
    const distributed = sumAmounts(doc.LedgerDistribution.map((l) => l.LedgerValue));
    if (!distributed.eq(expected)) {
      ctx.addIssue({
        code: "custom",
        path: ["LedgerDistribution"],
        message: `ledger lines sum to ${distributed.toFixed(2)}, expected TransactionValue − TaxValue = ${expected.toFixed(2)}`,
      });
    }
  });

export type PostApInvoiceInput = z.input<typeof postApInvoiceSchema>;

export interface PostApInvoiceOptions extends WriteOptions {
  /** C current (default) | P previous | B before previous. */
  postingPeriod?: "C" | "P" | "B";
}

export function buildPostApInvoice(
  input: PostApInvoiceInput,
  options: PostApInvoiceOptions = {},
): WriteDocument {
  const d = validateDocument("APSTIN", postApInvoiceSchema, input);
  const xmlParameters = documentXml(
    "PostApInvoice",
    "APSTIN.XSD",
    node(
      "Parameters",
      leaf("PostingPeriod", options.postingPeriod ?? "C"),
      leaf("IgnoreWarnings", yn(options.ignoreWarnings)),
      leaf("ApplyIfEntireDocumentValid", "Y"),
      leaf("ValidateOnly", yn(options.validateOnly)),
      leaf("PostZeroAdjustments", "N"),
      leaf("LedgerDistributionCurrency", "L"),
      leaf("AutomaticTaxCalculation", "N"),
      leaf("IgnoreAnalysis", "Y"),
      leaf("IncludeDimensionAnalysis", "N"),
    ),
  );
  const opt = (name: string, value: string | undefined) =>
    value === undefined ? "" : leaf(name, value);
  const xmlIn = documentXml(
    "PostApInvoice",
    "APSTINDOC.XSD",
    node(
      "Item",
      leaf("Supplier", d.Supplier),
      leaf("TransactionCode", d.TransactionCode),
      opt("Branch", d.Branch),
      leaf("Invoice", d.Invoice),
      leaf("TransactionValue", formatAmount(d.TransactionValue)),
      opt("Notation", d.Notation),
      opt("TransactionReference", d.TransactionReference),
      opt("JournalNotation", d.JournalNotation),
      opt("InvoiceDate", d.InvoiceDate),
      opt("DueDate", d.DueDate),
      opt("DiscountDate", d.DiscountDate),
      opt("TaxCode", d.TaxCode),
      opt("TaxValue", d.TaxValue === undefined ? undefined : formatAmount(d.TaxValue)),
      ...d.LedgerDistribution.map((l) =>
        node(
          "LedgerDistribution",
          leaf("LedgerCode", l.LedgerCode),
          opt("LedgerNotation", l.LedgerNotation),
          leaf("LedgerValue", formatAmount(l.LedgerValue)),
        ),
      ),
    ),
  );
  return { businessObject: "APSTIN", xmlParameters, xmlIn };
}

export function parsePostApInvoice(xml: string, validateOnly: boolean): PostApInvoiceResult {
  const { doc, outcome } = parseWriteOutput("APSTIN", xml, ["postapinvoice"], validateOnly);
  const transaction = path(doc.root, "Item", "Transaction");
  const key = child(transaction, "Key");
  const gl = children(child(doc.root, "StatusOfItems"), "GlJournal")[0];
  const glYear = optionalInt(gl, "GlYear");
  const glPeriod = optionalInt(gl, "GlPeriod");
  const glJournal = optionalInt(gl, "GlJournal");
  return {
    ...outcome,
    Supplier: optionalText(transaction, "Supplier"),
    Invoice: optionalText(transaction, "Invoice"),
    TrnYear: optionalInt(key, "TrnYear"),
    TrnMonth: optionalInt(key, "TrnMonth"),
    Journal: optionalInt(key, "Journal"),
    EntryNumber: optionalInt(key, "EntryNumber"),
    GlJournal:
      glYear !== undefined && glPeriod !== undefined && glJournal !== undefined
        ? { GlYear: glYear, GlPeriod: glPeriod, GlJournal: glJournal }
        : undefined,
  };
}
