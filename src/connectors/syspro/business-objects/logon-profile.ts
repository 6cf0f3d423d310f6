/** GetLogonProfile (contract §1.3): company name and SYSPRO version for the diagnosis. */
import type { LogonProfile } from "../types.js";
import { elementNames, parseXml, textOf, walk } from "../xml.js";

/** Reads the profile fields wherever they sit (the root name is not documented). */
export function parseLogonProfile(xml: string): LogonProfile {
  const doc = parseXml(xml);
  const fields: Record<string, string> = {};
  for (const { name, node } of walk(doc.root, doc.rootName)) {
    if (elementNames(node).length === 0 && !(name in fields)) {
      fields[name] = textOf(node);
    }
  }
  const get = (name: string): string | undefined => {
    const key = Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
    const value = key === undefined ? undefined : fields[key];
    return value === "" ? undefined : value;
  };
  return {
    CompanyName: get("CompanyName"),
    CompanyId: get("CompanyId") ?? get("Company"),
    OperatorCode: get("OperatorCode"),
    SysproVersion: get("SysproVersion") ?? get("Version"),
    EnetVersion: get("EnetVersion"),
    AccountingDate: get("AccountingDate"),
    DefaultApBranch: get("DefaultApBranch"),
    DefaultBank: get("DefaultBank"),
    LocalCurrencyCode: get("LocalCurrencyCode"),
    fields,
  };
}
