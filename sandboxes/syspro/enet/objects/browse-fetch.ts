/**
 * COMBRW (Query/Browse) and COMFCH (Query/Fetch), minimal [I]: the contract lists the endpoints only.
 * Shapes follow a public REST client's templates: Browse returns rows of `<Col><Value/><DataType/></Col>`
 * plus NextPrevKey; Fetch returns the table name as root with one element per column.
 */
import type { Expr } from "../../tables/expr.js";
import { child, children, text } from "../../xml-in.js";
import { document, el } from "../../xml-out.js";
import { columnOf, tableByName } from "./comfnd.js";
import { EnetError, queryRoot, readXml } from "./common.js";
import type { ObjectContext } from "./common.js";

export function runCombrw(ctx: ObjectContext, xmlIn: string): string {
  const { state, variants } = ctx;
  const body = readXml(xmlIn, "XmlIn", "Browse", "COMBRW");
  const details = child(body, "BrowseDetails");
  const table = tableByName(ctx, text(details, "TableName") ?? text(body, "BrowseName") ?? "");
  const rows = Math.max(1, Number(text(body, "ReturnRows") ?? "10") || 10);
  const listed = children(details, "Column")
    .map((c) => text(c, "ColumnName")?.trim() ?? "")
    .filter((c) => c !== "")
    .map((c) => columnOf(table, c));
  const columnNames = listed.length > 0 ? listed : table.columns.map((c) => c.name);
  const keyCol = table.key[0]!;
  const start = (text(body, "StartAtKey") ?? "").trim();
  const filter: Expr | undefined =
    start === ""
      ? undefined
      : { kind: "cmp", op: "ge", column: keyCol, value: { type: "string", value: start } };
  const orderBy = [{ column: keyCol, desc: false }];
  const page = state.engine.page(
    table,
    filter === undefined ? { orderBy } : { filter, orderBy },
    0,
    rows,
  );
  const types = new Map(table.columns.map((c) => [c.name, c.type]));
  const out = queryRoot("Browse", [
    el("Title", text(details, "Title") ?? table.name),
    el("HeaderDetails", [el("TableName", table.name), el("RowsReturned", page.rows.length)]),
    ...page.rows.map((r) =>
      el(
        "Row",
        columnNames.map((c) =>
          el(c, [el("Value", r[c] ?? ""), el("DataType", types.get(c) ?? "string")]),
        ),
      ),
    ),
    el("NextPrevKey", [
      el("NextKey", page.more ? (page.rows[page.rows.length - 1]?.[keyCol] ?? "") : ""),
    ]),
  ]);
  return document(out, variants);
}

export function runComfch(ctx: ObjectContext, xmlIn: string): string {
  const { state, variants } = ctx;
  const body = readXml(xmlIn, "XmlIn", "Fetch", "COMFCH");
  const table = tableByName(ctx, text(body, "TableName") ?? "");
  const values: Record<string, string> = {};
  const keyValues = [
    text(body, "Key"),
    ...table.key.slice(1).map((_, i) => text(body, `OptionalKey${i + 1}`)),
  ];
  table.key.forEach((k, i) => {
    const v = keyValues[i]?.trim();
    if (v !== undefined && v !== "") {
      values[columnOf(table, k)] = v;
    }
  });
  if (Object.keys(values).length === 0) {
    throw new EnetError("A key is required for COMFCH");
  }
  const found = state.find(table, values);
  if (found === undefined) {
    throw new EnetError(`Record not found on table '${table.name}'`);
  }
  return document(
    queryRoot(
      table.name,
      table.columns.map((c) => el(c.name, found[1][c.name] ?? "")),
    ),
    variants,
  );
}
