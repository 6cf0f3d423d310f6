/**
 * What every business-object response shares: the root check, the error/warning sweep, the
 * StatusOfItems counters, and the rule that any error or invalid count means the document failed.
 */
import { SysproBusinessRejectionError } from "../errors.js";
import type { WriteOutcome } from "../types.js";
import {
  child,
  childText,
  collectMessages,
  elementNames,
  parseCounter,
  parseXmlWithRoot,
  readStatusOfItems,
  textOf,
  type XDoc,
  type XNode,
} from "../xml.js";

/** Options every write takes. */
export interface WriteOptions {
  /** Send `ValidateOnly=Y`: SYSPRO validates and returns, changing nothing (dry runs). */
  validateOnly?: boolean;
  /** `IgnoreWarnings=Y` (post despite warnings such as "supplier on hold"). Default N. */
  ignoreWarnings?: boolean;
}

/** The XML pair a setup or transaction object sends. */
export interface WriteDocument {
  businessObject: string;
  xmlParameters: string;
  xmlIn: string;
}

/** Parses a write's XmlOut; throws `SysproBusinessRejectionError` with every SYSPRO message. */
export function parseWriteOutput(
  businessObject: string,
  xml: string,
  roots: readonly string[],
  validateOnly: boolean,
): { doc: XDoc; outcome: WriteOutcome } {
  const doc = parseXmlWithRoot(xml, roots);
  const { errors, warnings } = collectMessages(doc);
  const status = readStatusOfItems(doc);
  const invalid = status?.invalid ?? 0;
  if (errors.length > 0 || invalid > 0) {
    throw new SysproBusinessRejectionError(
      businessObject,
      errors.length > 0 ? errors : [{ text: `${invalid} item(s) invalid, no reason given` }],
      { warnings, validateOnly },
    );
  }
  return { doc, outcome: { validateOnly, warnings, counters: status?.counters ?? {} } };
}

/** Parses a query's XmlOut; errors inside it are a rejection too. */
export function parseQueryOutput(
  businessObject: string,
  xml: string,
  roots: readonly string[],
): XDoc {
  const doc = parseXmlWithRoot(xml, roots);
  const { errors, warnings } = collectMessages(doc);
  if (errors.length > 0) {
    throw new SysproBusinessRejectionError(businessObject, errors, { warnings });
  }
  return doc;
}

/** Every leaf element of `node` by its SYSPRO name (first occurrence wins). */
export function leafFields(node: XNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of elementNames(node)) {
    const c = child(node, name);
    if (c && elementNames(c).length === 0 && !(name in out)) {
      out[name] = textOf(c);
    }
  }
  return out;
}

/** An integer child (`00017`, `   1`) or undefined when absent or empty. */
export function optionalInt(node: XNode | undefined, name: string): number | undefined {
  const t = childText(node, name);
  return t === undefined || t.trim() === "" ? undefined : parseCounter(t, name);
}

/** A text child or undefined when absent or empty. */
export function optionalText(node: XNode | undefined, name: string): string | undefined {
  const t = childText(node, name);
  return t === undefined || t === "" ? undefined : t;
}
