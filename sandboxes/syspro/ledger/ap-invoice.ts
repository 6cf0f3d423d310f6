/**
 * Posting an AP invoice (APSTIN, and control.addInvoice for "new SYSPRO activity"): SYSPRO's checks —
 * supplier exists (and is not on hold, a warning), no duplicate invoice, ledger codes exist and are not
 * on hold, lines distribute TransactionValue − TaxValue exactly — then ApInvoice, ApJnlSummary and
 * ApJnlDistrib rows.
 */
import { addDays } from "../../reference-customer/calendar.js";
import { centsToString, toCents, toDate } from "../money.js";
import type { SysproState } from "../state.js";
import { fieldError, MSG } from "./field-error.js";
import type { FieldError } from "./field-error.js";
import { key } from "./scratch.js";
import type { Scratch } from "./scratch.js";

export interface ApInvoiceInput {
  Supplier?: string;
  TransactionCode?: string;
  Invoice?: string;
  TransactionValue?: string;
  TaxValue?: string;
  InvoiceDate?: string;
  DueDate?: string;
  TransactionReference?: string;
  Branch?: string;
  /** Not an APSTIN element: lets control.addInvoice back-date activity. Default: today. */
  JournalDate?: string;
  distribution: { LedgerCode?: string; LedgerValue?: string }[];
}

export interface ApInvoicePlan {
  supplier: string;
  currency: string;
  code: "I" | "A" | "C" | "D";
  invoice: string;
  valueCents: number;
  invoiceDate: string;
  dueDate: string;
  journalDate: string;
  reference: string;
  branch: string;
  lines: { glCode: string; cents: number }[];
}

export function validateApInvoice(
  state: SysproState,
  input: ApInvoiceInput,
  scratch: Scratch,
): { errors: FieldError[]; plan?: ApInvoicePlan } {
  const errors: FieldError[] = [];
  const supplierCode = input.Supplier?.trim() ?? "";
  const supplier = supplierCode === "" ? undefined : state.supplier(supplierCode);
  if (supplierCode === "") {
    errors.push(fieldError("Supplier", "", MSG.required("Supplier")));
  } else if (supplier === undefined) {
    errors.push(fieldError("Supplier", supplierCode, MSG.supplierNotFound(supplierCode)));
  } else if (supplier.OnHold === "Y") {
    errors.push(fieldError("Supplier", supplierCode, MSG.supplierOnHold(supplierCode)));
  }
  const code = (input.TransactionCode?.trim() || "I").toUpperCase();
  if (!["I", "A", "C", "D"].includes(code)) {
    errors.push(fieldError("TransactionCode", code, MSG.invalidValue("transaction code", code)));
  }
  const invoice = input.Invoice?.trim() ?? "";
  if (invoice === "") {
    errors.push(fieldError("Invoice", "", MSG.required("Invoice")));
  } else if (supplier !== undefined) {
    const exists =
      scratch.invoices.has(key(supplierCode, invoice)) ||
      state.find(state.tables.ApInvoice, { Supplier: supplierCode, Invoice: invoice }) !==
        undefined;
    if (code === "I" && exists) {
      errors.push(fieldError("Invoice", invoice, MSG.duplicateInvoice(supplierCode, invoice)));
    } else if (code !== "I" && !exists) {
      errors.push(fieldError("Invoice", invoice, MSG.invoiceNotFound(supplierCode, invoice)));
    }
  }
  const value = toCents(input.TransactionValue);
  if (value === undefined || (code === "I" && value <= 0)) {
    errors.push(
      fieldError(
        "TransactionValue",
        input.TransactionValue,
        MSG.invalidValue("transaction value", input.TransactionValue ?? ""),
      ),
    );
  }
  const tax =
    input.TaxValue === undefined || input.TaxValue.trim() === "" ? 0 : toCents(input.TaxValue);
  if (tax === undefined) {
    errors.push(
      fieldError("TaxValue", input.TaxValue, MSG.invalidValue("tax value", input.TaxValue ?? "")),
    );
  }
  const today = state.clock.today();
  const invoiceDate = input.InvoiceDate?.trim() ? toDate(input.InvoiceDate) : today;
  if (invoiceDate === undefined) {
    errors.push(
      fieldError(
        "InvoiceDate",
        input.InvoiceDate,
        MSG.invalidValue("invoice date", input.InvoiceDate ?? ""),
      ),
    );
  }
  const journalDate = input.JournalDate?.trim() ? toDate(input.JournalDate) : today;
  if (journalDate === undefined) {
    errors.push(
      fieldError(
        "JournalDate",
        input.JournalDate,
        MSG.invalidValue("journal date", input.JournalDate ?? ""),
      ),
    );
  }
  let dueDate = input.DueDate?.trim() ? toDate(input.DueDate) : undefined;
  if (input.DueDate?.trim() && dueDate === undefined) {
    errors.push(fieldError("DueDate", input.DueDate, MSG.invalidValue("due date", input.DueDate)));
  }
  if (dueDate === undefined && invoiceDate !== undefined) {
    const terms = state.find(state.tables.TblApTerms, {
      TermsCode: supplier?.TermsCode ?? "30",
    })?.[1];
    dueDate = addDays(invoiceDate, Number(terms?.DueDays ?? 30));
  }

  const lines: ApInvoicePlan["lines"] = [];
  let distributed = 0;
  for (const line of input.distribution) {
    const gl = line.LedgerCode?.trim() ?? "";
    const glRow = gl === "" ? undefined : state.glCode(gl);
    if (glRow === undefined) {
      errors.push(fieldError("LedgerCode", gl, MSG.glNotFound(gl)));
    } else if (glRow.AccOnHldFlag === "Y") {
      errors.push(fieldError("LedgerCode", gl, MSG.glOnHold(gl)));
    }
    const cents = toCents(line.LedgerValue);
    if (cents === undefined) {
      errors.push(
        fieldError(
          "LedgerValue",
          line.LedgerValue,
          MSG.invalidValue("ledger value", line.LedgerValue ?? ""),
        ),
      );
    } else {
      distributed += cents;
      lines.push({ glCode: gl, cents });
    }
  }
  if (value !== undefined && tax !== undefined && distributed !== value - tax) {
    errors.push(
      fieldError(
        "TransactionValue",
        centsToString(value),
        MSG.notDistributed(centsToString(distributed), centsToString(value - tax)),
      ),
    );
  }
  if (errors.some((e) => e.warning !== true) || supplier === undefined || value === undefined) {
    return { errors };
  }
  return {
    errors,
    plan: {
      supplier: supplierCode,
      currency: supplier.Currency ?? "USD",
      code: code as ApInvoicePlan["code"],
      invoice,
      valueCents: value,
      invoiceDate: invoiceDate!,
      dueDate: dueDate!,
      journalDate: journalDate!,
      reference: input.TransactionReference?.trim() ?? "",
      branch: input.Branch?.trim() || supplier.Branch || "10",
      lines,
    },
  };
}

