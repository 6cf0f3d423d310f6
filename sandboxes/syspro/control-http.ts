/**
 * The control API over HTTP (JSON), under `/__sandbox/`:
 *
 *   GET    /__sandbox/state                    snapshot (clock, variants, sessions, faults, table counts)
 *   GET    /__sandbox/requests?since=N         request log   · DELETE clears it
 *   GET    /__sandbox/faults                   active faults · POST adds one (FaultRule) · DELETE clears
 *   POST   /__sandbox/sessions/kill            {operator?}: the second-logon kill
 *   POST   /__sandbox/sessions/expiry          {idleMinutes?, everyCalls?}
 *   GET    /__sandbox/variants                 · POST {…partial Variants}
 *   POST   /__sandbox/clock                    {now?: ISO} or {advanceMs?: number}
 *   POST   /__sandbox/suppliers | invoices | purchase-orders    new SYSPRO activity
 *   GET    /__sandbox/tables/{name}?Col=value&limit=N            rows   · PATCH {where, set}
 *   POST   /__sandbox/reset
 */
import { isSandboxControlError } from "./control.js";
import type { AddInvoiceInput, AddPurchaseOrderInput, SysproControl } from "./control.js";
import type { FaultRule } from "./types.js";

export interface ControlResponse {
  status: number;
  body: unknown;
}

function asObject(body: unknown): Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

export function handleControl(
  control: SysproControl,
  method: string,
  subPath: string,
  query: URLSearchParams,
  rawBody: string,
): ControlResponse {
  let body: unknown;
  try {
    body = rawBody.trim() === "" ? {} : JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { error: "Body is not JSON" } };
  }
  const b = asObject(body);
  const route = `${method} ${subPath.replace(/\/+$/, "")}`;
  try {
    switch (route) {
      case "GET /state":
        return { status: 200, body: control.snapshot() };
      case "GET /requests":
        return { status: 200, body: control.requests(Number(query.get("since") ?? "0")) };
      case "DELETE /requests":
        control.clearRequests();
        return { status: 204, body: null };
      case "GET /faults":
        return { status: 200, body: control.faults() };
      case "POST /faults":
        return { status: 201, body: { id: control.addFault(body as FaultRule) } };
      case "DELETE /faults":
        control.clearFaults();
        return { status: 204, body: null };
      case "POST /sessions/kill":
        return {
          status: 200,
          body: {
            killed: control.killSessions(typeof b.operator === "string" ? b.operator : undefined),
          },
        };
      case "POST /sessions/expiry":
        control.setSessionExpiry(b);
        return { status: 200, body: control.snapshot().sessionSettings };
      case "GET /variants":
        return { status: 200, body: control.variants() };
      case "POST /variants":
        return { status: 200, body: control.setVariants(b) };
      case "POST /clock":
        if (typeof b.now === "string") {
          return { status: 200, body: { now: control.setClock(b.now) } };
        }
        return { status: 200, body: { now: control.advanceClock(Number(b.advanceMs ?? 0)) } };
      case "POST /suppliers":
        return { status: 201, body: control.addSupplier(b as { SupplierName: string }) };
      case "POST /invoices":
        return { status: 201, body: control.addInvoice(b as unknown as AddInvoiceInput) };
      case "POST /purchase-orders":
        return {
          status: 201,
          body: control.addPurchaseOrder(b as unknown as AddPurchaseOrderInput),
        };
      case "POST /reset":
        control.reset();
        return { status: 204, body: null };
    }
    const table = /^(GET|PATCH) \/tables\/([A-Za-z]+)$/.exec(route);
    if (table !== null) {
      const name = table[2]!;
      if (table[1] === "GET") {
        const where: Record<string, string> = {};
        for (const [k, v] of query) {
          if (k !== "limit") {
            where[k] = v;
          }
        }
        return {
          status: 200,
          body: control.rows(name, where, Number(query.get("limit") ?? "1000")),
        };
      }
      const updated = control.updateRows(
        name,
        asObject(b.where) as Record<string, string>,
        asObject(b.set) as Record<string, string>,
      );
      return { status: 200, body: { updated } };
    }
    return { status: 404, body: { error: `No control route ${route}` } };
  } catch (e) {
    if (isSandboxControlError(e)) {
      return { status: 400, body: { error: e.message, details: e.details } };
    }
    if (e instanceof RangeError) {
      return { status: 400, body: { error: e.message } };
    }
    throw e;
  }
}
