/**
 * The test-only control surface: faults, variants, clock, sessions, new SYSPRO activity (rows added as
 * if someone had keyed them in SYSPRO), state snapshots and the request log. The same methods are served
 * as JSON under `/__sandbox/…` (see control-http.ts).
 */
import type { Sessions, SessionSnapshot } from "./enet/sessions.js";
import type { Faults } from "./faults.js";
import { applyApInvoice, validateApInvoice } from "./ledger/ap-invoice.js";
import type { FieldError } from "./ledger/field-error.js";
import { createScratch } from "./ledger/scratch.js";
import { applySupplier, validateSupplier } from "./ledger/supplier.js";
import { centsToString, toCents, toDate } from "./money.js";
import type { RequestLog } from "./request-log.js";
import type { SysproState } from "./state.js";
import type { Row, Table } from "./tables/table.js";
import type { FaultRule, RequestLogEntry, Variants } from "./types.js";
import { allTables } from "./tables/seed.js";

/** A control call the sandbox refused (HTTP 400 on the control API). */
export class SandboxControlError extends Error {
  override name = "SandboxControlError";
  readonly code = "SANDBOX_CONTROL_INVALID";
  readonly details: string[];
  constructor(message: string, details: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.details = details;
  }
}

export function isSandboxControlError(e: unknown): e is SandboxControlError {
  return e instanceof SandboxControlError;
}

/** New AP invoice activity. Amounts are 2-decimal strings. */
export interface AddInvoiceInput {
  Supplier: string;
  /** Default: 'SBX-' + a sequence number. */
  Invoice?: string;
  InvoiceDate?: string;
  /** Default: today (sandbox clock). Sets the AP period too. */
  JournalDate?: string;
  DueDate?: string;
  OrigInvValue: string;
  TaxValue?: string;
  /** Kept in ApInvoice.Reference. */
  PurchaseOrder?: string;
  /** Default: one line on the supplier's MerchGlCode for OrigInvValue − TaxValue. */
  distribution?: { ExpenseGlCode: string; DistrValue: string }[];
}

export interface AddPurchaseOrderInput {
  Supplier: string;
  /** Default: the next number after the highest one. */
  PurchaseOrder?: string;
  OrderEntryDate?: string;
  OrderDueDate?: string;
  OrderStatus?: "0" | "1" | "4" | "9" | "*";
  Warehouse?: string;
  Buyer?: string;
  lines: {
    MStockCode: string;
    MStockDes?: string;
    MOrderQty: string;
    MPrice: string;
    MReceivedQty?: string;
    MGlCode?: string;
    MWarehouse?: string;
  }[];
}

export interface StateSnapshot {
  now: string;
  company: { id: string; name: string };
  variants: Variants;
  sessions: SessionSnapshot[];
  sessionSettings: { idleMinutes: number; expireEveryCalls: number | null };
  faults: (FaultRule & { id: number; remaining: number })[];
  tables: Record<string, { seedIndexes: number; added: number; patched: number }>;
  requests: number;
}

export interface ControlDeps {
  state: SysproState;
  sessions: Sessions;
  faults: Faults;
  log: RequestLog;
  getVariants(): Variants;
  setVariants(v: Variants): void;
  initialVariants: Variants;
  initialClock: string;
}

function describe(errors: FieldError[]): string[] {
  return errors
    .filter((e) => e.warning !== true)
    .map((e) => `${e.field} '${e.value}': ${e.description}`);
}

