/** APSTIN — post AP invoices (contract §2.3). */
import { applyApInvoice, noteApInvoice, validateApInvoice } from "../../ledger/ap-invoice.js";
import type { ApInvoiceInput, ApInvoicePlan, ApJournalKey } from "../../ledger/ap-invoice.js";
import { errorNode, warningsNode } from "../../ledger/field-error.js";
import { children, text } from "../../xml-in.js";
import type { XmlObject } from "../../xml-in.js";
import { counter, document, el, outRoot, ROOT_ATTRIBUTES } from "../../xml-out.js";
import { pad, processItems, readDocument, str } from "./common.js";
import type { ObjectContext } from "./common.js";

function toInput(item: XmlObject): ApInvoiceInput {
  const input: ApInvoiceInput = {
    distribution: children(item, "LedgerDistribution").map((d) => ({
      LedgerCode: text(d, "LedgerCode"),
      LedgerValue: text(d, "LedgerValue"),
    })) as ApInvoiceInput["distribution"],
  };
  for (const name of [
    "Supplier",
    "TransactionCode",
    "Invoice",
    "TransactionValue",
    "TaxValue",
    "InvoiceDate",
    "DueDate",
    "TransactionReference",
    "Branch",
  ] as const) {
    const v = str(item, name);
    if (v !== undefined) {
      input[name] = v;
    }
  }
  return input;
}

export function runApstin(ctx: ObjectContext, xmlParameters: string, xmlIn: string): string {
  const { state, variants } = ctx;
  const { params, items } = readDocument(xmlParameters, xmlIn, "PostApInvoice", "APSTIN");
  const period = state.period(text(params.raw, "PostingPeriod")?.trim().toUpperCase() || "C");
  let journal: number | undefined;
  let entry = 0;
  const keys = new Map<number, ApJournalKey>();
  const outcomes = processItems<ApInvoiceInput, ApInvoicePlan>(
    items.map(toInput),
    params,
    (input, scratch) => validateApInvoice(state, input, scratch),
    noteApInvoice,
    (plan, i) => {
      journal ??= state.nextApJournal(period.year, period.month);
      const key = {
        TrnYear: period.year,
        TrnMonth: period.month,
        Journal: journal,
        EntryNumber: ++entry,
      };
      applyApInvoice(state, plan, key);
      keys.set(i, key);
    },
  );
  const out = outcomes.map((o, i) => {
    const input = items[i]!;
    const key = keys.get(i);
    return el("Item", [
      ...o.errors.map((e) => errorNode(e)),
      ...warningsNode(o.warnings),
      el("Transaction", [
        ...(key === undefined
          ? []
          : [
              el("Key", [
                el("TrnYear", key.TrnYear),
                el("TrnMonth", pad(key.TrnMonth, 2)),
                el("Journal", pad(key.Journal, 5)),
                el("EntryNumber", pad(key.EntryNumber, 3)),
              ]),
            ]),
        el("Supplier", str(input, "Supplier") ?? ""),
        el("Invoice", str(input, "Invoice") ?? ""),
        el("TransactionCode", (str(input, "TransactionCode") ?? "").trim() || "I"),
      ]),
    ]);
  });
  const invalid = outcomes.filter((o) => o.errors.length > 0).length;
  const status = [
    ...(journal === undefined
      ? []
      : [
          el("GlJournal", [
            el("GlYear", period.year),
            el("GlPeriod", pad(period.month, 2)),
            el("GlJournal", pad(state.nextGlJournal(period.year, period.month), 5)),
            el("GlJournalError", ""),
            el("GlJournalMessage", ""),
          ]),
        ]),
    el("ItemsProcessed", counter(outcomes.length, variants.counters)),
    el("ItemsInvalid", counter(invalid, variants.counters)),
  ];
  return document(
    el(outRoot("PostApInvoice", variants), [...out, el("StatusOfItems", status)], ROOT_ATTRIBUTES),
    variants,
  );
}
