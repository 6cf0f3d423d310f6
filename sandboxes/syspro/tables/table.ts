/**
 * One SYSPRO table in memory. Rows come from a seed source computed by index (so a 1,000,000-row
 * ApInvoice is never held as objects), overridden by patches (a payment lowering MthInvBal1) and
 * extended by an overlay of rows added since (postings, new activity). Values are strings, as SYSPRO's
 * XML carries them; OData converts by column type on the way out.
 */

export type ColumnType = "string" | "decimal" | "integer" | "date";

export interface ColumnDef {
  name: string;
  type: ColumnType;
}

export type Row = Record<string, string>;

/**
 * A row's address: `index * SUBROWS + sub` for seed rows (a seed index may yield several rows, such as
 * an invoice's distribution lines), `-(position + 1)` for overlay rows.
 */
export type Ref = number;
export const SUBROWS = 8;

/** Half-open index range [start, end). */
export type IndexRange = [number, number];

/** Where seed rows come from, with optional accelerators for filtered reads of huge seeds. */
export interface SeedSource {
  count: number;
  /** The rows at seed index `index` (0..SUBROWS of them). */
  rowsAt(index: number): Row[];
  /** A column whose value never decreases with the index (dates of the reference customer). */
  monotonic?: {
    column: string;
    valueAt(index: number): string;
    /** Indexes whose value is within [lo, hi] (inclusive; either open). */
    range(lo?: string, hi?: string): IndexRange;
  };
  /** Candidate index ranges for equality constraints (canonical column → value); undefined = can't tell. */
  lookup?(eq: ReadonlyMap<string, string>): IndexRange[] | undefined;
}

/**
 * Seed refs grouped by one column's value (values ascending; group g holds
 * `refs[offsets[g]..offsets[g+1])`), so an order starting with a column the seed is not sorted by
 * (InvoiceDate) pages a day at a time instead of sorting the whole table.
 */
export interface GroupIndex {
  values: readonly string[];
  offsets: Int32Array;
  refs: Int32Array;
}

export function arraySource(rows: readonly Row[]): SeedSource {
  return { count: rows.length, rowsAt: (i) => (rows[i] === undefined ? [] : [rows[i]]) };
}

export class Table {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** Primary-key columns. */
  readonly key: readonly string[];
  readonly seed: SeedSource;
  /** Bumped on every write; query caches compare it. */
  version = 0;
  private readonly byLower: Map<string, ColumnDef>;
  private readonly byName: Map<string, ColumnDef>;
  private patches = new Map<Ref, Row | null>();
  private overlay: (Row | null)[] = [];
  private lastIndex = -1;
  private lastRows: Row[] = [];
  private groups = new Map<string, GroupIndex>();

  constructor(
    name: string,
    columns: readonly ColumnDef[],
    key: readonly string[],
    seed: SeedSource,
  ) {
    this.name = name;
    this.columns = columns;
    this.key = key;
    this.seed = seed;
    this.byLower = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
    this.byName = new Map(columns.map((c) => [c.name, c]));
  }

  /** Exact-case column lookup (OData property names are case-sensitive). */
  column(name: string): ColumnDef | undefined {
    return this.byName.get(name);
  }

  /** Case-insensitive column lookup (SYSPRO's own XML documents). */
  columnInsensitive(name: string): ColumnDef | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  private generated(index: number): Row[] {
    if (index !== this.lastIndex) {
      this.lastRows = this.seed.rowsAt(index);
      this.lastIndex = index;
    }
    return this.lastRows;
  }

  /** Live rows at seed index `index`, with patches applied. */
  seedRows(index: number, out: [Ref, Row][] = []): [Ref, Row][] {
    const rows = this.generated(index);
    for (let sub = 0; sub < rows.length; sub++) {
      const ref = index * SUBROWS + sub;
      const patched = this.patches.get(ref);
      if (patched === null) {
        continue;
      }
      out.push([ref, patched ?? rows[sub]!]);
    }
    return out;
  }

  /** Live overlay rows. */
  overlayRows(): [Ref, Row][] {
    const out: [Ref, Row][] = [];
    this.overlay.forEach((row, pos) => {
      if (row !== null) {
        out.push([-(pos + 1), row]);
      }
    });
    return out;
  }

