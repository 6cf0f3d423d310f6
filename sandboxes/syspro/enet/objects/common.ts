/**
 * What every business object shares: the call context, `ERROR:` exceptions (contract §1.5 layer 2),
 * reading the two documents of Setup/Transaction objects, and the item loop that honours ValidateOnly,
 * ApplyIfEntireDocumentValid and IgnoreWarnings (contract §2.1).
 */
import { rejecting } from "../../ledger/field-error.js";
import type { FieldError } from "../../ledger/field-error.js";
import { createScratch } from "../../ledger/scratch.js";
import type { Scratch } from "../../ledger/scratch.js";
import type { SysproState } from "../../state.js";
import type { Variants } from "../../types.js";
import { child, children, flag, parseXml, XmlInError } from "../../xml-in.js";
import type { XmlObject } from "../../xml-in.js";
import { el, ROOT_ATTRIBUTES } from "../../xml-out.js";
import type { XNode } from "../../xml-out.js";
import type { Session } from "../sessions.js";

export interface ObjectContext {
  state: SysproState;
  session: Session;
  variants: Variants;
}

/** Answered as an HTTP 200 `ERROR: …` text body. */
export class EnetError extends Error {
  override name = "EnetError";
  readonly code = "ENET_ERROR";
}

export function isEnetError(e: unknown): e is EnetError {
  return e instanceof EnetError;
}

/** Parses XmlIn (or XmlParameters) and checks its root, as SYSPRO's XSD validation does. */
export function readXml(
  xml: string,
  what: string,
  expectedRoot: string,
  businessObject: string,
): XmlObject {
  try {
    const { root, body } = parseXml(xml, what);
    if (root !== expectedRoot) {
      throw new EnetError(
        `${what} root element '${root}' is not valid for business object ${businessObject}; expected '${expectedRoot}'`,
      );
    }
    return body;
  } catch (e) {
    if (e instanceof XmlInError) {
      throw new EnetError(e.message);
    }
    throw e;
  }
}

export interface DocumentParams {
  validateOnly: boolean;
  applyIfEntireDocumentValid: boolean;
  ignoreWarnings: "N" | "Y" | "W";
  raw: XmlObject;
}

/** Reads XmlParameters (optional: defaults apply when it is empty) and the items of XmlIn. */
export function readDocument(
  xmlParameters: string,
  xmlIn: string,
  root: string,
  businessObject: string,
): { params: DocumentParams; body: XmlObject; items: XmlObject[] } {
  const paramsDoc =
    xmlParameters.trim() === ""
      ? {}
      : readXml(xmlParameters, "XmlParameters", root, businessObject);
  const raw = child(paramsDoc, "Parameters") ?? {};
  const body = readXml(xmlIn, "XmlIn", root, businessObject);
  const iw = typeof raw.IgnoreWarnings === "string" ? raw.IgnoreWarnings.trim().toUpperCase() : "N";
  return {
    params: {
      validateOnly: flag(raw, "ValidateOnly", "N") === "Y",
      applyIfEntireDocumentValid: flag(raw, "ApplyIfEntireDocumentValid", "Y") === "Y",
      ignoreWarnings: iw === "Y" || iw === "W" ? iw : "N",
      raw,
    },
    body,
    items: children(body, "Item"),
  };
}

export interface ItemOutcome<P> {
  /** Errors that reject the item (warnings included when IgnoreWarnings=N). */
  errors: FieldError[];
  /** Warnings that did not reject it. */
  warnings: FieldError[];
  plan?: P;
  /** True when the item changed the ledger. */
  applied: boolean;
}

/** Validates every item (each seeing the effects of the valid ones before it), then applies per the parameters. */
export function processItems<I, P>(
  items: readonly I[],
  params: DocumentParams,
  validate: (item: I, scratch: Scratch) => { errors: FieldError[]; plan?: P },
  note: (plan: P, scratch: Scratch) => void,
  apply: (plan: P, index: number) => void,
): ItemOutcome<P>[] {
  const scratch = createScratch();
  const outcomes = items.map((item): ItemOutcome<P> => {
    const r = validate(item, scratch);
    const errors = rejecting(r.errors, params.ignoreWarnings);
    const warnings = r.errors.filter((e) => !errors.includes(e));
    if (errors.length > 0 || r.plan === undefined) {
      return { errors, warnings, applied: false };
    }
    note(r.plan, scratch);
    return { errors, warnings, plan: r.plan, applied: false };
  });
  const anyInvalid = outcomes.some((o) => o.errors.length > 0);
  if (params.validateOnly || (params.applyIfEntireDocumentValid && anyInvalid)) {
    return outcomes;
  }
  outcomes.forEach((o, i) => {
    if (o.plan !== undefined) {
      apply(o.plan, i);
      o.applied = true;
    }
  });
  return outcomes;
}

/** A query object's root, with the attributes SYSPRO puts on every XmlOut. */
export function queryRoot(name: string, content: XNode[]): XNode {
  return el(name, content, ROOT_ATTRIBUTES);
}

/** Text of an element of an item, or undefined. */
export function str(node: XmlObject | undefined, name: string): string | undefined {
  const v = node?.[name];
  if (v === undefined) {
    return undefined;
  }
  return typeof v === "string" ? v : Array.isArray(v) ? (typeof v[0] === "string" ? v[0] : "") : "";
}

/** All simple (text) children of an element, by name. */
export function textChildren(node: XmlObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(node)) {
    if (typeof v === "string") {
      out[k] = v;
    }
  }
  return out;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
