/**
 * SYSPRO's item-level validation results. Each becomes `<Field><Value/><ErrorNumber/><ErrorDescription/>`
 * in XmlOut (contract §1.5). The numbers and texts are the sandbox's [I] except 120001 "Duplicate key",
 * which is SYSPRO's own sample.
 */
import { el } from "../xml-out.js";
import type { XNode } from "../xml-out.js";

export interface FieldError {
  field: string;
  value: string;
  number: number;
  description: string;
  /** A warning rejects the item only when IgnoreWarnings=N. */
  warning?: boolean;
}

export const MSG = {
  supplierNotFound: (s: string): Omit<FieldError, "field" | "value"> => ({
    number: 100101,
    description: `Supplier '${s}' not found`,
  }),
  supplierOnHold: (s: string) => ({
    number: 100102,
    description: `Supplier '${s}' is on hold`,
    warning: true,
  }),
  required: (what: string) => ({ number: 100001, description: `${what} is required` }),
  invalidValue: (what: string, v: string) => ({
    number: 100002,
    description: `Invalid ${what} '${v}'`,
  }),
  duplicateInvoice: (s: string, i: string) => ({
    number: 100110,
    description: `Invoice '${i}' already exists for supplier '${s}'`,
  }),
  invoiceNotFound: (s: string, i: string) => ({
    number: 100111,
    description: `Invoice '${i}' not found for supplier '${s}'`,
  }),
  notDistributed: (distributed: string, required: string) => ({
    number: 100120,
    description: `Amount not fully distributed: distributed ${distributed}, required ${required}`,
  }),
  glNotFound: (g: string) => ({ number: 200101, description: `Ledger code '${g}' not found` }),
  glOnHold: (g: string) => ({ number: 200102, description: `Ledger code '${g}' is on hold` }),
  notBalanced: (dr: string, cr: string) => ({
    number: 200120,
    description: `Journal does not balance: debits ${dr}, credits ${cr}`,
  }),
  periodClosed: (y: string, p: string) => ({
    number: 200130,
    description: `Posting period ${p} of year ${y} is not open`,
  }),
  chequeValueMismatch: (cheque: string, released: string) => ({
    number: 300101,
    description: `Cheque value ${cheque} does not equal the value released ${released}`,
  }),
  overpayment: (i: string, pay: string, balance: string) => ({
    number: 300102,
    description: `Payment ${pay} for invoice '${i}' exceeds its outstanding balance ${balance}`,
  }),
  duplicateCheque: (c: string) => ({
    number: 300103,
    description: `Cheque '${c}' has already been used for this supplier`,
    warning: true,
  }),
  bankNotFound: (b: string) => ({ number: 300104, description: `Bank '${b}' not found` }),
  duplicateKey: (key: string, table: string) => ({
    number: 120001,
    description: `Duplicate key '${key}' on '${table}'`,
  }),
  termsNotFound: (t: string) => ({ number: 120010, description: `Terms code '${t}' not found` }),
  hasTransactions: (s: string) => ({
    number: 120020,
    description: `Supplier '${s}' has transactions and cannot be deleted`,
  }),
};

export function fieldError(
  field: string,
  value: string | undefined,
  msg: { number: number; description: string; warning?: boolean },
): FieldError {
  return { field, value: value ?? "", ...msg };
}

/** Errors (and, unless ignored, warnings) that reject an item. */
export function rejecting(errors: readonly FieldError[], ignoreWarnings: string): FieldError[] {
  return errors.filter((e) => e.warning !== true || ignoreWarnings === "N");
}

export function errorNode(e: FieldError, lowerCase = false): XNode {
  return el(lowerCase ? e.field.toLowerCase() : e.field, [
    el("Value", e.value),
    el("ErrorNumber", e.number),
    el("ErrorDescription", e.description),
  ]);
}

export function warningsNode(warnings: readonly FieldError[]): XNode[] {
  return warnings.length === 0
    ? []
    : [
        el(
          "WarningMessages",
          warnings.map((w) => el("WarningDescription", w.description)),
        ),
      ];
}
