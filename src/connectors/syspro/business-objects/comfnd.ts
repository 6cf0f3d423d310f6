/**
 * COMFND — generic table find (contract §2.7): a filtered read through e.net, used to ask "does this
 * reference exist?" after an ambiguous write. Values travel as escaped XML text, table and column
 * names must be plain identifiers, so nothing a supplier typed can change the query.
 */
import { z } from "zod";

import { code, text, validateDocument } from "../wire-values.js";
import { children, documentXml, elementNames, leaf, node, textOf, child } from "../xml.js";
import { parseQueryOutput } from "./outcome.js";
import type { QueryDocument } from "./queries.js";

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "a table or column name");

export const comfndQuerySchema = z.strictObject({
  TableName: identifier,
  /** Columns to return; empty = all columns (`AllColumns=Y`). */
  Columns: z.array(identifier).max(200).default([]),
  Where: z
    .array(
      z.strictObject({
        Column: identifier,
        Condition: z.enum(["EQ", "NE", "LT", "LE", "GT", "GE", "LIKE"]).default("EQ"),
        Value: text(200),
        /** How this expression joins the previous one. Default And. */
        AndOr: z.enum(["And", "Or"]).default("And"),
      }),
    )
    .max(50)
    .default([]),
  OrderBy: z.array(identifier).max(10).default([]),
  ReturnRows: z.number().int().min(1).max(100_000).default(1000),
});

export type ComfndQuery = z.input<typeof comfndQuerySchema>;

export function buildComfnd(query: ComfndQuery): QueryDocument {
  const q = validateDocument("COMFND", comfndQuerySchema, query);
  const xmlIn = documentXml(
    "Query",
    "COMFND.XSD",
    leaf("TableName", q.TableName),
    leaf("ReturnRows", String(q.ReturnRows)),
    leaf("AllColumns", q.Columns.length === 0 ? "Y" : "N"),
    q.Columns.length === 0 ? "" : node("Columns", ...q.Columns.map((c) => leaf("Column", c))),
    q.Where.length === 0
      ? ""
      : node(
          "Where",
          ...q.Where.map((w, i) =>
            node(
              "Expression",
              i === 0 ? "" : leaf("AndOr", w.AndOr),
              leaf("OpenBracket", "("),
              leaf("Column", w.Column),
              leaf("Condition", w.Condition),
              leaf("Value", w.Value),
              leaf("CloseBracket", ")"),
            ),
          ),
        ),
    q.OrderBy.length === 0 ? "" : node("OrderBy", ...q.OrderBy.map((c) => leaf("Column", c))),
  );
  return { businessObject: "COMFND", xmlIn };
}

/**
 * Rows of a COMFND XmlOut (root = the table name, one `<Row>` per row). Keys are the requested
 * column names when columns were named (matched case-insensitively), else the names as sent.
 */
export function parseComfnd(xml: string, query: ComfndQuery): Record<string, string>[] {
  const table = validateDocument("COMFND", code(64), query.TableName);
  const doc = parseQueryOutput("COMFND", xml, [table]);
  const requested = query.Columns ?? [];
  return children(doc.root, "Row").map((row) => {
    const out: Record<string, string> = {};
    if (requested.length > 0) {
      for (const column of requested) {
        out[column] = textOf(child(row, column));
      }
    } else {
      for (const name of elementNames(row)) {
        out[name] = textOf(child(row, name));
      }
    }
    return out;
  });
}