export function createControl(deps: ControlDeps) {
  const { state, sessions, faults, log } = deps;
  let invoiceSeq = 0;

  function table(name: string): Table {
    const t = allTables(state.tables).find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (t === undefined) {
      throw new SandboxControlError(`Unknown table '${name}'`);
    }
    return t;
  }

  function canonical(t: Table, values: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      const c = t.columnInsensitive(k);
      if (c === undefined) {
        throw new SandboxControlError(`Unknown column '${k}' on '${t.name}'`);
      }
      out[c.name] = String(v);
    }
    return out;
  }

  function nextCode(t: Table, column: string, width: number, floor: number): string {
    let max = floor;
    for (const [, r] of state.findAll(t, {})) {
      const n = Number(r[column]);
      if (Number.isInteger(n) && n > max) {
        max = n;
      }
    }
    return String(max + 1).padStart(width, "0");
  }

  const control = {
    /** Adds a fault rule; returns its id. */
    addFault(rule: FaultRule): number {
      return faults.add(rule);
    },
    clearFaults(): void {
      faults.clear();
    },
    faults: () => faults.list(),

    /** Ends the live session of an operator (all operators when omitted), as a second Logon elsewhere would. */
    killSessions(operator?: string): number {
      return sessions.kill(operator);
    },
    /** Idle expiry in minutes; and/or sessions that expire after every N calls (null: off). */
    setSessionExpiry(opts: { idleMinutes?: number; everyCalls?: number | null }): void {
      if (opts.idleMinutes !== undefined) {
        sessions.setIdleMinutes(opts.idleMinutes);
      }
      if (opts.everyCalls !== undefined) {
        sessions.setExpireEveryCalls(opts.everyCalls);
      }
    },

    variants: (): Variants => ({ ...deps.getVariants() }),
    setVariants(v: Partial<Variants>): Variants {
      deps.setVariants({ ...deps.getVariants(), ...v });
      return control.variants();
    },

    now: (): string => new Date(state.clock.now()).toISOString(),
    setClock(at: string): string {
      state.clock.set(at);
      return control.now();
    },
    advanceClock(ms: number): string {
      state.clock.advance(ms);
      return control.now();
    },

    /** A new supplier keyed in SYSPRO. Supplier defaults to the next 7-digit code. */
    addSupplier(row: Partial<Record<string, string>> & { SupplierName: string }): Row {
      const code = row.Supplier ?? nextCode(state.tables.ApSupplier, "Supplier", 7, 0);
      const elements: Record<string, string> = {};
      for (const [k, v] of Object.entries(row)) {
        if (v !== undefined) {
          elements[k] = v;
        }
      }
      const { errors, plan } = validateSupplier(state, "add", code, elements, createScratch());
      if (plan === undefined) {
        throw new SandboxControlError("Supplier refused", describe(errors));
      }
      applySupplier(state, plan);
      return state.supplier(code)!;
    },

    /** A new AP invoice posted in SYSPRO (ApInvoice + ApJnlSummary + ApJnlDistrib), validated like APSTIN. */
    addInvoice(input: AddInvoiceInput): Row {
      const supplier = state.supplier(input.Supplier);
      const total = toCents(input.OrigInvValue);
      const tax = toCents(input.TaxValue ?? "0") ?? 0;
      const distribution =
        input.distribution ??
        (total === undefined || supplier === undefined
          ? []
          : [
              { ExpenseGlCode: supplier.MerchGlCode ?? "", DistrValue: centsToString(total - tax) },
            ]);
      const invoice = input.Invoice ?? `SBX-${String(++invoiceSeq).padStart(6, "0")}`;
      const journalDate =
        input.JournalDate === undefined ? state.clock.today() : toDate(input.JournalDate);
      if (journalDate === undefined) {
        throw new SandboxControlError(`Invalid JournalDate '${input.JournalDate}'`);
      }
      const { errors, plan } = validateApInvoice(
        state,
        {
          Supplier: input.Supplier,
          Invoice: invoice,
          TransactionValue: input.OrigInvValue,
          TaxValue: input.TaxValue ?? "0.00",
          ...(input.InvoiceDate === undefined ? {} : { InvoiceDate: input.InvoiceDate }),
          ...(input.DueDate === undefined ? {} : { DueDate: input.DueDate }),
          JournalDate: journalDate,
          TransactionReference: input.PurchaseOrder ?? "",
          distribution: distribution.map((d) => ({
            LedgerCode: d.ExpenseGlCode,
            LedgerValue: d.DistrValue,
          })),
        },
        createScratch(),
      );
      if (plan === undefined) {
        throw new SandboxControlError("Invoice refused", describe(errors));
      }
      const [y, m] = journalDate.split("-").map(Number) as [number, number];
      applyApInvoice(state, plan, {
        TrnYear: y,
        TrnMonth: m,
        Journal: state.nextApJournal(y, m),
        EntryNumber: 1,
      });
      return state.find(state.tables.ApInvoice, { Supplier: input.Supplier, Invoice: invoice })![1];
    },

    /** A new purchase order (PorMasterHdr + PorMasterDetail). */
    addPurchaseOrder(input: AddPurchaseOrderInput): Row {
      if (state.supplier(input.Supplier) === undefined) {
        throw new SandboxControlError(`Supplier '${input.Supplier}' not found`);
      }
      if (input.lines.length === 0) {
        throw new SandboxControlError("A purchase order needs at least one line");
      }
      const hdrTable = state.tables.PorMasterHdr;
      const po = input.PurchaseOrder ?? nextCode(hdrTable, "PurchaseOrder", 6, 400);
      if (state.find(hdrTable, { PurchaseOrder: po }) !== undefined) {
        throw new SandboxControlError(`Purchase order '${po}' already exists`);
      }
      const today = state.clock.today();
      const status = input.OrderStatus ?? "1";
      const warehouse = input.Warehouse ?? "N1";
      const centre =
        state.customer.warehouses.find((w) => w.code === warehouse)?.costCentre ?? "100";
      hdrTable.insert({
        PurchaseOrder: po,
        Supplier: input.Supplier,
        OrderEntryDate: input.OrderEntryDate ?? today,
        OrderDueDate: input.OrderDueDate ?? today,
        OrderStatus: status,
        CancelledFlag: status === "*" ? "Y" : "N",
        Buyer: input.Buyer ?? "SBX",
        Warehouse: warehouse,
      });
      input.lines.forEach((l, i) => {
        state.tables.PorMasterDetail.insert({
          PurchaseOrder: po,
          Line: String(i + 1),
          MStockCode: l.MStockCode,
          MStockDes: l.MStockDes ?? l.MStockCode,
          MOrderQty: l.MOrderQty,
          MReceivedQty: l.MReceivedQty ?? "0",
          MPrice: l.MPrice,
          MForeignPrice: l.MPrice,
          MGlCode: l.MGlCode ?? `5000-${centre}`,
          MWarehouse: l.MWarehouse ?? warehouse,
          MLatestDueDate: input.OrderDueDate ?? today,
          MOrderUom: "EA",
        });
      });
      return state.find(hdrTable, { PurchaseOrder: po })![1];
    },

    /** Rows of a table matching column equalities (all rows when `where` is empty), up to `limit`. */
    rows(tableName: string, where: Record<string, string> = {}, limit = 1000): Row[] {
      const t = table(tableName);
      return state.findAll(t, canonical(t, where), limit).map(([, r]) => ({ ...r }));
    },

    /** Changes matching rows (e.g. put a GL code on hold); returns how many. */
    updateRows(
      tableName: string,
      where: Record<string, string>,
      set: Record<string, string>,
    ): number {
      const t = table(tableName);
      const patch = canonical(t, set);
      const found = state.findAll(t, canonical(t, where));
      for (const [ref] of found) {
        t.update(ref, patch);
      }
      return found.length;
    },

    snapshot(): StateSnapshot {
      const tables: StateSnapshot["tables"] = {};
      for (const t of allTables(state.tables)) {
        tables[t.name] = { seedIndexes: t.seed.count, ...t.changes() };
      }
      return {
        now: control.now(),
        company: { id: state.company.id, name: state.company.name },
        variants: control.variants(),
        sessions: sessions.snapshot(),
        sessionSettings: sessions.settings(),
        faults: faults.list(),
        tables,
        requests: log.lastSeq(),
      };
    },

    /** Logged requests after `since` (a seq number). */
    requests: (since?: number): RequestLogEntry[] => log.list(since),
    clearRequests: (): void => log.clear(),

    /** Back to the seed: tables, sessions, faults, variants, clock and log. */
    reset(): void {
      state.reset();
      sessions.clear();
      faults.clear();
      log.clear();
      deps.setVariants({ ...deps.initialVariants });
      state.clock.set(deps.initialClock);
      invoiceSeq = 0;
    },
  };
  return control;
}

export type SysproControl = ReturnType<typeof createControl>;
