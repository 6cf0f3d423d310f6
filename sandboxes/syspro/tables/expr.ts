/**
 * Row predicates shared by OData `$filter` and COMFND `<Where>`: the AST, its evaluation against a
 * row, and its analysis into index ranges so a filtered read of a huge seed only generates the rows
 * that can match.
 */
import type { ColumnDef, IndexRange, Row, Table } from "./table.js";

export type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";

export interface Literal {
  type: "string" | "number" | "date" | "datetime" | "null" | "boolean";
  value: string;
}

export type Expr =
  | { kind: "cmp"; op: CompareOp; column: string; value: Literal }
  | { kind: "fn"; fn: "contains" | "startswith" | "endswith"; column: string; value: string }
  | { kind: "and" | "or"; left: Expr; right: Expr }
  | { kind: "not"; expr: Expr };

export interface OrderKey {
  column: string;
  desc: boolean;
}

/** Comparable form of a column value: numbers for numeric columns, ISO strings for dates. */
export function comparable(col: ColumnDef, raw: string): string | number | null {
  if (raw === "" && col.type !== "string") {
    return null;
  }
  switch (col.type) {
    case "decimal":
    case "integer":
      return Number(raw.trim());
    case "date":
      return raw.length === 10 ? `${raw}T00:00:00Z` : raw;
    default:
      return raw;
  }
}

