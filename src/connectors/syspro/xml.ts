/**
 * The e.net wire format: decoding response bodies, parsing XmlOut robustly, and building our own
 * documents. Every robustness rule of contract §7 that concerns XML lives here:
 * - bodies may be plain, JSON-quoted or `<string>`-wrapped, and may declare Windows-1252;
 * - root (and every) element names are matched case-insensitively;
 * - counters may be zero- or space-padded;
 * - any `ErrorDescription` anywhere means the item failed: all messages are collected;
 * - a DOCTYPE or ENTITY declaration is refused, never expanded (entity processing is off and only
 *   the five predefined entities and character references are decoded, by us).
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

import { SysproMalformedResponseError, type SysproMessage } from "./errors.js";

/** A parsed element: child elements by name (always arrays), `#text`, `#cdata`, `@attributes`. */
export interface XNode {
  [name: string]: XNode[] | string | undefined;
}

export interface XDoc {
  /** The root element's name as sent (any case). */
  rootName: string;
  root: XNode;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  cdataPropName: "#cdata",
  textNodeName: "#text",
  alwaysCreateTextNode: true,
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
});

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Windows-1252 → text. Node's TextDecoder("windows-1252") decodes as ISO-8859-1 (0x80 → U+0080, not
 * €), so the 0x80–0x9F block is mapped here; undefined bytes map to U+FFFD.
 */
const CP1252_HIGH = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
];
function decodeCp1252(body: Uint8Array): string {
  let out = "";
  for (let i = 0; i < body.length; i += 8192) {
    const chunk = body.subarray(i, i + 8192);
    out += String.fromCharCode(
      ...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? 0xfffd) : b)),
    );
  }
  return out;
}

/**
 * Bytes → text. SYSPRO declares `encoding="Windows-1252"`, but a body that is valid UTF-8 is read as
 * UTF-8 (the WCF layer re-encodes, and JSON-quoted bodies are UTF-8); anything else is Windows-1252.
 */
export function decodeBody(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch {
    return decodeCp1252(body);
  }
}

/**
 * Strips the wrappers e.net versions put around a response: a BOM, surrounding whitespace, a JSON
 * string (`"…"`), or a lone `<string xmlns="…">…</string>` element.
 */
export function unwrapBody(text: string): string {
  let t = text.replace(/^\uFEFF/, "").trim();
  if (t.startsWith('"')) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(t);
    } catch (cause) {
      throw new SysproMalformedResponseError("invalid_json", "JSON-quoted body is not valid JSON", {
        cause,
      });
    }
    if (typeof decoded !== "string") {
      throw new SysproMalformedResponseError("invalid_json", "JSON body is not a string");
    }
    t = decoded.trim();
  }
  const wrapped = /^<string(?:\s[^>]*)?>([\s\S]*)<\/string>$/.exec(t);
  if (wrapped) {
    t = decodeEntities(wrapped[1] ?? "").trim();
  } else if (/^<string(?:\s[^>]*)?\/>$/.test(t)) {
    t = "";
  }
  return t;
}

/** The five predefined XML entities and numeric character references; nothing else. */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) {
    return s;
  }
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, ent: string) => {
    switch (ent) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "amp":
        return "&";
      case "quot":
        return '"';
      case "apos":
        return "'";
      default: {
        const code =
          ent[1] === "x" || ent[1] === "X"
            ? parseInt(ent.slice(2), 16)
            : parseInt(ent.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
    }
  });
}

/** Refuses a DOCTYPE or ENTITY declaration anywhere: we never expand entities from a response. */
export function assertNoDoctype(text: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new SysproMalformedResponseError(
      "doctype",
      "response contains a DOCTYPE or ENTITY declaration; refused",
    );
  }
}

/** Parses an XmlOut (or any e.net XML). Throws `SysproMalformedResponseError` on anything off. */
export function parseXml(text: string): XDoc {
  assertNoDoctype(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new SysproMalformedResponseError(
      "invalid_xml",
      `response is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`,
    );
  }
  const parsed = parser.parse(text) as XNode;
  const names = Object.keys(parsed).filter((k) => !k.startsWith("#") && !k.startsWith("@"));
  const rootName = names[0];
  const root = rootName === undefined ? undefined : (parsed[rootName] as XNode[] | undefined)?.[0];
  if (names.length !== 1 || rootName === undefined || root === undefined) {
    throw new SysproMalformedResponseError("invalid_xml", "response has no single root element");
  }
  return { rootName, root };
}

