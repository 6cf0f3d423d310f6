/**
 * Supplier maintenance (APSSSP): Add refuses an existing key (SYSPRO's "Duplicate key … on 'ApSupplier'"),
 * Update changes the supplied non-empty elements of an existing supplier [I: partial update is
 * unconfirmed], Delete refuses a supplier with transactions.
 */
import { toDate } from "../money.js";
import type { SysproState } from "../state.js";
import { AP_SUPPLIER } from "../tables/schema.js";
import type { Row } from "../tables/table.js";
import { fieldError, MSG } from "./field-error.js";
import type { FieldError } from "./field-error.js";
import type { Scratch } from "./scratch.js";

export type SupplierAction = "add" | "update" | "delete";

const CURRENCIES = ["USD", "CAD", "EUR"];
const WRITABLE = AP_SUPPLIER.columns.map((c) => c.name).filter((n) => n !== "Supplier");

export interface SupplierPlan {
  action: SupplierAction;
  supplier: string;
  values: Row;
}

export function validateSupplier(
  state: SysproState,
  action: SupplierAction,
  supplierCode: string,
  elements: Record<string, string>,
  scratch: Scratch,
): { errors: FieldError[]; plan?: SupplierPlan } {
  const errors: FieldError[] = [];
  const code = supplierCode.trim();
  const existing = code === "" ? undefined : state.supplier(code);
  const exists = existing !== undefined || scratch.suppliers.has(code);
  if (code === "") {
    errors.push(fieldError("Supplier", "", MSG.required("Supplier")));
  } else if (action === "add" && exists) {
    errors.push(fieldError("Supplier", code, MSG.duplicateKey(code, "ApSupplier")));
  } else if (action !== "add" && existing === undefined) {
    errors.push(fieldError("Supplier", code, MSG.supplierNotFound(code)));
  }
  const values: Row = {};
  for (const name of WRITABLE) {
    const v = elements[name]?.trim();
    if (v !== undefined && v !== "") {
      values[name] = v;
    }
  }
  if (action === "add" && values.SupplierName === undefined) {
    errors.push(fieldError("SupplierName", "", MSG.required("Supplier name")));
  }
  if (
    values.TermsCode !== undefined &&
    state.find(state.tables.TblApTerms, { TermsCode: values.TermsCode }) === undefined
  ) {
    errors.push(fieldError("TermsCode", values.TermsCode, MSG.termsNotFound(values.TermsCode)));
  }
  if (values.Currency !== undefined && !CURRENCIES.includes(values.Currency)) {
    errors.push(
      fieldError("Currency", values.Currency, MSG.invalidValue("currency", values.Currency)),
    );
  }
  for (const gl of ["MerchGlCode", "FreightGlCode"] as const) {
    const v = values[gl];
    if (v !== undefined && state.glCode(v) === undefined) {
      errors.push(fieldError(gl, v, MSG.glNotFound(v)));
    }
  }
  for (const f of ["OnHold", "PayByEft"] as const) {
    const v = values[f];
    if (v !== undefined && v !== "Y" && v !== "N") {
      errors.push(fieldError(f, v, MSG.invalidValue(f, v)));
    }
  }
  if (values.DateSuppAdded !== undefined && toDate(values.DateSuppAdded) === undefined) {
    errors.push(
      fieldError(
        "DateSuppAdded",
        values.DateSuppAdded,
        MSG.invalidValue("date", values.DateSuppAdded),
      ),
    );
  }
  if (action === "delete" && existing !== undefined && hasTransactions(state, code)) {
    errors.push(fieldError("Supplier", code, MSG.hasTransactions(code)));
  }
  return errors.length > 0 ? { errors } : { errors, plan: { action, supplier: code, values } };
}

function hasTransactions(state: SysproState, code: string): boolean {
  const [ref] = state.find(state.tables.ApSupplier, { Supplier: code })!;
  // Seeded suppliers have a history; added ones only if something was posted to them since.
  return ref >= 0 || state.tables.ApInvoice.overlayRows().some(([, r]) => r.Supplier === code);
}

export function noteSupplier(plan: SupplierPlan, scratch: Scratch): void {
  if (plan.action === "add") {
    scratch.suppliers.add(plan.supplier);
  }
}

export function applySupplier(state: SysproState, plan: SupplierPlan): void {
  const table = state.tables.ApSupplier;
  if (plan.action === "add") {
    table.insert({
      Currency: "USD",
      TermsCode: "30",
      Branch: "10",
      Bank: "FB",
      OnHold: "N",
      SupplierType: "P",
      PayByEft: "N",
      DateSuppAdded: state.clock.today(),
      ...plan.values,
      Supplier: plan.supplier,
      SupShortName: plan.values.SupShortName ?? (plan.values.SupplierName ?? "").slice(0, 10),
    });
    return;
  }
  const [ref] = state.find(table, { Supplier: plan.supplier })!;
  if (plan.action === "update") {
    table.update(ref, plan.values);
  } else {
    table.remove(ref);
  }
}