export function noteApInvoice(plan: ApInvoicePlan, scratch: Scratch): void {
  if (plan.code === "I") {
    scratch.invoices.add(key(plan.supplier, plan.invoice));
  }
}

export interface ApJournalKey {
  TrnYear: number;
  TrnMonth: number;
  Journal: number;
  EntryNumber: number;
}

/** Writes the invoice and its AP journal entry. */
export function applyApInvoice(state: SysproState, plan: ApInvoicePlan, key: ApJournalKey): void {
  const { ApInvoice, ApJnlSummary, ApJnlDistrib } = state.tables;
  const value = centsToString(plan.valueCents);
  if (plan.code === "I") {
    const [year, month] = plan.invoiceDate.split("-");
    ApInvoice.insert({
      Supplier: plan.supplier,
      Invoice: plan.invoice,
      NextPaymEntry: "1",
      JournalDate: plan.journalDate,
      Journal: String(key.Journal),
      EntryNumber: String(key.EntryNumber),
      Branch: plan.branch,
      InvoiceDate: plan.invoiceDate,
      DueDate: plan.dueDate,
      Reference: plan.reference,
      OrigInvValue: value,
      MthInvBal1: value,
      Currency: plan.currency,
      PostCurrency: plan.currency,
      Bank: "FB",
      InvoiceYear: String(Number(year)),
      InvoiceMonth: String(Number(month)),
      ExchangeRate: "1.000000",
      ConvRate: "1.000000",
      MulDiv: "M",
    });
  } else {
    const found = state.find(ApInvoice, { Supplier: plan.supplier, Invoice: plan.invoice })!;
    const delta = plan.code === "C" ? -plan.valueCents : plan.valueCents;
    const balance = (toCents(found[1].MthInvBal1) ?? 0) + delta;
    ApInvoice.update(found[0], { MthInvBal1: centsToString(balance) });
  }
  const journal = {
    TrnYear: String(key.TrnYear),
    TrnMonth: String(key.TrnMonth),
    Journal: String(key.Journal),
    EntryNumber: String(key.EntryNumber),
  };
  ApJnlSummary.insert({
    ...journal,
    Supplier: plan.supplier,
    Invoice: plan.invoice,
    TransactionCode: plan.code,
    InvoiceValue: value,
  });
  for (const line of plan.lines) {
    ApJnlDistrib.insert({
      ...journal,
      DistrValue: centsToString(line.cents),
      ExpenseGlCode: line.glCode,
    });
  }
}
