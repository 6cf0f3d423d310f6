/**
 * The "Done when" scenario of issue 8, shared by the plain and the fault run: reference data,
 * suppliers, purchase orders and invoices go out; AvidXchange approves (re-coding three lines on
 * the test's plan) and pays; three anomalous payments arrive; payments are posted; one posted
 * payment is voided and must be reversed; then every sync repeats until a whole round changes
 * nothing. Every choice (which invoices are re-coded, which payment is voided) is derived from
 * sorted business keys, so both runs make the same ones whatever ids the systems hand out.
 */
import { isDeepStrictEqual } from "node:util";

import { and, asc, eq, isNotNull } from "drizzle-orm";

import { ON_HOLD_GL_CODES } from "../../sandboxes/reference-customer/index.js";
import { invoiceLines, invoices } from "../../src/db/schema/index.js";
import { isNotWired } from "./drivers.js";
import { projectState } from "./projection.js";

import type { AnomalyKind } from "../../sandboxes/avidxchange/index.js";
import type { SyncKind } from "../../src/glossary.js";
import type { SyncDriver, SyncRunRow } from "./drivers.js";
import type { Projection } from "./projection.js";
import type { E2eWorld } from "./world.js";

export type { Projection } from "./projection.js";
export { projectState } from "./projection.js";
export { createE2eWorld, QUICK_TUNING } from "./world.js";
export type { E2eWorld } from "./world.js";
export { createInProcessDriver } from "./drivers.js";
export type { SyncDriver, SyncRunRow } from "./drivers.js";

const HOUR = 3_600_000;
/** After the 15:00 payment run every payment has walked to `Funds Received`, where it waits. */
const PAYMENTS_WAITING_AT = "2026-11-02T22:00:00.000Z";
/** Accounts whose codes have exact mappings (with a Location) that a plain re-code cannot hit. */
const EXACT_ACCOUNTS = new Set(["5100", "6700"]);
const SETTLE_ROUNDS = 4;

export type ScenarioStep =
  | "reference_data"
  | "suppliers"
  | "purchase_orders"
  | "invoices"
  | "approvals"
  | "payments"
  | "reversal"
  | "settle";

export interface ScenarioHooks {
  /** Before each sync (the fault run arms its faults here). */
  beforeSync?(step: ScenarioStep, kind: SyncKind): Promise<void> | void;
  /** Wraps a sync (the fault run kills the worker during one). */
  aroundSync?(
    step: ScenarioStep,
    kind: SyncKind,
    run: () => Promise<SyncRunRow>,
  ): Promise<SyncRunRow>;
}

/** One approver re-code the scenario planned, and the journal it should cause in SYSPRO. */
export interface PlannedRecode {
  readonly externalInvoiceId: string;
  readonly ref: string;
  readonly lineNumber: number;
  readonly amount: string;
  readonly fromSysproGl: string;
  readonly toSysproGl: string;
  readonly avid: { readonly glCode?: string; readonly department?: string };
}

export interface PlannedAnomaly {
  readonly kind: AnomalyKind;
  readonly paymentId: number;
  readonly amount: string;
  /** The invoice it pretends to pay (none for an unknown invoice). */
  readonly externalInvoiceId: string | null;
}

export interface ScenarioRecord {
  readonly recodes: readonly PlannedRecode[];
  readonly anomalies: readonly PlannedAnomaly[];
  /** The posted payment AvidPay voided afterwards (absent when payments are not wired yet). */
  readonly voided?: { readonly paymentId: number; readonly externalInvoiceIds: string[] };
  /** Whether each late flow is wired in the worker (FLOWS of src/jobs/sync-run.ts). */
  readonly flows: { readonly approvals: boolean; readonly payments: boolean };
  /** Every run, in order, with the step it belonged to. */
  readonly runs: readonly { readonly step: ScenarioStep; readonly run: SyncRunRow }[];
  /** How many settle rounds it took until a round changed nothing. */
  readonly settleRounds: number;
}

export async function playScenario(
  world: E2eWorld,
  driver: SyncDriver,
  hooks: ScenarioHooks = {},
): Promise<ScenarioRecord> {
  const runs: { step: ScenarioStep; run: SyncRunRow }[] = [];
  const sync = async (step: ScenarioStep, kind: SyncKind): Promise<SyncRunRow> => {
    await hooks.beforeSync?.(step, kind);
    // Some GL codes in use are unmapped on purpose, so the connection is not ready: force, and
    // the unmapped lines still become exceptions.
    const go = () => driver.sync(kind, { force: kind === "invoices" });
    const run = hooks.aroundSync ? await hooks.aroundSync(step, kind, go) : await go();
    runs.push({ step, run });
    if (run.state !== "succeeded" && !isNotWired(run)) {
      const failed = world.syspro.control
        .requests()
        .filter((r) => r.status >= 500)
        .slice(-3)
        .map((r) => `${r.operation}: ${r.error ?? r.status}`);
      throw new Error(
        `${kind} sync (${step}) ended ${run.state}: ${run.error ?? ""} (${failed.join("; ")})`,
      );
    }
    return run;
  };

  await sync("reference_data", "reference_data");
  await sync("suppliers", "suppliers");
  await sync("purchase_orders", "purchase_orders");
  await sync("invoices", "invoices");

  const recodes = await planRecodes(world);
  // Received after a minute, one or two approval steps of about ten minutes each.
  world.avid.control.advance(2 * HOUR);
  const approvals = !isNotWired(await sync("approvals", "approvals"));

  // The 15:00 payment run pays every approved invoice; its payments then wait at Funds Received.
  world.avid.control.setTime(PAYMENTS_WAITING_AT);
  const anomalies = await injectAnomalies(world, recodes);
  const payments = !isNotWired(await sync("payments", "payments"));
  let voided: ScenarioRecord["voided"];
  if (payments) {
    voided = voidOnePayment(world);
    await sync("reversal", "payments");
  }

  const kinds: SyncKind[] = ["suppliers", "purchase_orders", "invoices"];
  if (approvals) {
    kinds.push("approvals");
  }
  if (payments) {
    kinds.push("payments");
  }
  let before: Projection = await projectState(world);
  let settleRounds = 0;
  for (; settleRounds < SETTLE_ROUNDS;) {
    settleRounds += 1;
    for (const kind of kinds) {
      await sync("settle", kind);
    }
    const after = await projectState(world);
    if (isDeepStrictEqual(before, after)) {
      break;
    }
    before = after;
  }
  return {
    recodes,
    anomalies,
    ...(voided ? { voided } : {}),
    flows: { approvals, payments },
    runs,
    settleRounds,
  };
}

