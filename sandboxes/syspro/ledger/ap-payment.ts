/**
 * A manual AP payment (APSTPM, contract §7): ChequeValue must equal Σ(GrossPayValue − DiscPayValue),
 * no invoice may be paid beyond its open balance (MthInvBal1). Success lowers MthInvBal1 and adds an
 * ApInvoicePay row whose PaymentReference is the Cheque.
 */
import { centsToString, toCents, toDate } from "../money.js";
import { BANKS } from "../state.js";
import type { SysproState } from "../state.js";
import { fieldError, MSG } from "./field-error.js";
import type { FieldError } from "./field-error.js";
import { key } from "./scratch.js";
import type { Scratch } from "./scratch.js";

export interface ApPaymentInput {
  Supplier?: string;
  Bank?: string;
  ChequeDate?: string;
  Cheque?: string;
  ChequeValue?: string;
  released: { Invoice?: string; GrossPayValue?: string; DiscPayValue?: string }[];
}

export interface ApPaymentPlan {
  supplier: string;
  currency: string;
  bank: string;
  cheque: string;
  chequeDate: string;
  chequeCents: number;
  released: { invoice: string; grossCents: number; discCents: number }[];
}

export function validateApPayment(
  state: SysproState,
  input: ApPaymentInput,
  scratch: Scratch,
): { errors: FieldError[]; plan?: ApPaymentPlan } {
  const errors: FieldError[] = [];
  const supplierCode = input.Supplier?.trim() ?? "";
  const supplier = supplierCode === "" ? undefined : state.supplier(supplierCode);
  if (supplier === undefined) {
    errors.push(
      fieldError(
        "Supplier",
        supplierCode,
        supplierCode === "" ? MSG.required("Supplier") : MSG.supplierNotFound(supplierCode),
      ),
    );
  }
  const bank = input.Bank?.trim() || "FB";
  if (!(BANKS as readonly string[]).includes(bank)) {
    errors.push(fieldError("Bank", bank, MSG.bankNotFound(bank)));
  }
  const cheque = input.Cheque?.trim() ?? "";
  if (cheque === "") {
    errors.push(fieldError("Cheque", "", MSG.required("Cheque")));
  } else if (
    scratch.cheques.has(key(supplierCode, cheque)) ||
    state.find(state.tables.ApInvoicePay, { Supplier: supplierCode, PaymentReference: cheque }) !==
      undefined
  ) {
    errors.push(fieldError("Cheque", cheque, MSG.duplicateCheque(cheque)));
  }
  const chequeDate = input.ChequeDate?.trim() ? toDate(input.ChequeDate) : state.clock.today();
  if (chequeDate === undefined) {
    errors.push(
      fieldError(
        "ChequeDate",
        input.ChequeDate,
        MSG.invalidValue("cheque date", input.ChequeDate ?? ""),
      ),
    );
  }
  const chequeCents = toCents(input.ChequeValue);
  if (chequeCents === undefined || chequeCents <= 0) {
    errors.push(
      fieldError(
        "ChequeValue",
        input.ChequeValue,
        MSG.invalidValue("cheque value", input.ChequeValue ?? ""),
      ),
    );
  }
  if (input.released.length === 0) {
    errors.push(fieldError("ReleasedInvoice", "", MSG.required("ReleasedInvoice")));
  }

  const released: ApPaymentPlan["released"] = [];
  let net = 0;
  for (const r of input.released) {
    const invoice = r.Invoice?.trim() ?? "";
    const gross = toCents(r.GrossPayValue);
    const disc =
      r.DiscPayValue === undefined || r.DiscPayValue.trim() === "" ? 0 : toCents(r.DiscPayValue);
    if (gross === undefined || gross <= 0) {
      errors.push(
        fieldError(
          "GrossPayValue",
          r.GrossPayValue,
          MSG.invalidValue("gross payment value", r.GrossPayValue ?? ""),
        ),
      );
    }
    if (disc === undefined || disc < 0 || (gross !== undefined && disc > gross)) {
      errors.push(
        fieldError(
          "DiscPayValue",
          r.DiscPayValue,
          MSG.invalidValue("discount value", r.DiscPayValue ?? ""),
        ),
      );
    }
    if (gross === undefined || disc === undefined) {
      continue;
    }
    net += gross - disc;
    if (supplier === undefined) {
      continue;
    }
    const found =
      invoice === ""
        ? undefined
        : state.find(state.tables.ApInvoice, { Supplier: supplierCode, Invoice: invoice });
    if (found === undefined) {
      errors.push(fieldError("Invoice", invoice, MSG.invoiceNotFound(supplierCode, invoice)));
      continue;
    }
    const already = scratch.released.get(key(supplierCode, invoice)) ?? 0;
    const open = (toCents(found[1].MthInvBal1) ?? 0) - already;
    if (gross > open) {
      errors.push(
        fieldError(
          "GrossPayValue",
          centsToString(gross),
          MSG.overpayment(invoice, centsToString(gross), centsToString(open)),
        ),
      );
      continue;
    }
    released.push({ invoice, grossCents: gross, discCents: disc });
  }
  if (chequeCents !== undefined && chequeCents > 0 && net !== chequeCents) {
    errors.push(
      fieldError(
        "ChequeValue",
        centsToString(chequeCents),
        MSG.chequeValueMismatch(centsToString(chequeCents), centsToString(net)),
      ),
    );
  }
  if (errors.some((e) => e.warning !== true) || supplier === undefined) {
    return { errors };
  }
  return {
    errors,
    plan: {
      supplier: supplierCode,
      currency: supplier.Currency ?? "USD",
      bank,
      cheque,
      chequeDate: chequeDate!,
      chequeCents: chequeCents!,
      released,
    },
  };
}

export function noteApPayment(plan: ApPaymentPlan, scratch: Scratch): void {
  scratch.cheques.add(key(plan.supplier, plan.cheque));
  for (const r of plan.released) {
    const k = key(plan.supplier, r.invoice);
    scratch.released.set(k, (scratch.released.get(k) ?? 0) + r.grossCents);
  }
}

/** Lowers each invoice's balance and records the payment. */
export function applyApPayment(
  state: SysproState,
  plan: ApPaymentPlan,
  journal: number,
  firstEntry: number,
): void {
  const { ApInvoice, ApInvoicePay } = state.tables;
  let entry = firstEntry;
  for (const r of plan.released) {
    const [ref, row] = state.find(ApInvoice, { Supplier: plan.supplier, Invoice: r.invoice })!;
    ApInvoice.update(ref, {
      MthInvBal1: centsToString((toCents(row.MthInvBal1) ?? 0) - r.grossCents),
      PaymGrossValue: centsToString((toCents(row.PaymGrossValue) ?? 0) + r.grossCents),
      PaymDiscValue: centsToString((toCents(row.PaymDiscValue) ?? 0) + r.discCents),
      ManualChqDate: plan.chequeDate,
      ManualChqNum: plan.cheque,
      NextPaymEntry: String(Number(row.NextPaymEntry || "1") + 1),
    });
    ApInvoicePay.insert({
      Supplier: plan.supplier,
      Invoice: r.invoice,
      PaymentReference: plan.cheque,
      PostValue: centsToString(r.grossCents),
      TrnValue: centsToString(r.grossCents - r.discCents),
      TrnType: "P",
      PostCurrency: plan.currency,
      Journal: String(journal),
      EntryNumber: String(entry++),
      JournalDate: state.clock.today(),
    });
  }
}