/** Parses and checks the root name (case-insensitively). */
export function parseXmlWithRoot(text: string, expected: readonly string[]): XDoc {
  const doc = parseXml(text);
  if (!expected.some((e) => e.toLowerCase() === doc.rootName.toLowerCase())) {
    throw new SysproMalformedResponseError(
      "unexpected_shape",
      `expected root <${expected.join("|")}>, got <${doc.rootName}>`,
    );
  }
  return doc;
}

function isElementKey(key: string): boolean {
  return !key.startsWith("#") && !key.startsWith("@");
}

/** All child elements named `name` (any case), in document order per spelling. */
export function children(node: XNode | undefined, name: string): XNode[] {
  if (!node) {
    return [];
  }
  const lower = name.toLowerCase();
  const out: XNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (isElementKey(key) && key.toLowerCase() === lower && Array.isArray(value)) {
      out.push(...value);
    }
  }
  return out;
}

export function child(node: XNode | undefined, name: string): XNode | undefined {
  return children(node, name)[0];
}

/** Follows a path of element names: `path(root, "Item", "Transaction", "Key")`. */
export function path(node: XNode | undefined, ...names: string[]): XNode | undefined {
  let current = node;
  for (const n of names) {
    current = child(current, n);
  }
  return current;
}

/** An element's text (entities decoded, CDATA appended verbatim), trimmed. */
export function textOf(node: XNode | undefined): string {
  if (!node) {
    return "";
  }
  const text = typeof node["#text"] === "string" ? decodeEntities(node["#text"]) : "";
  // CDATA is verbatim: its `#text` is taken as is, never entity-decoded.
  const cdataRaw = node["#cdata"];
  const cdata = Array.isArray(cdataRaw)
    ? cdataRaw.map((c) => (typeof c["#text"] === "string" ? c["#text"] : "")).join("")
    : typeof cdataRaw === "string"
      ? cdataRaw
      : "";
  return (text + cdata).trim();
}

/** Text of the first child named `name`, or undefined when there is no such element. */
export function childText(node: XNode | undefined, name: string): string | undefined {
  const c = child(node, name);
  return c === undefined ? undefined : textOf(c);
}

export function attr(node: XNode | undefined, name: string): string | undefined {
  if (!node) {
    return undefined;
  }
  const lower = `@${name.toLowerCase()}`;
  for (const [key, value] of Object.entries(node)) {
    if (key.toLowerCase() === lower && typeof value === "string") {
      return decodeEntities(value);
    }
  }
  return undefined;
}

/** Child element names as sent, each once, in first-seen order. */
export function elementNames(node: XNode | undefined): string[] {
  return node ? Object.keys(node).filter(isElementKey) : [];
}

/** Every element (depth-first), with its name and parent. */
export function* walk(
  node: XNode,
  name: string,
  parent?: XNode,
): Generator<{ name: string; node: XNode; parent: XNode | undefined }> {
  yield { name, node, parent };
  for (const key of elementNames(node)) {
    for (const c of children(node, key)) {
      yield* walk(c, key, node);
    }
  }
}

/**
 * Every error and warning in an XmlOut. An error is any element holding an `ErrorDescription` or a
 * non-zero `ErrorNumber` (field-level `<Field><Value/><ErrorNumber/><ErrorDescription/></Field>`,
 * `<ErrorMessage>`), plus a non-empty `GlJournalError`. Warnings are `WarningDescription`,
 * `WarningMessage(s)` texts and a non-empty `GlJournalMessage`.
 */