function literalComparable(col: ColumnDef, lit: Literal): string | number | null {
  if (lit.type === "null") {
    return null;
  }
  if (col.type === "date") {
    return lit.value.length === 10 ? `${lit.value}T00:00:00Z` : lit.value.replace(/\.0+Z$/, "Z");
  }
  if (col.type === "decimal" || col.type === "integer") {
    return Number(lit.value);
  }
  return lit.value;
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function evaluate(expr: Expr, row: Row, table: Table): boolean {
  switch (expr.kind) {
    case "and":
      return evaluate(expr.left, row, table) && evaluate(expr.right, row, table);
    case "or":
      return evaluate(expr.left, row, table) || evaluate(expr.right, row, table);
    case "not":
      return !evaluate(expr.expr, row, table);
    case "fn": {
      const v = (row[expr.column] ?? "").toLowerCase();
      const s = expr.value.toLowerCase();
      return expr.fn === "contains"
        ? v.includes(s)
        : expr.fn === "startswith"
          ? v.startsWith(s)
          : v.endsWith(s);
    }
    case "cmp": {
      const col = table.columnInsensitive(expr.column)!;
      const left = comparable(col, row[col.name] ?? "");
      const right = literalComparable(col, expr.value);
      if (left === null || right === null) {
        const same = left === right;
        return expr.op === "eq" ? same : expr.op === "ne" ? !same : false;
      }
      const c = compare(left, right);
      switch (expr.op) {
        case "eq":
          return c === 0;
        case "ne":
          return c !== 0;
        case "gt":
          return c > 0;
        case "ge":
          return c >= 0;
        case "lt":
          return c < 0;
        case "le":
          return c <= 0;
      }
    }
  }
}

export type SortKey = (string | number | null)[];

/** A row's sort key for `orderBy`: comparable values computed once per row, not once per comparison. */
export function sortKeyOf(table: Table, orderBy: readonly OrderKey[]): (row: Row) => SortKey {
  const cols = orderBy.map((k) => table.columnInsensitive(k.column)!);
  return (row) => cols.map((col) => comparable(col, row[col.name] ?? ""));
}

/** Compares sort keys; nulls first, as SQL Server orders them ascending. */
export function keyComparator(orderBy: readonly OrderKey[]) {
  const desc = orderBy.map((k) => k.desc);
  return (a: SortKey, b: SortKey): number => {
    for (let i = 0; i < desc.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      const c = x === y ? 0 : x === null ? -1 : y === null ? 1 : compare(x, y);
      if (c !== 0) {
        return desc[i] ? -c : c;
      }
    }
    return 0;
  };
}

/** Sorts rows by order keys, comparing by column type. */
export function rowComparator(table: Table, orderBy: readonly OrderKey[]) {
  const key = sortKeyOf(table, orderBy);
  const cmp = keyComparator(orderBy);
  return (a: Row, b: Row): number => cmp(key(a), key(b));
}

/**
 * Whether a row whose `column` holds `value` can satisfy `expr`, judged only from the comparisons on
 * that column joined to the rest by `and` (anything else may match). Used to skip whole groups.
 */
export function mayMatchColumn(
  expr: Expr | undefined,
  table: Table,
  column: string,
  value: string,
): boolean {
  if (expr === undefined) {
    return true;
  }
  if (expr.kind === "and") {
    return (
      mayMatchColumn(expr.left, table, column, value) &&
      mayMatchColumn(expr.right, table, column, value)
    );
  }
  if (expr.kind === "cmp" && expr.value.type !== "null") {
    const col = table.columnInsensitive(expr.column);
    if (col?.name === column) {
      return evaluate(expr, { [column]: value }, table);
    }
  }
  return true;
}

interface Bound {
  eq?: string;
  lo?: string;
  hi?: string;
}
type Conjunction = Map<string, Bound>;
const MAX_BRANCHES = 2000;

function literalKey(col: ColumnDef, lit: Literal): string {
  return col.type === "date" ? lit.value.slice(0, 10) : lit.value;
}

/** Disjunctive normal form over the comparisons that can narrow a scan; undefined = no narrowing. */
function dnf(expr: Expr, table: Table): Conjunction[] {
  switch (expr.kind) {
    case "cmp": {
      const col = table.columnInsensitive(expr.column)!;
      if (expr.value.type === "null") {
        return [new Map<string, Bound>()];
      }
      const v = literalKey(col, expr.value);
      const bound: Bound =
        expr.op === "eq"
          ? { eq: v }
          : expr.op === "gt" || expr.op === "ge"
            ? { lo: v }
            : expr.op === "lt" || expr.op === "le"
              ? { hi: v }
              : {};
      return [new Map(Object.keys(bound).length > 0 ? [[col.name, bound]] : [])];
    }
    case "or": {
      const out = [...dnf(expr.left, table), ...dnf(expr.right, table)];
      return out.length > MAX_BRANCHES ? [new Map<string, Bound>()] : out;
    }
    case "and": {
      const left = dnf(expr.left, table);
      const right = dnf(expr.right, table);
      if (left.length * right.length > MAX_BRANCHES) {
        return left.length <= right.length ? left : right;
      }
      const out: Conjunction[] = [];
      for (const l of left) {
        for (const r of right) {
          const merged = new Map(l);
          for (const [k, b] of r) {
            merged.set(k, { ...merged.get(k), ...b });
          }
          out.push(merged);
        }
      }
      return out;
    }
    default:
      return [new Map<string, Bound>()];
  }
}

function mergeRanges(ranges: IndexRange[]): IndexRange[] {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: IndexRange[] = [];
  for (const [s, e] of ranges) {
    if (e <= s) {
      continue;
    }
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) {
      last[1] = Math.max(last[1], e);
    } else {
      out.push([s, e]);
    }
  }
  return out;
}

/** Seed index ranges that may hold rows matching `expr` (a superset; the filter is applied after). */
export function candidateRanges(table: Table, expr: Expr | undefined): IndexRange[] {
  const full: IndexRange[] = [[0, table.seed.count]];
  if (expr === undefined) {
    return full;
  }
  const ranges: IndexRange[] = [];
  for (const conj of dnf(expr, table)) {
    const eq = new Map<string, string>();
    for (const [k, b] of conj) {
      if (b.eq !== undefined) {
        eq.set(k, b.eq);
      }
    }
    const looked = eq.size > 0 ? table.seed.lookup?.(eq) : undefined;
    if (looked !== undefined) {
      ranges.push(...looked);
      continue;
    }
    const mono = table.seed.monotonic;
    const bound = mono === undefined ? undefined : conj.get(mono.column);
    if (mono !== undefined && bound !== undefined) {
      ranges.push(mono.range(bound.eq ?? bound.lo, bound.eq ?? bound.hi));
      continue;
    }
    return full;
  }
  return mergeRanges(ranges);
}
