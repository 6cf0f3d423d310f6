/**
 * COMFND — generic table find (contract §2.7): TableName, Columns (or AllColumns), Where expressions
 * with brackets and And/Or, OrderBy, ReturnRows. Output: the table name as root, HeaderDetails, then one
 * `<Row>` per row. Conditions beyond EQ are [I]: NE, LT, LE, GT, GE, LIKE ('%' wildcards at either end).
 */
import type { CompareOp, Expr } from "../../tables/expr.js";
import type { Table } from "../../tables/table.js";
import { child, children, text, texts } from "../../xml-in.js";
import { document, el } from "../../xml-out.js";
import { EnetError, queryRoot, readXml } from "./common.js";
import type { ObjectContext } from "./common.js";
import { allTables } from "../../tables/seed.js";

const DEFAULT_RETURN_ROWS = 100;

export function tableByName(ctx: ObjectContext, name: string): Table {
  const t = allTables(ctx.state.tables).find(
    (x) => x.name.toLowerCase() === name.trim().toLowerCase(),
  );
  if (t === undefined) {
    throw new EnetError(`Table '${name.trim()}' is not available for COMFND`);
  }
  return t;
}

export function columnOf(table: Table, name: string): string {
  const c = table.columnInsensitive(name.trim());
  if (c === undefined) {
    throw new EnetError(`Column '${name.trim()}' not found on table '${table.name}'`);
  }
  return c.name;
}

type Tok = "(" | ")" | "and" | "or" | Expr;

function condition(table: Table, column: string, cond: string, value: string): Expr {
  const c = columnOf(table, column);
  const op = cond.trim().toUpperCase();
  if (op === "LIKE") {
    const starts = value.startsWith("%");
    const ends = value.endsWith("%") && value.length > 1;
    const core = value.replace(/^%/, "").replace(/%$/, "");
    if (starts && ends) {
      return { kind: "fn", fn: "contains", column: c, value: core };
    }
    if (ends) {
      return { kind: "fn", fn: "startswith", column: c, value: core };
    }
    if (starts) {
      return { kind: "fn", fn: "endswith", column: c, value: core };
    }
    return { kind: "cmp", op: "eq", column: c, value: { type: "string", value } };
  }
  const ops: Record<string, CompareOp> = {
    EQ: "eq",
    NE: "ne",
    LT: "lt",
    LE: "le",
    GT: "gt",
    GE: "ge",
  };
  const mapped = ops[op];
  if (mapped === undefined) {
    throw new EnetError(`Invalid condition '${cond}' in COMFND Where`);
  }
  return { kind: "cmp", op: mapped, column: c, value: { type: "string", value } };
}

function parseWhere(table: Table, where: ReturnType<typeof child>): Expr | undefined {
  const toks: Tok[] = [];
  children(where, "Expression").forEach((e, i) => {
    if (i > 0) {
      toks.push((text(e, "AndOr") ?? "And").trim().toLowerCase() === "or" ? "or" : "and");
    }
    for (const _ of (text(e, "OpenBracket") ?? "").replace(/[^(]/g, "")) {
      toks.push("(");
    }
    toks.push(
      condition(
        table,
        text(e, "Column") ?? "",
        text(e, "Condition") ?? "EQ",
        text(e, "Value") ?? "",
      ),
    );
    for (const _ of (text(e, "CloseBracket") ?? "").replace(/[^)]/g, "")) {
      toks.push(")");
    }
  });
  if (toks.length === 0) {
    return undefined;
  }
  let p = 0;
  const bad = (): never => {
    throw new EnetError("Unbalanced brackets in COMFND Where");
  };
  function primary(): Expr {
    const t = toks[p++];
    if (t === "(") {
      const e = or();
      if (toks[p++] !== ")") {
        bad();
      }
      return e;
    }
    return typeof t === "object" ? t : bad();
  }
  function and(): Expr {
    let left = primary();
    while (toks[p] === "and") {
      p++;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  }
  function or(): Expr {
    let left = and();
    while (toks[p] === "or") {
      p++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  }
  const expr = or();
  return p === toks.length ? expr : bad();
}

export function runComfnd(ctx: ObjectContext, xmlIn: string): string {
  const { state, variants } = ctx;
  const body = readXml(xmlIn, "XmlIn", "Query", "COMFND");
  const table = tableByName(ctx, text(body, "TableName") ?? "");
  const requested = Number((text(body, "ReturnRows") ?? "").trim() || DEFAULT_RETURN_ROWS);
  const limit = Number.isInteger(requested) && requested > 0 ? requested : DEFAULT_RETURN_ROWS;
  const listed = texts(child(body, "Columns"), "Column").map((c) => columnOf(table, c));
  const all = (text(body, "AllColumns") ?? "N").trim().toUpperCase() === "Y" || listed.length === 0;
  const columns = all ? table.columns.map((c) => c.name) : listed;
  const orderBy = texts(child(body, "OrderBy"), "Column").map((c) => ({
    column: columnOf(table, c),
    desc: false,
  }));
  const filter = parseWhere(table, child(body, "Where"));
  const page = state.engine.page(
    table,
    filter === undefined ? { orderBy } : { filter, orderBy },
    0,
    limit,
  );
  const out = queryRoot(table.name, [
    el("HeaderDetails", [
      el("TableName", table.name),
      el("ReturnRows", limit),
      el("RowsReturned", page.rows.length),
      el("MoreRows", page.more ? "Y" : "N"),
    ]),
    ...page.rows.map((r) =>
      el(
        "Row",
        columns.map((c) => el(c, r[c] ?? "")),
      ),
    ),
  ]);
  return document(out, variants);
}