export function collectMessages(doc: XDoc): { errors: SysproMessage[]; warnings: string[] } {
  const errors: SysproMessage[] = [];
  const warnings: string[] = [];
  for (const { name, node } of walk(doc.root, doc.rootName)) {
    const lower = name.toLowerCase();
    const description = childText(node, "ErrorDescription");
    const number = childText(node, "ErrorNumber");
    const hasNumber = number !== undefined && number !== "" && !/^0+$/.test(number);
    if ((description !== undefined && description !== "") || hasNumber) {
      const value = childText(node, "Value");
      const isContainer = ["errormessage", "error", "errors", "item"].includes(lower);
      errors.push({
        text: description || `SYSPRO error ${number ?? ""}`.trim(),
        ...(hasNumber ? { number } : {}),
        ...(isContainer ? {} : { field: name }),
        ...(value !== undefined && value !== "" ? { value } : {}),
      });
      continue;
    }
    if (lower === "gljournalerror" && textOf(node) !== "") {
      errors.push({ text: textOf(node), field: "GlJournal" });
    } else if (
      (lower === "warningdescription" ||
        lower === "gljournalmessage" ||
        lower.startsWith("warningmessage")) &&
      elementNames(node).length === 0 &&
      textOf(node) !== ""
    ) {
      warnings.push(textOf(node));
    }
  }
  return { errors, warnings };
}

/** A counter such as `000001`, `     1` or empty (= 0). */
export function parseCounter(text: string | undefined, what: string): number {
  const t = (text ?? "").trim();
  if (t === "") {
    return 0;
  }
  if (!/^[+-]?\d+$/.test(t)) {
    throw new SysproMalformedResponseError(
      "unexpected_shape",
      `${what} is not a number: "${t.slice(0, 20)}"`,
    );
  }
  return parseInt(t, 10);
}

export interface StatusOfItems {
  /** ItemsProcessed / RecordsRead / JournalsProcessed. */
  processed: number;
  /** ItemsInvalid / RecordsInvalid / JournalsInvalid + PostingsInvalid. */
  invalid: number;
  /** Every numeric counter under StatusOfItems, by its SYSPRO name. */
  counters: Record<string, number>;
}

export function readStatusOfItems(doc: XDoc): StatusOfItems | undefined {
  const status = child(doc.root, "StatusOfItems");
  if (!status) {
    return undefined;
  }
  const counters: Record<string, number> = {};
  for (const name of elementNames(status)) {
    const node = child(status, name);
    if (node && elementNames(node).length === 0) {
      const t = textOf(node);
      if (t === "" || /^[+-]?\d+$/.test(t)) {
        counters[name] = parseCounter(t, name);
      }
    }
  }
  const pick = (...names: string[]): number | undefined => {
    for (const n of names) {
      const key = Object.keys(counters).find((k) => k.toLowerCase() === n.toLowerCase());
      if (key !== undefined) {
        return counters[key];
      }
    }
    return undefined;
  };
  return {
    processed: pick("ItemsProcessed", "RecordsRead", "JournalsProcessed") ?? 0,
    invalid:
      (pick("ItemsInvalid", "RecordsInvalid", "JournalsInvalid") ?? 0) +
      (pick("PostingsInvalid") ?? 0),
    counters,
  };
}

// ---------------------------------------------------------------------------------------------
// Building our documents

// XML 1.0 forbids these; our schemas refuse them first, this is the last line.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Escapes text for an element. `>` is escaped too, so `]]>` can never close a CDATA section. */
export function escapeXml(value: string): string {
  if (FORBIDDEN.test(value)) {
    throw new Error("control character in XML text");
  }
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** `<Name>value</Name>`, or `<Name/>` for an absent or empty value. */
export function leaf(name: string, value: string | undefined | null): string {
  return value === undefined || value === null || value === ""
    ? `<${name}/>`
    : `<${name}>${escapeXml(value)}</${name}>`;
}

/** `<Name>children…</Name>`; children are already-built XML strings. */
export function node(name: string, ...childXml: readonly string[]): string {
  return `<${name}>${childXml.join("")}</${name}>`;
}

/** A business-object document with SYSPRO's schema-location attributes. */
export function documentXml(root: string, xsd: string, ...childXml: readonly string[]): string {
  return `<${root} xmlns:xsd="http://www.w3.org/2001/XMLSchema-instance" xsd:noNamespaceSchemaLocation="${xsd}">${childXml.join("")}</${root}>`;
}

export const yn = (flag: boolean | undefined): "Y" | "N" => (flag ? "Y" : "N");
