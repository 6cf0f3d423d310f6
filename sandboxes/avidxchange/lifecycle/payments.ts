/**
 * A payment's walk through its AvidPay chain (§7.6) on the simulated clock, with the side exits Held,
 * Error (with an exception reason, later resolved) and Void. Every transition appends a history row and
 * bumps LastModifiedDate. Clearing marks the settled invoices Paid; a void returns them to Approved so
 * the next payment run pays them again.
 */
import type { Dataset, PaymentPlan } from "../dataset.js";
import { iso, isoDate } from "../dates.js";
import type { Payment, PaymentPath, RemittanceLine } from "../model.js";
import { deriveSeed, jitter, mulberry32 } from "../prng.js";
import type { PaymentMethod, PaymentStatus } from "../statuses.js";
import { FINAL_PAYMENT_STATUSES, PAYMENT_CHAINS, PAYMENT_EXCEPTION_REASONS } from "../statuses.js";
import type { World } from "../world.js";
import { setInvoiceStatus } from "./invoices.js";

/** No side exits: the payment walks its chain to Cleared. */
export const HAPPY_PATH: PaymentPath = {
  heldAfter: null,
  errorAfter: null,
  errorReason: PAYMENT_EXCEPTION_REASONS[0],
  voidAfter: null,
};

/** A vendor's payment method, fixed per vendor code (independent of the order payments are made in). */
export function methodForVendor(world: World, vendorCode: string): PaymentMethod {
  const w = world.options.lifecycle.paymentMethodWeights;
  const r =
    mulberry32(deriveSeed(world.options.seed, "method", vendorCode))() * (w.check + w.ach + w.vcc);
  return r < w.check ? "check" : r < w.check + w.ach ? "ach" : "vcc";
}

/** The path a new payment takes: a test's plan if any, else drawn from the configured probabilities. */
export function pathFor(world: World, ds: Dataset, plan: PaymentPlan | undefined): PaymentPath {
  const p = world.options.lifecycle.probabilities;
  // Always five draws, so a forced plan does not shift the random stream of later payments.
  const draws = [ds.rng(), ds.rng(), ds.rng(), ds.rng(), ds.rng()] as const;
  const reasonOf = (id: number | undefined) =>
    PAYMENT_EXCEPTION_REASONS.find((r) => r.Id === id) ??
    PAYMENT_EXCEPTION_REASONS[Math.floor(draws[4] * PAYMENT_EXCEPTION_REASONS.length)]!;
  if (plan) {
    return {
      heldAfter: plan.outcome === "held" ? (plan.after ?? "Pending Approval") : null,
      errorAfter: plan.outcome === "error" ? (plan.after ?? "Processing") : null,
      errorReason: reasonOf(plan.reasonId),
      voidAfter: plan.outcome === "void" ? (plan.after ?? "Funds Received") : null,
    };
  }
  const voidSteps: PaymentStatus[] = [
    "Pending Approval",
    "Processing",
    "Debit Requested",
    "Funds Received",
  ];
  const voidAfter =
    draws[0] < p.paymentVoid ? voidSteps[Math.floor(draws[1] * voidSteps.length)]! : null;
  return {
    heldAfter: draws[2] < p.paymentHeld ? "Pending Approval" : null,
    errorAfter: voidAfter === null && draws[3] < p.paymentError ? "Processing" : null,
    errorReason: reasonOf(undefined),
    voidAfter,
  };
}

export interface NewPayment {
  batchId: string;
  externalIds?: string[];
  payee: { code: string; name: string };
  currency: string;
  method: PaymentMethod;
  remittance: RemittanceLine[];
  amountCents: number;
  origin: Payment["origin"];
  anomaly?: string;
  path: PaymentPath;
  /** Start somewhere along the chain (anomalies); default Pending Approval. */
  startAt?: PaymentStatus;
  checkNumber?: string;
  paymentDate?: string;
}

export function createPayment(world: World, ds: Dataset, spec: NewPayment, at: number): Payment {
  const id = ds.ids.payment++;
  const chain = PAYMENT_CHAINS[spec.method];
  const startIndex = Math.max(0, chain.indexOf(spec.startAt ?? "Pending Approval"));
  const payment: Payment = {
    PaymentId: id,
    BatchId: spec.batchId,
    externalIds: spec.externalIds ?? [`PAY-${id}`],
    CheckNumber: spec.method === "check" ? (spec.checkNumber ?? String(ds.ids.check++)) : null,
    AvidPayChecknumber: spec.method === "check" ? String(ds.ids.avidCheck++) : null,
    amountCents: spec.amountCents,
    Currency: spec.currency,
    PaymentDate: spec.paymentDate ?? isoDate(at),
    method: spec.method,
    status: chain[startIndex]!,
    chainIndex: startIndex,
    clearedMs: null,
    exceptions: [],
    payee: spec.payee,
    remittance: spec.remittance,
    bankClientId: world.options.bankAccountClientId,
    history: [],
    path: spec.path,
    heldDone: false,
    errorDone: false,
    origin: spec.origin,
    anomaly: spec.anomaly ?? null,
    epoch: 0,
    createdMs: at,
    lastModifiedMs: at,
  };
  ds.payments.set(id, payment);
  for (const ext of payment.externalIds) {
    ds.paymentsByExternalId.set(ext, payment);
  }
  addPaymentHistory(
    ds,
    payment,
    "Payment Created",
    `Payment created in status ${payment.status}`,
    at,
  );
  if (spec.origin !== "anomaly") {
    for (const line of spec.remittance) {
      const inv = line.InvoiceId === null ? undefined : ds.invoices.get(line.InvoiceId);
      // Only an Approved invoice is waiting for money; others keep their approval state.
      if (inv && inv.status === "Approved") {
        inv.paymentId = id;
        ds.approved.delete(inv.InvoiceId);
        setInvoiceStatus(inv, "Payment Scheduled", at);
      }
    }
  }
  scheduleStep(world, ds, payment, at);
  return payment;
}

