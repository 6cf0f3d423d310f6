/**
 * The controls over HTTP, under `/__sandbox`, for the demo and for processes that did not start the
 * sandbox themselves. Bodies are JSON; errors are `400 {"error": "…"}`.
 */
import type { IncomingMessage } from "node:http";

import type { AnomalyRequest } from "./anomalies.js";
import type { AvidSandboxControl, Scope } from "./control.js";
import type { InvoicePlan, PaymentPlan } from "./dataset.js";
import type { FaultSpec } from "./faults.js";
import type { Reply } from "./http-io.js";
import type { ControlHandler } from "./server.js";

/** Also served under `/__sim/…`, the contract's name for the hooks. */
const ROUTES = [
  "GET  /__sandbox/clock",
  "POST /__sandbox/clock            {advanceMs?, to?, accelerate?}",
  "GET  /__sandbox/faults",
  "POST /__sandbox/faults           FaultSpec | {kind: 'revoke-tokens', clientId?}",
  "DELETE /__sandbox/faults[?id=]",
  "GET  /__sandbox/state[?companyId=&keyType=]",
  "GET  /__sandbox/requests",
  "DELETE /__sandbox/requests",
  "POST /__sandbox/anomalies        AnomalyRequest",
  "POST /__sandbox/plans/invoices   {ref, plan, companyId?, keyType?}",
  "POST /__sandbox/plans/payments   {paymentId, plan, companyId?, keyType?}",
  "POST /__sandbox/payment-run      {companyId?, keyType?}",
  "POST /__sandbox/payments/void    {paymentId, companyId?, keyType?}",
  "POST /__sandbox/tokens/revoke    {clientId?}",
  "POST /__sandbox/variants         Partial<Variants>",
  "POST /__sandbox/rate-limit       {requestsPerMinute?, burstPerSecond?} | {enabled: false}",
  "POST /__sandbox/lifecycle        {probabilities}",
];

function scopeOf(body: Record<string, unknown>): Scope {
  const scope: Scope = {};
  if (typeof body.companyId === "string") {
    scope.companyId = body.companyId;
  }
  if (body.keyType === "production" || body.keyType === "sandbox") {
    scope.keyType = body.keyType;
  }
  return scope;
}

function ok(json: unknown): Reply {
  return { status: 200, json };
}

export function createControlRoutes(control: AvidSandboxControl): ControlHandler {
  const dispatch = (
    method: string,
    path: string,
    url: URL,
    body: Record<string, unknown>,
  ): Reply => {
    const route = `${method} ${path.replace(/^\/__sim/, "/__sandbox").replace(/\/+$/, "")}`;
    switch (route) {
      case "GET /__sandbox":
        return ok({ routes: ROUTES });
      case "GET /__sandbox/clock":
        return ok({ now: control.now() });
      case "POST /__sandbox/clock": {
        let eventsRun = 0;
        if (typeof body.to === "string" || typeof body.to === "number") {
          eventsRun += control.setTime(body.to);
        }
        if (typeof body.advanceMs === "number") {
          eventsRun += control.advance(body.advanceMs);
        }
        if (typeof body.accelerate === "number") {
          control.accelerate(body.accelerate);
        }
        return ok({ now: control.now(), eventsRun });
      }
      case "GET /__sandbox/faults":
        return ok({ faults: control.faults() });
      case "POST /__sandbox/faults":
        // Revocation is not a per-request fault; it happens at once.
        if (body.kind === "revoke-tokens") {
          return ok({
            revoked: control.revokeTokens(
              typeof body.clientId === "string" ? { clientId: body.clientId } : {},
            ),
          });
        }
        return ok({ id: control.addFault(body as unknown as FaultSpec) });
      case "DELETE /__sandbox/faults": {
        const id = url.searchParams.get("id");
        control.clearFaults(id === null ? undefined : Number(id));
        return ok({ faults: control.faults() });
      }
      case "GET /__sandbox/state": {
        const companyId = url.searchParams.get("companyId");
        const keyType = url.searchParams.get("keyType");
        return ok(
          control.snapshot({
            ...(companyId ? { companyId } : {}),
            ...(keyType === "production" || keyType === "sandbox" ? { keyType: keyType } : {}),
          }),
        );
      }
      case "GET /__sandbox/requests":
        return ok({ requests: control.requests() });
      case "DELETE /__sandbox/requests":
        control.clearRequests();
        return ok({ requests: [] });
      case "POST /__sandbox/anomalies":
        return ok(control.injectAnomaly(body as unknown as AnomalyRequest & Scope));
      case "POST /__sandbox/plans/invoices":
        control.planInvoice(body.ref as number | string, body.plan as InvoicePlan, scopeOf(body));
        return ok({ planned: body.ref });
      case "POST /__sandbox/plans/payments":
        control.planPayment(Number(body.paymentId), body.plan as PaymentPlan, scopeOf(body));
        return ok({ planned: body.paymentId });
      case "POST /__sandbox/payment-run":
        return ok({ payments: control.runPaymentRun(scopeOf(body)) });
      case "POST /__sandbox/payments/void":
        return ok(control.voidPayment(Number(body.paymentId), scopeOf(body)));
      case "POST /__sandbox/tokens/revoke":
        return ok({
          revoked: control.revokeTokens(
            typeof body.clientId === "string" ? { clientId: body.clientId } : {},
          ),
        });
      case "POST /__sandbox/variants":
        control.setVariants(body);
        return ok({ updated: Object.keys(body) });
      case "POST /__sandbox/rate-limit":
        control.setRateLimit(body.enabled === false ? false : body);
        return ok({ updated: true });
      case "POST /__sandbox/lifecycle":
        control.setProbabilities(body.probabilities ?? {});
        return ok({ updated: true });
      default:
        return { status: 404, json: { error: `No control route ${route}`, routes: ROUTES } };
    }
  };

  return (req: IncomingMessage, url: URL, raw: Buffer): Reply => {
    try {
      const text = raw.toString("utf8").trim();
      const parsed: unknown = text ? JSON.parse(text) : {};
      const body =
        typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
      return dispatch((req.method ?? "GET").toUpperCase(), url.pathname, url, body);
    } catch (error) {
      return {
        status: 400,
        json: { error: error instanceof Error ? error.message : String(error) },
      };
    }
  };
}