  rowAt(ref: Ref): Row | undefined {
    if (ref < 0) {
      return this.overlay[-ref - 1] ?? undefined;
    }
    const patched = this.patches.get(ref);
    if (patched !== undefined) {
      return patched ?? undefined;
    }
    return this.generated(Math.floor(ref / SUBROWS))[ref % SUBROWS];
  }

  /**
   * The seed's refs grouped by `column` (exact case), built on first use by generating every seed row
   * once and kept: it stays valid because a seed row whose `column` changes leaves the seed.
   */
  groupIndex(column: string): GroupIndex {
    let index = this.groups.get(column);
    if (index === undefined) {
      index = this.buildGroupIndex(column);
      this.groups.set(column, index);
    }
    return index;
  }

  private buildGroupIndex(column: string): GroupIndex {
    const codes = new Map<string, number>();
    const names: string[] = [];
    let refs: Int32Array = new Int32Array(Math.max(16, this.seed.count));
    let codeOf: Int32Array = new Int32Array(refs.length);
    let n = 0;
    const scratch: [Ref, Row][] = [];
    for (let i = 0; i < this.seed.count; i++) {
      scratch.length = 0;
      for (const [ref, row] of this.seedRows(i, scratch)) {
        const value = row[column] ?? "";
        let code = codes.get(value);
        if (code === undefined) {
          code = names.length;
          codes.set(value, code);
          names.push(value);
        }
        if (n === refs.length) {
          refs = grow(refs);
          codeOf = grow(codeOf);
        }
        refs[n] = ref;
        codeOf[n] = code;
        n++;
      }
    }
    // Counting sort by value: refs keep their seed order within a group.
    const order = names.map((_, c) => c).sort((a, b) => (names[a]! < names[b]! ? -1 : 1));
    const rank = new Int32Array(names.length);
    order.forEach((c, r) => (rank[c] = r));
    const offsets = new Int32Array(names.length + 1);
    for (let k = 0; k < n; k++) {
      offsets[rank[codeOf[k]!]! + 1]!++;
    }
    for (let g = 0; g < names.length; g++) {
      offsets[g + 1]! += offsets[g]!;
    }
    const sorted = new Int32Array(n);
    const fill = offsets.slice(0, names.length);
    for (let k = 0; k < n; k++) {
      sorted[fill[rank[codeOf[k]!]!]!++] = refs[k]!;
    }
    return { values: order.map((c) => names[c]!), offsets, refs: sorted };
  }

  /** Fills absent columns with SYSPRO's empty values. */
  complete(row: Row): Row {
    const out: Row = {};
    for (const c of this.columns) {
      out[c.name] =
        row[c.name] ?? (c.type === "decimal" ? "0.00" : c.type === "integer" ? "0" : "");
    }
    return out;
  }

  insert(row: Row): Ref {
    this.overlay.push(this.complete(row));
    this.version++;
    return -this.overlay.length;
  }

  update(ref: Ref, patch: Row): Row {
    const current = this.rowAt(ref);
    if (current === undefined) {
      throw new Error(`${this.name}: no row at ${ref}`);
    }
    const next = { ...current, ...patch };
    const mono = this.seed.monotonic?.column;
    const indexed = [...this.groups.keys(), ...(mono === undefined ? [] : [mono])];
    if (ref >= 0 && indexed.some((c) => next[c] !== current[c])) {
      // A seed row must stay where the seed's order and group indexes put it; one whose ordered column
      // moves leaves the seed (and so every index) for the overlay.
      this.patches.set(ref, null);
      this.overlay.push(next);
    } else if (ref < 0) {
      this.overlay[-ref - 1] = next;
    } else {
      this.patches.set(ref, next);
    }
    this.version++;
    return next;
  }

  remove(ref: Ref): void {
    if (ref < 0) {
      this.overlay[-ref - 1] = null;
    } else {
      this.patches.set(ref, null);
    }
    this.version++;
  }

  /** Number of rows added or changed since the seed (for state snapshots). */
  changes(): { added: number; patched: number } {
    return {
      added: this.overlay.filter((r) => r !== null).length,
      patched: this.patches.size,
    };
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
