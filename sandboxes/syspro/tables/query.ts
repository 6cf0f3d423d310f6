/**
 * Filtered, ordered, paged reads of a Table. When the order starts with the seed's monotonic column
 * (JournalDate, OrderEntryDate) — or there is no order — rows are sorted one value at a time (a day of
 * invoices), and each chunk's sorted refs are cached, so paging a 1,000,000-row table with $skip
 * generates each row about once per page read instead of once per row per page. An order starting
 * with another date column of a large seed (InvoiceDate) does the same through the table's group
 * index (built once: one pass over the seed). Any other order sorts the whole candidate set in one
 * go: correct, but slow on a huge seed.
 */
import { candidateRanges, evaluate, keyComparator, mayMatchColumn, sortKeyOf } from "./expr.js";
import type { Expr, OrderKey, SortKey } from "./expr.js";
import { SUBROWS } from "./table.js";
import type { IndexRange, Ref, Row, Table } from "./table.js";

export interface QuerySpec {
  filter?: Expr;
  orderBy: readonly OrderKey[];
}

export interface Page {
  rows: Row[];
  refs: Ref[];
  /** True when at least one more row follows this page. */
  more: boolean;
}

interface Chunk {
  ranges: IndexRange[];
  /** Seed refs to read instead of (not as well as) `ranges`: a group of the group index. */
  refs?: Int32Array;
  overlay: Ref[];
  result?: Int32Array;
}

interface Plan {
  version: number;
  chunks: Chunk[];
}

const CACHE_LIMIT = 16;
const NATURAL_SLICE = 8192;
/** Seeds at least this large get a group index for orders starting with a date column. */
const GROUP_INDEX_MIN_SEED = 20_000;

function inRanges(ranges: readonly IndexRange[], index: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (index < start) {
      hi = mid - 1;
    } else if (index >= end) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}

/** One chunk per value of `column` (via the group index), skipping values the filter rules out. */
function groupedPlan(
  table: Table,
  spec: QuerySpec,
  column: string,
  ranges: IndexRange[],
  overlay: [Ref, Row][],
  desc: boolean,
): Chunk[] {
  const index = table.groupIndex(column);
  const whole = ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] >= table.seed.count;
  const byValue = new Map<string, Chunk>();
  index.values.forEach((value, g) => {
    if (!mayMatchColumn(spec.filter, table, column, value)) {
      return;
    }
    let refs = index.refs.subarray(index.offsets[g], index.offsets[g + 1]);
    if (!whole) {
      refs = refs.filter((ref) => inRanges(ranges, Math.floor(ref / SUBROWS)));
    }
    byValue.set(value, { ranges: [], refs, overlay: [] });
  });
  for (const [ref, row] of overlay) {
    const value = row[column] ?? "";
    let c = byValue.get(value);
    if (c === undefined) {
      c = { ranges: [], overlay: [] };
      byValue.set(value, c);
    }
    c.overlay.push(ref);
  }
  const values = [...byValue.keys()].sort();
  if (desc) {
    values.reverse();
  }
  return values.map((v) => byValue.get(v)!);
}

function plan(table: Table, spec: QuerySpec): Chunk[] {
  const ranges = candidateRanges(table, spec.filter);
  const overlay = table.overlayRows();
  const mono = table.seed.monotonic;
  const first = spec.orderBy[0];
  const firstColumn = first === undefined ? undefined : table.columnInsensitive(first.column);
  if (
    first !== undefined &&
    firstColumn?.type === "date" &&
    firstColumn.name !== mono?.column &&
    table.seed.count >= GROUP_INDEX_MIN_SEED
  ) {
    return groupedPlan(table, spec, firstColumn.name, ranges, overlay, first.desc);
  }
  const chunked =
    mono !== undefined &&
    (first === undefined || first.column.toLowerCase() === mono.column.toLowerCase());
  if (!chunked || mono === undefined) {
    const overlayRefs = overlay.map(([ref]) => ref);
    if (first !== undefined) {
      return [{ ranges, overlay: overlayRefs }];
    }
    // Natural order: cut into fixed slices so an unfiltered read of a huge table stays small.
    const chunks: Chunk[] = [];
    for (const [start, end] of ranges) {
      for (let i = start; i < end; i += NATURAL_SLICE) {
        chunks.push({ ranges: [[i, Math.min(end, i + NATURAL_SLICE)]], overlay: [] });
      }
    }
    chunks.push({ ranges: [], overlay: overlayRefs });
    return chunks;
  }
  const byValue = new Map<string, Chunk>();
  const chunkOf = (value: string): Chunk => {
    let c = byValue.get(value);
    if (c === undefined) {
      c = { ranges: [], overlay: [] };
      byValue.set(value, c);
    }
    return c;
  };
  for (const [start, end] of ranges) {
    let i = start;
    while (i < end) {
      const value = mono.valueAt(i);
      const stop = Math.min(end, mono.range(value, value)[1]);
      chunkOf(value).ranges.push([i, Math.max(stop, i + 1)]);
      i = Math.max(stop, i + 1);
    }
  }
  for (const [ref, row] of overlay) {
    chunkOf(row[mono.column] ?? "").overlay.push(ref);
  }
  const values = [...byValue.keys()].sort();
  if (first?.desc === true) {
    values.reverse();
  }
  return values.map((v) => byValue.get(v)!);
}