/** Sent USD invoices, ordered by our ExternalInvoiceId (the same in every run). */
async function sentInvoices(world: E2eWorld) {
  return world.t.db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.connectionId, world.connectionId),
        isNotNull(invoices.avidInvoiceId),
        eq(invoices.currency, "USD"),
      ),
    )
    .orderBy(asc(invoices.externalInvoiceId));
}

/**
 * Plans three re-codes on line 1 of sent invoices: two to another GL account, one to another
 * Department (cost centre). Targets are postable SYSPRO accounts (not on hold) that the segment
 * rules map to and back without ambiguity, so each must become exactly one reclassification.
 */
async function planRecodes(world: E2eWorld): Promise<PlannedRecode[]> {
  const planned: PlannedRecode[] = [];
  for (const invoice of await sentInvoices(world)) {
    if (planned.length === 3) {
      break;
    }
    const [line] = await world.t.db
      .select()
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceId, invoice.id))
      .orderBy(asc(invoiceLines.lineNumber))
      .limit(1);
    const [account, centre] = (line?.sysproGlCode ?? "").split("-");
    if (!line || !account || !centre || EXACT_ACCOUNTS.has(account)) {
      continue;
    }
    const postable = (code: string) =>
      !ON_HOLD_GL_CODES.includes(code) && !EXACT_ACCOUNTS.has(code.split("-")[0]!);
    const byDepartment = planned.length === 2;
    const target = byDepartment
      ? ["220", "230", "210", "100"].map((c) => `${account}-${c}`)
      : ["6900", "6800", "6500"].map((a) => `${a}-${centre}`);
    const toSysproGl = target.find((code) => code !== line.sysproGlCode && postable(code));
    if (!toSysproGl) {
      continue;
    }
    const [newAccount, newCentre] = toSysproGl.split("-") as [string, string];
    const avid = byDepartment ? { department: newCentre } : { glCode: newAccount };
    world.avid.control.planInvoice(invoice.externalInvoiceId, {
      decision: "approve",
      recode: { line: line.lineNumber, ...avid },
    });
    planned.push({
      externalInvoiceId: invoice.externalInvoiceId,
      ref: `${invoice.sysproSupplierCode}/${invoice.invoiceNumber}`,
      lineNumber: line.lineNumber,
      amount: line.amount,
      fromSysproGl: line.sysproGlCode,
      toSysproGl,
      avid,
    });
  }
  if (planned.length < 3) {
    throw new Error(`only ${planned.length} invoices could be planned for a re-code`);
  }
  return planned;
}

/** A payment above its invoice, one in another currency, and one for an invoice we never sent. */
async function injectAnomalies(
  world: E2eWorld,
  recodes: readonly PlannedRecode[],
): Promise<PlannedAnomaly[]> {
  const recoded = new Set(recodes.map((r) => r.externalInvoiceId));
  const candidates = (await sentInvoices(world)).filter((i) => !recoded.has(i.externalInvoiceId));
  const kinds: AnomalyKind[] = ["overpayment", "currency", "unknown-invoice"];
  return kinds.map((kind, i) => {
    const invoice = candidates[i]!;
    const payment = world.avid.control.injectAnomaly({
      kind,
      externalInvoiceIds: [invoice.externalInvoiceId],
    });
    return {
      kind,
      paymentId: Number(payment.PaymentId),
      amount: String(payment.Amount),
      externalInvoiceId: kind === "unknown-invoice" ? null : invoice.externalInvoiceId,
    };
  });
}

/** AvidPay voids the posted lifecycle payment of the lowest payee code (then smallest amount). */
function voidOnePayment(world: E2eWorld): NonNullable<ScenarioRecord["voided"]> {
  const payment = world.avid.control
    .snapshot()
    .payments.filter(
      (p) =>
        p.Origin === "lifecycle" &&
        (p.Status as { Description: string }).Description === "Funds Received",
    )
    .map((p) => ({
      id: Number(p.PaymentId),
      payee: String((p.Payee as { ExternalId: { Value: string } }).ExternalId.Value),
      amount: Number(p.Amount),
      externalInvoiceIds: (p.Remittance as { ExternalInvoiceId: string }[]).map(
        (r) => r.ExternalInvoiceId,
      ),
    }))
    .sort((a, b) => a.payee.localeCompare(b.payee) || a.amount - b.amount)[0];
  if (!payment) {
    throw new Error("no payment at Funds Received to void");
  }
  world.avid.control.voidPayment(payment.id);
  return { paymentId: payment.id, externalInvoiceIds: payment.externalInvoiceIds };
}
