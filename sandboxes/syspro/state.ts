/**
 * The company's state in memory: its tables, the clock, journal numbering, and lookups the business
 * objects share. One instance per sandbox; `reset()` goes back to the seed.
 */
import { addDays } from "../reference-customer/calendar.js";
import type { ReferenceCustomer } from "../reference-customer/index.js";
import type { SandboxClock } from "./clock.js";
import { createQueryEngine, equalities } from "./tables/query.js";
import type { QueryEngine } from "./tables/query.js";
import { createSeededTables } from "./tables/seed.js";
import type { SysproTables } from "./tables/seed.js";
import type { Ref, Row, Table } from "./tables/table.js";
import type { CompanyConfig } from "./types.js";

/** Banks the company has (APSTPM `Bank`). [I] */
export const BANKS = ["FB"] as const;
/** AP control account the GL side of AP postings lands on. */
export const AP_CONTROL_GL = "2000-100";

export interface SysproState {
  readonly customer: ReferenceCustomer;
  readonly company: CompanyConfig;
  readonly clock: SandboxClock;
  readonly tables: SysproTables;
  readonly engine: QueryEngine;
  /** The one row with these column values (key lookups). */
  find(table: Table, values: Record<string, string>): [Ref, Row] | undefined;
  findAll(table: Table, values: Record<string, string>, limit?: number): [Ref, Row][];
  supplier(code: string): Row | undefined;
  /** A GenMaster row of this company. */
  glCode(code: string): Row | undefined;
  /** TrnYear/TrnMonth of today's current period (PostingPeriod C), or the previous one (P/B). */
  period(postingPeriod?: string): { year: number; month: number };
  nextApJournal(year: number, month: number): number;
  nextGlJournal(year: number, period: number): number;
  /** Back to the seed: drops every posting, patch and counter. */
  reset(): void;
}

function seededApJournals(customer: ReferenceCustomer): Map<string, number> {
  const out = new Map<string, number>();
  const { startDate, days } = customer.options;
  for (let d = 0; d < days; d++) {
    const date = addDays(startDate, d);
    const [start, end] = customer.invoiceIndex.journalDateRange(date, date);
    if (end > start) {
      const [y, m, day] = date.split("-").map(Number) as [number, number, number];
      const key = `${y}-${m}`;
      out.set(key, Math.max(out.get(key) ?? 0, day));
    }
  }
  return out;
}

export function createState(
  customer: ReferenceCustomer,
  company: CompanyConfig,
  clock: SandboxClock,
): SysproState {
  let tables = createSeededTables(customer);
  const engine = createQueryEngine();
  const seededAp = seededApJournals(customer);
  let apJournals = new Map(seededAp);
  let glJournals = new Map<string, number>();

  const findAll = (table: Table, values: Record<string, string>, limit?: number): [Ref, Row][] => {
    const filter = equalities(values);
    return engine.find(
      table,
      filter === undefined ? { orderBy: [] } : { filter, orderBy: [] },
      limit,
    );
  };

  const state: SysproState = {
    customer,
    company,
    clock,
    get tables() {
      return tables;
    },
    engine,
    find: (table, values) => findAll(table, values, 1)[0],
    findAll,
    supplier: (code) => state.find(tables.ApSupplier, { Supplier: code })?.[1],
    glCode: (code) => state.find(tables.GenMaster, { Company: company.id, GlCode: code })?.[1],
    period(postingPeriod = "C") {
      const today = new Date(clock.now());
      const back = postingPeriod === "P" ? 1 : postingPeriod === "B" ? 2 : 0;
      const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1));
      return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
    },
    nextApJournal(year, month) {
      const key = `${year}-${month}`;
      const next = (apJournals.get(key) ?? 0) + 1;
      apJournals.set(key, next);
      return next;
    },
    nextGlJournal(year, period) {
      const key = `${year}-${period}`;
      const next = (glJournals.get(key) ?? 0) + 1;
      glJournals.set(key, next);
      return next;
    },
    reset() {
      tables = createSeededTables(customer);
      engine.clear();
      apJournals = new Map(seededAp);
      glJournals = new Map();
    },
  };
  return state;
}
