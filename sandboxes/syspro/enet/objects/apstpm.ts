/**
 * APSTPM — manual AP payment (contract §2.8 and §7; the document shape there is [I]). Released amounts
 * come back space-padded, as SYSPRO's APSTPM sample shows.
 */
import { applyApPayment, noteApPayment, validateApPayment } from "../../ledger/ap-payment.js";
import type { ApPaymentInput, ApPaymentPlan } from "../../ledger/ap-payment.js";
import { errorNode, warningsNode } from "../../ledger/field-error.js";
import { spacePadded } from "../../money.js";
import { children, text } from "../../xml-in.js";
import type { XmlObject } from "../../xml-in.js";
import { counter, document, el, outRoot, ROOT_ATTRIBUTES } from "../../xml-out.js";
import { pad, processItems, readDocument, str } from "./common.js";
import type { ObjectContext } from "./common.js";

function toInput(item: XmlObject): ApPaymentInput {
  const input: ApPaymentInput = {
    released: children(item, "ReleasedInvoice").map((r) => {
      const line: ApPaymentInput["released"][number] = {};
      for (const name of ["Invoice", "GrossPayValue", "DiscPayValue"] as const) {
        const v = text(r, name);
        if (v !== undefined) {
          line[name] = v;
        }
      }
      return line;
    }),
  };
  for (const name of ["Supplier", "Bank", "ChequeDate", "Cheque", "ChequeValue"] as const) {
    const v = str(item, name);
    if (v !== undefined) {
      input[name] = v;
    }
  }
  return input;
}

export function runApstpm(ctx: ObjectContext, xmlParameters: string, xmlIn: string): string {
  const { state, variants } = ctx;
  const { params, items } = readDocument(xmlParameters, xmlIn, "PostApManualPay", "APSTPM");
  const period = state.period(text(params.raw, "PostingPeriod")?.trim().toUpperCase() || "C");
  let journal: number | undefined;
  let entry = 1;
  const journals = new Map<number, number>();
  const outcomes = processItems<ApPaymentInput, ApPaymentPlan>(
    items.map(toInput),
    params,
    (input, scratch) => validateApPayment(state, input, scratch),
    noteApPayment,
    (plan, i) => {
      journal ??= state.nextApJournal(period.year, period.month);
      applyApPayment(state, plan, journal, entry);
      entry += plan.released.length;
      journals.set(i, journal);
    },
  );
  const out = outcomes.map((o, i) => {
    const input = items[i]!;
    const j = journals.get(i);
    return el("Item", [
      ...o.errors.map((e) => errorNode(e)),
      ...warningsNode(o.warnings),
      el("Key", [
        el("Supplier", str(input, "Supplier") ?? ""),
        el("Cheque", str(input, "Cheque") ?? ""),
      ]),
      ...(j === undefined
        ? []
        : [
            el("TrnYear", period.year),
            el("TrnMonth", pad(period.month, 2)),
            el("Journal", pad(j, 5)),
          ]),
      ...(o.plan?.released ?? []).map((r) =>
        el("ReleasedInvoice", [
          el("Invoice", r.invoice),
          el("GrossValueReleased", spacePadded(r.grossCents)),
          el("DiscValueReleased", spacePadded(r.discCents)),
        ]),
      ),
    ]);
  });
  const invalid = outcomes.filter((o) => o.errors.length > 0).length;
  const status = el("StatusOfItems", [
    el("ItemsProcessed", counter(outcomes.length, variants.counters)),
    el("ItemsInvalid", counter(invalid, variants.counters)),
  ]);
  return document(
    el(outRoot("PostApManualPay", variants), [...out, status], ROOT_ATTRIBUTES),
    variants,
  );
}
