import type { AvidVendor, AvidVendorInput } from "../../connectors/avidxchange/types.js";
import type { ApSupplier } from "../../connectors/syspro/types.js";
import type { Supplier, Vendor } from "../domain.js";

/*
 * The edges of flow 1: SYSPRO supplier and AvidXchange vendor wire shapes to and from the domain.
 */

/** Wire → domain at the edge: SYSPRO pads char columns; SupAddr1–5 are line1, line2, city, state, country. */
export function fromApSupplier(s: ApSupplier): Supplier {
  const opt = <K extends string>(key: K, value: string | null | undefined) =>
    value && value.trim() ? ({ [key]: value.trim() } as Record<K, string>) : {};
  return {
    code: s.Supplier.trim(),
    name: s.SupplierName.trim(),
    ...opt("shortName", s.SupShortName),
    currency: (s.Currency ?? "").trim(),
    ...opt("termsCode", s.TermsCode),
    ...opt("branch", s.Branch),
    ...opt("bank", s.Bank),
    onHold: (s.OnHold ?? "").trim().toUpperCase() === "Y",
    ...opt("taxRegistration", s.TaxRegnNum),
    ...opt("telephone", s.Telephone),
    ...opt("email", s.Email),
    ...opt("contact", s.Contact),
    address: {
      ...opt("line1", s.SupAddr1),
      ...opt("line2", s.SupAddr2),
      ...opt("city", s.SupAddr3),
      ...opt("state", s.SupAddr4),
      ...opt("country", s.SupAddr5),
      ...opt("postalCode", s.SupPostalCode),
    },
  };
}

export function toAvidVendorInput(v: Vendor): AvidVendorInput {
  return {
    ExternalVendorCode: v.externalVendorCode,
    Name: v.name,
    NameOnCheck: v.nameOnCheck,
    FedTaxId: v.fedTaxId,
    Address: {
      Line1: v.address.line1,
      Line2: v.address.line2,
      City: v.address.city,
      State: v.address.state,
      Country: v.address.country,
      PostalCode: v.address.postalCode,
    },
    Telephone1: v.telephone,
    Email: v.email,
    Website: v.website,
    Active: v.active,
  };
}

export function fromAvidVendor(v: AvidVendor): Vendor {
  const str = (key: string): string | undefined => {
    const value = v[key];
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  const addr = (
    typeof v["Address"] === "object" && v["Address"] !== null ? v["Address"] : {}
  ) as Record<string, unknown>;
  const a = (key: string): string | undefined => {
    const value = addr[key];
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  const opt = <K extends string>(key: K, value: string | undefined) =>
    value ? ({ [key]: value } as Record<K, string>) : {};
  return {
    externalVendorCode: v.ExternalVendorCode.trim(),
    name: str("Name") ?? "",
    nameOnCheck: str("NameOnCheck") ?? str("Name") ?? "",
    ...opt("fedTaxId", str("FedTaxId")),
    address: {
      ...opt("line1", a("Line1")),
      ...opt("line2", a("Line2")),
      ...opt("city", a("City")),
      ...opt("state", a("State")),
      ...opt("country", a("Country")),
      ...opt("postalCode", a("PostalCode")),
    },
    ...opt("telephone", str("Telephone1")),
    ...opt("email", str("Email")),
    ...opt("website", str("Website")),
    active: v["Active"] !== false && v["IsActive"] !== false,
  };
}
