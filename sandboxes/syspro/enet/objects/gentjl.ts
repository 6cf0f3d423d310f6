/** GENTJL — GL journals (contract §2.4). Output counters follow SYSPRO's sample (JournalsProcessed, PostingsProcessed). */
import { errorNode } from "../../ledger/field-error.js";
import { applyGlJournal, validateGlJournal } from "../../ledger/gl-journal.js";
import type { GlJournalInput, GlJournalPlan } from "../../ledger/gl-journal.js";
import { centsToString } from "../../money.js";
import { children, text } from "../../xml-in.js";
import type { XmlObject } from "../../xml-in.js";
import { counter, document, el, outRoot, ROOT_ATTRIBUTES } from "../../xml-out.js";
import { pad, processItems, readDocument, str } from "./common.js";
import type { ObjectContext } from "./common.js";

function toInput(item: XmlObject): GlJournalInput {
  const input: GlJournalInput = {
    lines: children(item, "JournalDetails").map((d) => {
      const line: GlJournalInput["lines"][number] = {};
      for (const name of ["LedgerCode", "EntryAmount", "Reference", "Comment"] as const) {
        const v = text(d, name);
        if (v !== undefined) {
          line[name] = v;
        }
      }
      return line;
    }),
  };
  for (const name of [
    "JournalType",
    "JournalNumber",
    "PostJournal",
    "JournalDate",
    "JournalReference",
    "Notation",
    "PostingPeriod",
    "PostingYear",
    "Source",
  ] as const) {
    const v = str(item, name);
    if (v !== undefined) {
      input[name] = v;
    }
  }
  return input;
}

export function runGentjl(ctx: ObjectContext, xmlParameters: string, xmlIn: string): string {
  const { state, variants, session } = ctx;
  const { params, items } = readDocument(xmlParameters, xmlIn, "PostGlJournal", "GENTJL");
  const journals = new Map<number, number>();
  const outcomes = processItems<GlJournalInput, GlJournalPlan>(
    items.map(toInput),
    params,
    (input) => validateGlJournal(state, input),
    () => undefined,
    (plan, i) => journals.set(i, applyGlJournal(state, plan, session.operator.operator)),
  );
  const out = outcomes.map((o, i) => {
    const journal = journals.get(i);
    const plan = o.plan;
    return el("Item", [
      ...o.errors.map((e) => errorNode(e)),
      el("Transaction", [
        ...(journal === undefined || plan === undefined
          ? []
          : [
              el("Key", [
                el("GlYear", plan.year),
                el("GlPeriod", pad(plan.period, 2)),
                el("GlJournal", pad(journal, 5)),
              ]),
            ]),
        ...(plan === undefined
          ? []
          : [
              el("JournalDate", plan.journalDate.replaceAll("-", "")),
              el("NumOfEntries", pad(plan.lines.length, 5)),
              el("DebitAmount", centsToString(plan.debitCents)),
              el("CreditAmount", centsToString(plan.creditCents)),
              el("JnlPostingType", plan.type),
              el("Jnlstatus", journal === undefined ? "" : plan.post ? "P" : "U"),
              el("Currency", ""),
              el("Authorised", "Y"),
            ]),
      ]),
    ]);
  });
  const invalid = outcomes.filter((o) => o.errors.length > 0).length;
  const posted = outcomes.filter((o) => o.applied).length;
  const status = el("StatusOfItems", [
    el("JournalsProcessed", counter(outcomes.length, variants.counters)),
    el("JournalsInvalid", counter(invalid, variants.counters)),
    el("PostingsProcessed", counter(posted, variants.counters)),
    el("PostingsInvalid", counter(invalid, variants.counters)),
  ]);
  return document(
    el(outRoot("PostGlJournal", variants), [...out, status], ROOT_ATTRIBUTES),
    variants,
  );
}
