/**
 * Writing XmlOut: a small element tree rendered compactly, the XML declaration SYSPRO emits, and the
 * counter formats seen live (zero-padded, space-padded) and in samples (plain).
 */
import type { Variants } from "./types.js";

export interface XNode {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XNode[];
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

function escapeAttr(s: string): string {
  return escapeXml(s).replace(/"/g, "&quot;");
}

/** An element with text or children; `undefined` text renders as an empty element. */
export function el(
  name: string,
  content?: string | number | XNode[],
  attrs?: Record<string, string>,
): XNode {
  const node: XNode = { name };
  if (attrs !== undefined) {
    node.attrs = attrs;
  }
  if (Array.isArray(content)) {
    node.children = content;
  } else if (content !== undefined) {
    node.text = String(content);
  }
  return node;
}

export function render(node: XNode): string {
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join("");
  if (node.children !== undefined && node.children.length > 0) {
    return `<${node.name}${attrs}>${node.children.map(render).join("")}</${node.name}>`;
  }
  if (node.text !== undefined && node.text !== "") {
    return `<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`;
  }
  return `<${node.name}${attrs}/>`;
}

export function declaration(variant: Variants["declaration"]): string {
  switch (variant) {
    case "windows-1252":
      return '<?xml version="1.0" encoding="Windows-1252"?>';
    case "utf-8":
      return '<?xml version="1.0" encoding="UTF-8"?>';
    default:
      return "";
  }
}

/** A whole XmlOut document. */
export function document(root: XNode, variants: Variants): string {
  return `${declaration(variants.declaration)}${render(root)}`;
}

/** StatusOfItems counters: '000001' (live), '     1', or '1' (samples). */
export function counter(n: number, variant: Variants["counters"]): string {
  switch (variant) {
    case "zero":
      return String(n).padStart(6, "0");
    case "space":
      return String(n).padStart(6, " ");
    default:
      return String(n);
  }
}

/** Root attributes seen on live XmlOut (contract §1.5). */
export const ROOT_ATTRIBUTES: Record<string, string> = {
  Language: "05",
  Language2: "EN",
  CssStyle: "",
  DecFormat: "1",
  DateFormat: "01",
  Role: "01",
  Version: "8.0.161",
  OperatorPrimaryRole: "017",
};

/** Setup/Transaction roots are lower-cased by SYSPRO ('postapinvoice'); the variant keeps the input's case. */
export function outRoot(name: string, variants: Variants): string {
  return variants.rootCase === "lower" ? name.toLowerCase() : name;
}
