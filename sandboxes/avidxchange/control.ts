/**
 * Test and demo controls: the clock, lifecycle plans, anomalies, faults, token revocation, variants,
 * state snapshots and the request log. Everything here is for assertions and demos, never the API.
 */
import type { AnomalyRequest } from "./anomalies.js";
import { injectAnomaly } from "./anomalies.js";
import type { Dataset, InvoicePlan, PaymentPlan } from "./dataset.js";
import { iso } from "./dates.js";
import { SandboxControlError } from "./errors.js";
import type { ActiveFault, FaultSpec } from "./faults.js";
import { runPayments } from "./lifecycle/payment-run.js";
import { HAPPY_PATH, voidPayment } from "./lifecycle/payments.js";
import type { Payment } from "./model.js";
import {
  renderCode,
  renderInvoice,
  renderPayment,
  renderPurchaseOrder,
  renderVendor,
} from "./model.js";
import { DEFAULT_RATE_LIMIT } from "./options.js";
import type {
  KeyType,
  LifecycleProbabilities,
  RateLimitOptions,
  SandboxClient,
  Variants,
} from "./options.js";
import type { RequestLogEntry } from "./request-log.js";
import { FINAL_PAYMENT_STATUSES } from "./statuses.js";
import type { World } from "./world.js";

/** Which data set a control acts on; default: the first configured company, production keys. */
export interface Scope {
  companyId?: string;
  keyType?: KeyType;
}

/** An invoice by InvoiceId (number) or ExternalInvoiceId (string). */
export type InvoiceRef = number | string;

export interface StateSnapshot {
  now: string;
  companyId: string;
  keyType: KeyType;
  vendors: Record<string, unknown>[];
  enterpriseCodes: Record<string, unknown>[];
  purchaseOrders: Record<string, unknown>[];
  invoices: Record<string, unknown>[];
  /** Wire records plus `PaymentHistory` and the sandbox's own `Origin` / `Anomaly` marks. */
  payments: Record<string, unknown>[];
  pendingEvents: number;
}

export interface AvidSandboxControl {
  /** Simulated now, ISO. */
  now(): string;
  /** Moves the clock forward and runs every lifecycle event that fell due; returns how many ran. */
  advance(ms: number): number;
  /** Jumps the clock to a later time (ISO or epoch ms). */
  setTime(time: string | number): number;
  /** Simulated ms per real ms (600 = one real second is ten simulated minutes); 0 = manual clock. */
  accelerate(factor: number): void;
  setProbabilities(probabilities: Partial<LifecycleProbabilities>): void;
  /** What the approvers and AvidPay do with one invoice (may be set before the invoice is posted). */
  planInvoice(ref: InvoiceRef, plan: InvoicePlan, scope?: Scope): void;
  /** Changes the remaining path of an existing payment. */
  planPayment(paymentId: number, plan: PaymentPlan, scope?: Scope): void;
  /** Runs a payment run now (pays every Approved invoice); returns the payments made. */
  runPaymentRun(scope?: Scope): Record<string, unknown>[];
  /** Voids a payment now, as AvidPay would; refuses a Cleared or Void one. */
  voidPayment(paymentId: number, scope?: Scope): Record<string, unknown>;
  injectAnomaly(request: AnomalyRequest & Scope): Record<string, unknown>;
  addFault(spec: FaultSpec): number;
  clearFaults(id?: number): void;
  faults(): ActiveFault[];
  /** Revokes live tokens (all, one client's, or one token); the next call with them gets 401 900901. */
  revokeTokens(filter?: { clientId?: string; token?: string }): number;
  tokensIssued(clientId?: string): number;
  setVariants(variants: Partial<Variants>): void;
  setRateLimit(options: Partial<RateLimitOptions> | false): void;
  resetRateLimits(): void;
  addClient(client: SandboxClient): void;
  snapshot(scope?: Scope): StateSnapshot;
  requests(
    filter?: Partial<Pick<RequestLogEntry, "method" | "path" | "company" | "client">>,
  ): RequestLogEntry[];
  clearRequests(): void;
}