function compute(table: Table, spec: QuerySpec, chunk: Chunk): { refs: Int32Array; rows: Row[] } {
  // Only refs and sort keys are kept: a chunk may be a whole huge table when the order forces it.
  const refs: Ref[] = [];
  const rows: Row[] = [];
  const keys: SortKey[] = [];
  const sorted = spec.orderBy.length > 0;
  const keyOf = sortKeyOf(table, spec.orderBy);
  const keep = (ref: Ref, row: Row): void => {
    if (spec.filter !== undefined && !evaluate(spec.filter, row, table)) {
      return;
    }
    refs.push(ref);
    rows.push(row);
    if (sorted) {
      keys.push(keyOf(row));
    }
  };
  if (chunk.refs !== undefined) {
    for (const ref of chunk.refs) {
      const row = table.rowAt(ref);
      if (row !== undefined) {
        keep(ref, row);
      }
    }
  }
  const scratch: [Ref, Row][] = [];
  for (const [start, end] of chunk.ranges) {
    for (let i = start; i < end; i++) {
      scratch.length = 0;
      for (const [ref, row] of table.seedRows(i, scratch)) {
        keep(ref, row);
      }
    }
  }
  for (const ref of chunk.overlay) {
    const row = table.rowAt(ref);
    if (row !== undefined) {
      keep(ref, row);
    }
  }
  if (!sorted) {
    return { refs: Int32Array.from(refs), rows };
  }
  const cmp = keyComparator(spec.orderBy);
  const order = refs.map((_, i) => i);
  order.sort((a, b) => cmp(keys[a]!, keys[b]!) || refs[a]! - refs[b]!);
  return { refs: Int32Array.from(order, (i) => refs[i]!), rows: order.map((i) => rows[i]!) };
}

/** Runs queries against tables, caching plans per (table, query) until the table changes. */
export function createQueryEngine() {
  const cache = new Map<string, Plan>();
  // The rows of the chunk computed last: sequential paging reads them several pages in a row, and
  // regenerating a seed row costs as much as generating it.
  let recent: { chunk: Chunk; rows: Row[] } | undefined;

  function result(table: Table, spec: QuerySpec, chunk: Chunk): Int32Array {
    if (chunk.result === undefined) {
      const computed = compute(table, spec, chunk);
      chunk.result = computed.refs;
      recent = { chunk, rows: computed.rows };
    }
    return chunk.result;
  }

  function planFor(table: Table, spec: QuerySpec): Plan {
    const key = `${table.name}|${JSON.stringify(spec)}`;
    let p = cache.get(key);
    if (p === undefined || p.version !== table.version) {
      p = { version: table.version, chunks: plan(table, spec) };
      cache.delete(key);
      if (cache.size >= CACHE_LIMIT) {
        cache.delete(cache.keys().next().value!);
      }
    } else {
      cache.delete(key);
    }
    cache.set(key, p);
    return p;
  }

  /** Rows [skip, skip + take) of the query's result. */
  function page(table: Table, spec: QuerySpec, skip: number, take: number): Page {
    const p = planFor(table, spec);
    const refs: Ref[] = [];
    const rows: Row[] = [];
    let seen = 0;
    let more = false;
    for (const chunk of p.chunks) {
      const res = result(table, spec, chunk);
      const n = res.length;
      if (seen + n <= skip) {
        seen += n;
        continue;
      }
      const cached = recent?.chunk === chunk ? recent.rows : undefined;
      for (let k = Math.max(0, skip - seen); k < n; k++) {
        if (refs.length === take) {
          more = true;
          break;
        }
        refs.push(res[k]!);
        rows.push(cached?.[k] ?? table.rowAt(res[k]!)!);
      }
      seen += n;
      if (more) {
        break;
      }
    }
    return { refs, rows, more };
  }

  /** Number of rows the query matches (computes every chunk). */
  function count(table: Table, spec: QuerySpec): number {
    let total = 0;
    for (const chunk of planFor(table, spec).chunks) {
      total += result(table, spec, chunk).length;
    }
    return total;
  }

  /** All matching rows with their refs (for small lookups: keys, COMFND). */
  function find(table: Table, spec: QuerySpec, limit = Number.MAX_SAFE_INTEGER): [Ref, Row][] {
    const { refs, rows } = page(table, spec, 0, limit);
    return refs.map((ref, i) => [ref, rows[i]!]);
  }

  return {
    page,
    count,
    find,
    clear: () => {
      cache.clear();
      recent = undefined;
    },
  };
}

export type QueryEngine = ReturnType<typeof createQueryEngine>;

/** `a eq x and b eq y …` over string values, for key lookups. */
export function equalities(values: Record<string, string>): Expr | undefined {
  let expr: Expr | undefined;
  for (const [column, value] of Object.entries(values)) {
    const cmp: Expr = { kind: "cmp", op: "eq", column, value: { type: "string", value } };
    expr = expr === undefined ? cmp : { kind: "and", left: expr, right: cmp };
  }
  return expr;
}