function addPaymentHistory(
  ds: Dataset,
  p: Payment,
  process: string,
  comment: string,
  at: number,
): void {
  p.history.push({
    Id: ds.ids.history++,
    PaymentID: p.PaymentId,
    PaymentProcessName: process,
    Description: p.status,
    Comment: comment,
    InsertDateTime: iso(at),
  });
  p.lastModifiedMs = Math.max(p.lastModifiedMs, at);
}

function setPaymentStatus(
  ds: Dataset,
  p: Payment,
  status: PaymentStatus,
  process: string,
  comment: string,
  at: number,
): void {
  const from = p.status;
  p.status = status;
  addPaymentHistory(ds, p, process, comment || `Status changed from ${from} to ${status}`, at);
}

function scheduleStep(world: World, ds: Dataset, p: Payment, at: number): void {
  if (!world.options.lifecycle.enabled || FINAL_PAYMENT_STATUSES.has(p.status)) {
    return;
  }
  const epoch = p.epoch;
  const delay = jitter(ds.rng, world.options.lifecycle.timings.paymentStatusMs[p.status]);
  ds.scheduler.schedule(at + delay, (t) => {
    if (p.epoch === epoch) {
      stepPayment(world, ds, p, t);
    }
  });
}

/** One transition from the current status. */
export function stepPayment(world: World, ds: Dataset, p: Payment, at: number): void {
  if (FINAL_PAYMENT_STATUSES.has(p.status)) {
    return;
  }
  const chain = PAYMENT_CHAINS[p.method];
  const current = chain[p.chainIndex]!;
  if (p.status === "Held" || p.status === "Error") {
    const resolved = p.status === "Error" ? "Exception resolved" : "Payment released";
    p.exceptions = [];
    setPaymentStatus(ds, p, current, "Status Change", resolved, at);
  } else if (p.path.voidAfter === current) {
    voidPayment(world, ds, p, "Voided by AvidPay", at);
    return;
  } else if (p.path.errorAfter === current && !p.errorDone) {
    p.errorDone = true;
    p.exceptions = [{ ...p.path.errorReason }];
    setPaymentStatus(ds, p, "Error", "Payment Exception", p.path.errorReason.Description, at);
  } else if (p.path.heldAfter === current && !p.heldDone) {
    p.heldDone = true;
    setPaymentStatus(ds, p, "Held", "Status Change", "Payment held for review", at);
  } else {
    p.chainIndex += 1;
    const next = chain[p.chainIndex]!;
    setPaymentStatus(ds, p, next, "Status Change", "", at);
    if (next === "Cleared") {
      p.clearedMs = at;
      settleInvoices(ds, p, at);
    }
  }
  scheduleStep(world, ds, p, at);
}

function settleInvoices(ds: Dataset, p: Payment, at: number): void {
  if (p.origin === "anomaly") {
    return;
  }
  for (const line of p.remittance) {
    const inv = line.InvoiceId === null ? undefined : ds.invoices.get(line.InvoiceId);
    if (inv && inv.paymentId === p.PaymentId) {
      setInvoiceStatus(inv, "Paid", at);
    }
  }
}

/** Voids a payment (caller checked it is not final); its invoices go back to Approved. */
export function voidPayment(
  world: World,
  ds: Dataset,
  p: Payment,
  comment: string,
  at: number,
): void {
  p.epoch += 1;
  p.exceptions = [];
  setPaymentStatus(ds, p, "Void", "Payment Void", comment, at);
  if (p.origin === "anomaly") {
    return;
  }
  for (const line of p.remittance) {
    const inv = line.InvoiceId === null ? undefined : ds.invoices.get(line.InvoiceId);
    if (inv && inv.paymentId === p.PaymentId) {
      inv.paymentId = null;
      setInvoiceStatus(inv, "Approved", at);
      if (world.options.lifecycle.enabled) {
        ds.approved.add(inv.InvoiceId);
      }
    }
  }
}