export function createControl(
  world: World,
  onAccelerate: (factor: number) => void,
): AvidSandboxControl {
  const datasetOf = (scope: Scope = {}): Dataset => {
    const companyId = scope.companyId ?? world.options.companies[0]?.id;
    if (companyId === undefined) {
      throw new SandboxControlError("No company configured");
    }
    return world.dataset(scope.keyType ?? "production", companyId);
  };
  const paymentOf = (ds: Dataset, id: number): Payment => {
    const payment = ds.payments.get(id);
    if (!payment) {
      throw new SandboxControlError(`Payment ${id} not found`);
    }
    return payment;
  };

  return {
    now: () => iso(world.clock.now()),
    advance(ms) {
      world.sync();
      world.clock.advance(ms);
      return world.sync();
    },
    setTime(time) {
      const ms = typeof time === "number" ? time : Date.parse(time);
      world.sync();
      world.clock.set(ms);
      return world.sync();
    },
    accelerate(factor) {
      world.sync();
      world.clock.accelerate(factor);
      onAccelerate(factor);
    },
    setProbabilities(probabilities) {
      Object.assign(world.options.lifecycle.probabilities, probabilities);
    },
    planInvoice(ref, plan, scope) {
      const ds = datasetOf(scope);
      ds.invoicePlans.set(typeof ref === "number" ? `id:${ref}` : `ext:${ref}`, { ...plan });
    },
    planPayment(paymentId, plan, scope) {
      const p = paymentOf(datasetOf(scope), paymentId);
      const after = plan.after ?? p.status;
      p.path = {
        ...HAPPY_PATH,
        heldAfter: plan.outcome === "held" ? after : null,
        errorAfter: plan.outcome === "error" ? after : null,
        voidAfter: plan.outcome === "void" ? after : null,
        errorReason: p.path.errorReason,
      };
      p.heldDone = false;
      p.errorDone = false;
    },
    runPaymentRun(scope) {
      world.sync();
      return runPayments(world, datasetOf(scope), world.clock.now()).map(renderPayment);
    },
    voidPayment(paymentId, scope) {
      world.sync();
      const ds = datasetOf(scope);
      const p = paymentOf(ds, paymentId);
      if (FINAL_PAYMENT_STATUSES.has(p.status)) {
        throw new SandboxControlError(`Payment cannot be voided in status ${p.status}`);
      }
      voidPayment(world, ds, p, "Voided by AvidPay", world.clock.now());
      return renderPayment(p);
    },
    injectAnomaly(request) {
      world.sync();
      return renderPayment(injectAnomaly(world, datasetOf(request), request, world.clock.now()));
    },
    addFault: (spec) => world.faults.add(spec),
    clearFaults: (id) => world.faults.clear(id),
    faults: () => world.faults.list(),
    revokeTokens: (filter) => world.tokens.revoke(filter),
    tokensIssued: (clientId) => world.tokens.issuedCount(clientId),
    setVariants(variants) {
      Object.assign(world.variants, variants);
    },
    setRateLimit(options) {
      const current = world.limiter.options;
      world.limiter.configure(
        options === false ? false : { ...DEFAULT_RATE_LIMIT, ...(current || {}), ...options },
      );
    },
    resetRateLimits: () => world.limiter.reset(),
    addClient(client) {
      const others = world.options.clients.filter((c) => c.clientId !== client.clientId);
      world.options.clients.splice(0, world.options.clients.length, ...others, {
        ...client,
        companies: [...client.companies],
      });
    },
    snapshot(scope) {
      world.sync();
      const ds = datasetOf(scope);
      const sorted = <T>(map: Map<unknown, T>, id: (t: T) => number): T[] =>
        [...map.values()].sort((a, b) => id(a) - id(b));
      return {
        now: iso(world.clock.now()),
        companyId: ds.company.id,
        keyType: ds.keyType,
        vendors: sorted(ds.vendors, (v) => v.VendorId).map(renderVendor),
        enterpriseCodes: sorted(ds.codes, (c) => c.EnterpriseCodeId).map(renderCode),
        purchaseOrders: sorted(ds.purchaseOrders, (p) => p.PurchaseOrderId).map(
          renderPurchaseOrder,
        ),
        invoices: sorted(ds.invoices, (i) => i.InvoiceId).map(renderInvoice),
        payments: sorted(ds.payments, (p) => p.PaymentId).map((p) => ({
          ...renderPayment(p),
          PaymentHistory: p.history.map((h) => ({ ...h })),
          Origin: p.origin,
          Anomaly: p.anomaly,
        })),
        pendingEvents: ds.scheduler.size,
      };
    },
    requests: (filter) => world.log.entries(filter),
    clearRequests: () => world.log.clear(),
  };
}
