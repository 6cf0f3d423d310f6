/**
 * Payments that should never pass the connector's validation (DESIGN flow 5): more than the invoice,
 * in another currency, for an invoice we never sent, or split wrongly across two invoices. They are
 * made on demand by the test controls and leave the invoices' own states alone.
 */
import type { Dataset } from "./dataset.js";
import { batchStamp } from "./dates.js";
import { SandboxControlError } from "./errors.js";
import { HAPPY_PATH, createPayment, methodForVendor } from "./lifecycle/payments.js";
import type { Invoice, Payment, RemittanceLine } from "./model.js";
import { parseCents } from "./money.js";
import type { PaymentStatus } from "./statuses.js";
import type { World } from "./world.js";

export type AnomalyKind = "overpayment" | "currency" | "unknown-invoice" | "wrong-split";

export interface AnomalyRequest {
  kind: AnomalyKind;
  /** Invoices to pay (by InvoiceId or ExternalInvoiceId); default: the most recent suitable ones. */
  invoiceIds?: number[];
  externalInvoiceIds?: string[];
  /** Status the payment starts in (it then walks on to Cleared); default "Funds Received". */
  atStatus?: PaymentStatus;
  /** Decimal string: the excess (overpayment), the amount (unknown-invoice), the shift (wrong-split). */
  amount?: string;
  /** Currency of a "currency" anomaly; default EUR (CAD when the invoice is in EUR). */
  currency?: string;
}

function remit(inv: Invoice, amountCents: number): RemittanceLine {
  return {
    InvoiceId: inv.InvoiceId,
    ExternalInvoiceId: inv.ExternalInvoiceId,
    InvoiceNumber: inv.InvoiceNumber,
    InvoiceDate: inv.InvoiceDate,
    grossCents: amountCents,
    discountCents: 0,
    amountCents,
    Memo: "",
  };
}

function chosenInvoices(ds: Dataset, request: AnomalyRequest): Invoice[] {
  const chosen: Invoice[] = [];
  for (const id of request.invoiceIds ?? []) {
    const inv = ds.invoices.get(id);
    if (!inv) {
      throw new SandboxControlError(`Invoice ${id} not found`);
    }
    chosen.push(inv);
  }
  for (const ext of request.externalInvoiceIds ?? []) {
    const inv = ds.invoicesByExternalId.get(ext);
    if (!inv) {
      throw new SandboxControlError(`Invoice ${ext} not found`);
    }
    chosen.push(inv);
  }
  return chosen;
}

function cents(value: string | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const parsed = parseCents(value);
  if (typeof parsed !== "number" || parsed <= 0) {
    throw new SandboxControlError(`amount must be a positive decimal string, got ${value}`);
  }
  return parsed;
}

/** Newest invoices first, skipping rejected and voided ones. */
function candidates(ds: Dataset): Invoice[] {
  return [...ds.invoices.values()]
    .filter((inv) => inv.status !== "Rejected" && inv.status !== "Void")
    .sort((a, b) => b.InvoiceId - a.InvoiceId);
}

export function injectAnomaly(
  world: World,
  ds: Dataset,
  request: AnomalyRequest,
  at: number,
): Payment {
  const given = chosenInvoices(ds, request);
  let remittance: RemittanceLine[];
  let currency: string | undefined;
  let vendorCode: string;
  switch (request.kind) {
    case "overpayment":
    case "currency": {
      const inv = given[0] ?? candidates(ds)[0];
      if (!inv) {
        throw new SandboxControlError(`No invoice to build a ${request.kind} anomaly on`);
      }
      const excess = request.kind === "overpayment" ? cents(request.amount, 10_000) : 0;
      remittance = [remit(inv, inv.amountCents + excess)];
      currency =
        request.kind === "currency"
          ? (request.currency ?? (inv.Currency === "EUR" ? "CAD" : "EUR"))
          : inv.Currency;
      vendorCode = inv.VendorExternalCode;
      break;
    }
    case "unknown-invoice": {
      const vendor = given[0]?.VendorExternalCode ?? [...ds.vendors.keys()].sort()[0];
      if (!vendor) {
        throw new SandboxControlError("No vendor to pay for an unknown-invoice anomaly");
      }
      // An invoice keyed in AvidXchange directly: it has an id there, but no ExternalInvoiceId of ours.
      const ghostId = ds.ids.invoice++;
      remittance = [
        {
          InvoiceId: ghostId,
          ExternalInvoiceId: null,
          InvoiceNumber: `AVX-INV-${ghostId}`,
          InvoiceDate: null,
          grossCents: cents(request.amount, 25_000),
          discountCents: 0,
          amountCents: cents(request.amount, 25_000),
          Memo: "",
        },
      ];
      currency = given[0]?.Currency ?? "USD";
      vendorCode = vendor;
      break;
    }
    case "wrong-split": {
      let pair = given.slice(0, 2);
      if (pair.length < 2) {
        const byVendor = new Map<string, Invoice[]>();
        for (const inv of candidates(ds)) {
          const list = byVendor.get(inv.VendorExternalCode) ?? [];
          list.push(inv);
          byVendor.set(inv.VendorExternalCode, list);
        }
        pair = [...byVendor.values()].find((list) => list.length >= 2)?.slice(0, 2) ?? [];
      }
      const [a, b] = pair;
      if (!a || !b || a.VendorExternalCode !== b.VendorExternalCode) {
        throw new SandboxControlError("A wrong-split anomaly needs two invoices of one vendor");
      }
      const shift = Math.min(cents(request.amount, 10_000), b.amountCents - 1);
      remittance = [remit(a, a.amountCents + shift), remit(b, b.amountCents - shift)];
      currency = a.Currency;
      vendorCode = a.VendorExternalCode;
      break;
    }
  }
  return createPayment(
    world,
    ds,
    {
      batchId: `AVP-ANOMALY ${batchStamp(at)}`,
      payee: { code: vendorCode, name: ds.vendors.get(vendorCode)?.Name ?? vendorCode },
      currency,
      method: methodForVendor(world, vendorCode),
      remittance,
      amountCents: remittance.reduce((sum, r) => sum + r.amountCents, 0),
      origin: "anomaly",
      anomaly: request.kind,
      path: HAPPY_PATH,
      startAt: request.atStatus ?? "Funds Received",
    },
    at,
  );
}
