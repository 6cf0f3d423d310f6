/**
 * GENTJL — GL journal (contract §2.4): payment postings by journal and re-coding reclassifications.
 * `EntryAmount` is positive for a debit and negative for a credit; we refuse an unbalanced journal
 * before SYSPRO sees it (§7).
 */
import { z } from "zod";

import type { PostGlJournalResult } from "../types.js";
import {
  amount,
  code,
  formatAmount,
  isoDate,
  parseSysproDecimal,
  parseSysproDate,
  sumAmounts,
  text,
  validateDocument,
} from "../wire-values.js";
import { child, documentXml, leaf, node, path, yn } from "../xml.js";
import {
  optionalInt,
  optionalText,
  parseWriteOutput,
  type WriteDocument,
  type WriteOptions,
} from "./outcome.js";

const journalDetail = z.strictObject({
  LedgerCode: code(35),
  /** Positive = debit, negative = credit. */
  EntryAmount: amount().refine((v) => !sumAmounts([v]).isZero(), "must not be zero"),
  Date: isoDate.optional(),
  Reference: text(30).optional(),
  Comment: text(100).optional(),
});

export const postGlJournalSchema = z
  .strictObject({
    /** N normal | P provisional | U user-defined | S statistical | L alternate currency. */
    JournalType: z.enum(["N", "P", "U", "S", "L"]).default("N"),
    /** Y post now (default) | N leave unposted. */
    PostJournal: z.enum(["Y", "N"]).default("Y"),
    JournalDate: isoDate.optional(),
    /** Our reference (AvidXchange payment id / transaction id): findable after an ambiguous failure. */
    JournalReference: code(50),
    Notation: text(100).optional(),
    PostingPeriod: z.number().int().min(1).max(13).optional(),
    PostingYear: z.number().int().min(1900).max(9999).optional(),
    Source: text(2).optional(),
    Type: text(3).optional(),
    JournalDetails: z.array(journalDetail).min(2).max(9999),
  })
  .superRefine((doc, ctx) => {
    const total = sumAmounts(doc.JournalDetails.map((l) => l.EntryAmount));
    if (!total.isZero()) {
      ctx.addIssue({
        code: "custom",
        path: ["JournalDetails"],
        message: `journal does not balance: debits − credits = ${total.toFixed(2)}`,
      });
    }
  });

export type PostGlJournalInput = z.input<typeof postGlJournalSchema>;

export function buildPostGlJournal(
  input: PostGlJournalInput,
  options: WriteOptions = {},
): WriteDocument {
  const d = validateDocument("GENTJL", postGlJournalSchema, input);
  const opt = (name: string, value: string | undefined) =>
    value === undefined ? "" : leaf(name, value);
  const xmlParameters = documentXml(
    "PostGlJournal",
    "GENTJL.XSD",
    node(
      "Parameters",
      leaf("IgnoreWarnings", yn(options.ignoreWarnings)),
      leaf("ApplyIfEntireDocumentValid", "Y"),
      leaf("ValidateOnly", yn(options.validateOnly)),
      leaf("ActionType", "A"),
      leaf("ValidatePasswords", "Y"),
      leaf("DeleteEntriesonMaint", "N"),
      leaf("IgnoreAnalysis", "Y"),
      leaf("IncludeDimensionAnalysis", "N"),
    ),
  );
  const xmlIn = documentXml(
    "PostGlJournal",
    "GENTJLDOC.XSD",
    node(
      "Item",
      leaf("JournalType", d.JournalType),
      leaf("AuthorizeJournal", "D"),
      leaf("PostJournal", d.PostJournal),
      leaf("CancelJournal", "N"),
      leaf("HoldJournal", "N"),
      opt("JournalDate", d.JournalDate),
      leaf("JournalReference", d.JournalReference),
      opt("Notation", d.Notation),
      opt(
        "PostingPeriod",
        d.PostingPeriod === undefined ? undefined : String(d.PostingPeriod).padStart(2, "0"),
      ),
      opt("PostingYear", d.PostingYear === undefined ? undefined : String(d.PostingYear)),
      opt("Source", d.Source),
      opt("Type", d.Type),
      ...d.JournalDetails.map((l) =>
        node(
          "JournalDetails",
          leaf("LedgerCode", l.LedgerCode),
          opt("Date", l.Date),
          opt("Reference", l.Reference),
          leaf("EntryAmount", formatAmount(l.EntryAmount)),
          leaf("DeleteEntry", "N"),
          opt("Comment", l.Comment),
        ),
      ),
    ),
  );
  return { businessObject: "GENTJL", xmlParameters, xmlIn };
}

export function parsePostGlJournal(xml: string, validateOnly: boolean): PostGlJournalResult {
  const { doc, outcome } = parseWriteOutput("GENTJL", xml, ["postgljournal"], validateOnly);
  const transaction = path(doc.root, "Item", "Transaction");
  const key = child(transaction, "Key");
  return {
    ...outcome,
    GlYear: optionalInt(key, "GlYear"),
    GlPeriod: optionalInt(key, "GlPeriod"),
    GlJournal: optionalInt(key, "GlJournal"),
    JournalDate: parseSysproDate(optionalText(transaction, "JournalDate")),
    NumOfEntries: optionalInt(transaction, "NumOfEntries"),
    DebitAmount: parseSysproDecimal(optionalText(transaction, "DebitAmount"), "DebitAmount"),
    CreditAmount: parseSysproDecimal(optionalText(transaction, "CreditAmount"), "CreditAmount"),
  };
}
