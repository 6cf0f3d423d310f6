import { syncException } from "../exceptions.js";

import type { ConnectionPolicies, Vendor } from "../domain.js";
import type { SyncException } from "../exceptions.js";

/**
 * A vendor that exists in AvidXchange but not as a SYSPRO supplier. By connection policy it is held
 * for a person (`HOLD`, the default: creating suppliers is a finance control) or created in SYSPRO
 * through APSSSP (`CREATE_IN_SYSPRO`), after validating the supplier we would create.
 */

/** An APSSSP `Setup/Add` item, in our words; the SYSPRO connector writes the XML. Codes are SYSPRO's
 * (currency `$`, terms `30`), taken from the connection's supplier defaults. */
export interface SupplierSetupPlan {
  readonly kind: "APSSSP";
  readonly supplier: string;
  readonly supplierName: string;
  readonly currency: string;
  readonly termsCode?: string;
  readonly bank?: string;
  readonly branch?: string;
  readonly supplierClass?: string;
  readonly telephone?: string;
  readonly email?: string;
  readonly taxRegnNum?: string;
  /** SupAddr1–5 in SYSPRO's order: line 1, line 2, city, state, country. */
  readonly supAddr: readonly [string, string, string, string, string];
  readonly supPostalCode?: string;
  readonly remitName?: string;
  readonly onHold: false;
}

/** What the connection fills in that a vendor does not carry. */
export interface SupplierDefaults {
  readonly currency?: string;
  readonly termsCode?: string;
  readonly bank?: string;
  readonly branch?: string;
  readonly supplierClass?: string;
}

/** SYSPRO column widths we check before asking SYSPRO. `Supplier` (~15) and `TermsCode` (2) come
 * from real SYSPRO SQL (contract §3.4); `SupplierName` (50) and `Currency` (3) are SYSPRO's usual
 * widths, unconfirmed. Other fields are left to SYSPRO: the plan is posted with ValidateOnly first,
 * so a width we do not know still ends as a clear rejection, never a truncated supplier. */
export const SUPPLIER_FIELD_LIMITS = {
  supplier: 15,
  supplierName: 50,
  currency: 3,
  termsCode: 2,
} as const;

export type VendorOnlyDecision =
  | { readonly action: "hold"; readonly exception: SyncException }
  | { readonly action: "create"; readonly plan: SupplierSetupPlan }
  | { readonly action: "invalid"; readonly exception: SyncException }
  /** An inactive vendor: there is nothing to make available in SYSPRO. */
  | { readonly action: "skip"; readonly detail: string };

export function planVendorOnlyInAvid(
  vendor: Vendor,
  policy: ConnectionPolicies["vendorOnlyInAvid"],
  defaults: SupplierDefaults = {},
): VendorOnlyDecision {
  const code = vendor.externalVendorCode.trim();
  if (!vendor.active) {
    return { action: "skip", detail: `vendor ${code || vendor.name} is inactive` };
  }
  if (policy === "HOLD") {
    return {
      action: "hold",
      exception: syncException("VENDOR_NOT_IN_SYSPRO", `vendor ${code || vendor.name}`, {
        externalVendorCode: code,
        name: vendor.name,
      }),
    };
  }
  const plan = vendorToSupplierSetup(vendor, defaults);
  const errors = validateSupplierSetup(plan);
  if (errors.length > 0) {
    return {
      action: "invalid",
      exception: syncException("SUPPLIER_SETUP_INVALID", errors.join("; "), {
        externalVendorCode: code,
        errors,
      }),
    };
  }
  return { action: "create", plan };
}

export function vendorToSupplierSetup(
  vendor: Vendor,
  defaults: SupplierDefaults,
): SupplierSetupPlan {
  const address = vendor.address;
  const name = vendor.name.trim();
  const remit = vendor.nameOnCheck.trim();
  return {
    kind: "APSSSP",
    supplier: vendor.externalVendorCode.trim(),
    supplierName: name,
    currency: defaults.currency?.trim() ?? "",
    ...optional("termsCode", defaults.termsCode),
    ...optional("bank", defaults.bank),
    ...optional("branch", defaults.branch),
    ...optional("supplierClass", defaults.supplierClass),
    ...optional("telephone", vendor.telephone),
    ...optional("email", vendor.email),
    ...optional("taxRegnNum", vendor.fedTaxId),
    supAddr: [
      address.line1?.trim() ?? "",
      address.line2?.trim() ?? "",
      address.city?.trim() ?? "",
      address.state?.trim() ?? "",
      address.country?.trim() ?? "",
    ],
    ...optional("supPostalCode", address.postalCode),
    ...(remit && remit !== name ? { remitName: remit } : {}),
    onHold: false,
  };
}

/** Every reason SYSPRO would (or should) refuse this supplier; empty when it may be posted. */
export function validateSupplierSetup(plan: SupplierSetupPlan): string[] {
  const errors: string[] = [];
  if (!plan.supplier) {
    errors.push("supplier code is missing (the vendor has no ExternalVendorCode)");
  } else if (/[\s\p{Cc}]/u.test(plan.supplier)) {
    errors.push(`supplier code "${plan.supplier}" contains spaces or control characters`);
  }
  if (!plan.supplierName) {
    errors.push("supplier name is missing");
  }
  if (!plan.currency) {
    errors.push("currency is missing (set the connection's default supplier currency)");
  }
  for (const [field, limit] of Object.entries(SUPPLIER_FIELD_LIMITS)) {
    const value = (plan as unknown as Record<string, unknown>)[field];
    if (typeof value === "string" && value.length > limit) {
      errors.push(`${field} "${value}" is longer than ${limit} characters`);
    }
  }
  if (plan.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(plan.email)) {
    errors.push(`email "${plan.email}" is not an e-mail address`);
  }
  return errors;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  const text = value?.trim();
  return (text ? { [key]: text } : {}) as { [P in K]?: string };
}
