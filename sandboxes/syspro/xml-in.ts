/**
 * Reading the XML documents clients send (XmlIn, XmlParameters, the PostLD body). Element names are
 * matched exactly, as SYSPRO's XSDs do: a misspelt element is an unknown element, and unknown elements
 * are silently ignored (contract §1.5).
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** A parsed element: text, or children by name (repeating ones as arrays). */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/** Elements that may repeat; always parsed as arrays. */
const REPEATING = new Set([
  "Item",
  "LedgerDistribution",
  "JournalDetails",
  "ReleasedInvoice",
  "Expression",
  "GrnDetails",
  "Filter",
]);
const REPEATING_PATHS = [/Columns\.Column$/, /OrderBy\.Column$/, /BrowseDetails\.Column$/];

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  removeNSPrefix: true,
  isArray: (name, jpath) =>
    REPEATING.has(name) || REPEATING_PATHS.some((re) => re.test(String(jpath))),
});

export class XmlInError extends Error {
  override name = "XmlInError";
  readonly code = "XML_IN_INVALID";
}

/** Parses a document and returns its root element's name and content. */
export function parseXml(text: string, what: string): { root: string; body: XmlObject } {
  const trimmed = text.trim();
  if (trimmed === "") {
    throw new XmlInError(`${what} is empty`);
  }
  if (/<!DOCTYPE/i.test(trimmed)) {
    throw new XmlInError(`${what}: DTDs are not allowed`);
  }
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) {
    throw new XmlInError(
      `${what} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`,
    );
  }
  const parsed = parser.parse(trimmed) as XmlObject;
  const roots = Object.keys(parsed);
  const root = roots[0];
  if (root === undefined || roots.length !== 1) {
    throw new XmlInError(`${what} must have exactly one root element`);
  }
  const body = parsed[root];
  return { root, body: typeof body === "object" && !Array.isArray(body) ? body : {} };
}

/** Text of a child element ('' when empty, undefined when absent). */
export function text(node: XmlValue | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) {
    return undefined;
  }
  const v = node[name];
  if (v === undefined) {
    return undefined;
  }
  if (typeof v === "string") {
    return v;
  }
  return Array.isArray(v) ? text({ v: v[0] ?? "" }, "v") : "";
}

export function child(node: XmlValue | undefined, name: string): XmlObject | undefined {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) {
    return undefined;
  }
  const v = node[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "object" && first !== null && !Array.isArray(first)
    ? first
    : typeof first === "string"
      ? {}
      : undefined;
}

/** Repeating children as objects (empty elements become {}). */
export function children(node: XmlValue | undefined, name: string): XmlObject[] {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) {
    return [];
  }
  const v = node[name];
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.map((x) => (typeof x === "object" && !Array.isArray(x) ? x : {}));
}

/** Repeating children's text values. */
export function texts(node: XmlValue | undefined, name: string): string[] {
  if (node === undefined || typeof node === "string" || Array.isArray(node)) {
    return [];
  }
  const v = node[name];
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.map((x) => (typeof x === "string" ? x : ""));
}

/** A Y/N flag with a default. */
export function flag(node: XmlValue | undefined, name: string, fallback: "Y" | "N"): "Y" | "N" {
  const v = text(node, name)?.trim().toUpperCase();
  return v === "Y" || v === "N" ? v : fallback;
}
