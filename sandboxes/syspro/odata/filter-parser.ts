/**
 * OData 4 `$filter` and `$orderby` for the sandbox: comparisons (eq ne gt ge lt le), and/or/not,
 * parentheses, `in (…)`, contains/startswith/endswith, string literals with '' escaping, dates,
 * date-times, numbers, null and booleans. Property names are case-sensitive, as in OData.
 */
import type { CompareOp, Expr, Literal, OrderKey } from "../tables/expr.js";
import type { Table } from "../tables/table.js";

/** A 400 the OData service answers with `{"error":{"code":"","message":…}}`. */
export class ODataQueryError extends Error {
  override name = "ODataQueryError";
  readonly code = "ODATA_QUERY_INVALID";
}

type Token =
  | { t: "punct"; v: "(" | ")" | ","; pos: number }
  | { t: "word"; v: string; pos: number }
  | { t: "lit"; lit: Literal; pos: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      out.push({ t: "punct", v: ch, pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) {
          throw new ODataQueryError(`Unterminated string literal at position ${i} in '${text}'.`);
        }
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      out.push({ t: "lit", lit: { type: "string", value }, pos: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const dt = DATETIME.exec(rest);
    if (dt !== null) {
      const iso = new Date(dt[0]).toISOString().replace(".000Z", "Z");
      out.push({ t: "lit", lit: { type: "datetime", value: iso }, pos: i });
      i += dt[0].length;
      continue;
    }
    const d = DATE.exec(rest);
    if (d !== null) {
      out.push({ t: "lit", lit: { type: "date", value: d[0] }, pos: i });
      i += d[0].length;
      continue;
    }
    const n = NUMBER.exec(rest);
    if (n !== null) {
      out.push({
        t: "lit",
        lit: { type: "number", value: n[0].replace(/[mMdDfFlL]$/, "") },
        pos: i,
      });
      i += n[0].length;
      continue;
    }
    const w = WORD.exec(rest);
    if (w !== null) {
      out.push({ t: "word", v: w[0], pos: i });
      i += w[0].length;
      continue;
    }
    throw new ODataQueryError(`Syntax error at position ${i} in '${text}'.`);
  }
  return out;
}

const OPS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const SWAP: Record<CompareOp, CompareOp> = {
  eq: "eq",
  ne: "ne",
  gt: "lt",
  ge: "le",
  lt: "gt",
  le: "ge",
};
const FUNCTIONS = new Set(["contains", "startswith", "endswith"]);

/** Parses `$filter` against a table's properties. */
export function parseFilter(text: string, table: Table): Expr {
  const tokens = tokenize(text);
  let p = 0;
  const peek = (): Token | undefined => tokens[p];
  const fail = (): never => {
    throw new ODataQueryError(
      `Syntax error at position ${peek()?.pos ?? text.length} in '${text}'.`,
    );
  };
  const isWord = (v: string): boolean => {
    const tok = peek();
    return tok?.t === "word" && tok.v === v;
  };
  const expectPunct = (v: string): void => {
    const tok = peek();
    if (tok?.t !== "punct" || tok.v !== v) {
      fail();
    }
    p++;
  };
  const property = (name: string): string => {
    if (table.column(name) === undefined) {
      throw new ODataQueryError(
        `Could not find a property named '${name}' on type 'SYSPRO.${table.name}'.`,
      );
    }
    return name;
  };
  const literal = (): Literal => {
    const tok = peek();
    if (tok?.t === "lit") {
      p++;
      return tok.lit;
    }
    if (tok?.t === "word" && (tok.v === "null" || tok.v === "true" || tok.v === "false")) {
      p++;
      return tok.v === "null" ? { type: "null", value: "" } : { type: "boolean", value: tok.v };
    }
    return fail();
  };

  function primary(): Expr {
    const tok = peek();
    if (tok?.t === "punct" && tok.v === "(") {
      p++;
      const inner = or();
      expectPunct(")");
      return inner;
    }
    if (tok?.t === "word" && FUNCTIONS.has(tok.v.toLowerCase()) && tokens[p + 1]?.t === "punct") {
      p++;
      expectPunct("(");
      const col = peek();
      if (col?.t !== "word") {
        fail();
      }
      p++;
      const column = property((col as { v: string }).v);
      expectPunct(",");
      const lit = literal();
      expectPunct(")");
      return { kind: "fn", fn: tok.v.toLowerCase() as "contains", column, value: lit.value };
    }
    if (tok?.t === "word" && !OPS.has(tok.v)) {
      p++;
      const column = property(tok.v);
      if (isWord("in")) {
        p++;
        expectPunct("(");
        let expr: Expr | undefined;
        for (;;) {
          const cmp: Expr = { kind: "cmp", op: "eq", column, value: literal() };
          expr = expr === undefined ? cmp : { kind: "or", left: expr, right: cmp };
          if (peek()?.t === "punct" && (peek() as { v: string }).v === ",") {
            p++;
            continue;
          }
          break;
        }
        expectPunct(")");
        return expr;
      }
      const op = peek();
      if (op?.t !== "word" || !OPS.has(op.v)) {
        return fail();
      }
      p++;
      return { kind: "cmp", op: op.v as CompareOp, column, value: literal() };
    }
    // literal op property
    const value = literal();
    const op = peek();
    if (op?.t !== "word" || !OPS.has(op.v)) {
      return fail();
    }
    p++;
    const col = peek();
    if (col?.t !== "word") {
      return fail();
    }
    p++;
    return { kind: "cmp", op: SWAP[op.v as CompareOp], column: property(col.v), value };
  }
  function not(): Expr {
    if (isWord("not")) {
      p++;
      return { kind: "not", expr: not() };
    }
    return primary();
  }
  function and(): Expr {
    let left = not();
    while (isWord("and")) {
      p++;
      left = { kind: "and", left, right: not() };
    }
    return left;
  }
  function or(): Expr {
    let left = and();
    while (isWord("or")) {
      p++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  }
  const expr = or();
  if (p !== tokens.length) {
    fail();
  }
  return expr;
}

/** Parses `$orderby` ("JournalDate desc,Supplier"). */
export function parseOrderBy(text: string, table: Table): OrderKey[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const [column = "", dir = "asc", extra] = part.split(/\s+/);
      if (extra !== undefined || (dir !== "asc" && dir !== "desc")) {
        throw new ODataQueryError(`Syntax error in $orderby '${text}'.`);
      }
      if (table.column(column) === undefined) {
        throw new ODataQueryError(
          `Could not find a property named '${column}' on type 'SYSPRO.${table.name}'.`,
        );
      }
      return { column, desc: dir === "desc" };
    });
}
