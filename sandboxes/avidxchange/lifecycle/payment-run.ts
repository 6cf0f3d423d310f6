/**
 * Payment runs: at a fixed time each period, every Approved invoice is paid, one payment per vendor
 * and currency (up to `maxInvoicesPerPayment` invoices each), remittance lines summing to the amount.
 */
import type { Dataset, PaymentPlan } from "../dataset.js";
import { batchStamp } from "../dates.js";
import type { Invoice, Payment } from "../model.js";
import type { World } from "../world.js";
import { planFor } from "./invoices.js";
import { createPayment, methodForVendor, pathFor } from "./payments.js";

/** Schedules the first run after `from`; each run schedules the next. */
export function schedulePaymentRuns(world: World, ds: Dataset, from: number): void {
  const { paymentRunEveryMs: every, paymentRunOffsetMs: offset } = world.options.lifecycle.timings;
  let next = Math.floor((from - offset) / every) * every + offset;
  while (next <= from) {
    next += every;
  }
  ds.scheduler.schedule(next, (at) => {
    runPayments(world, ds, at);
    schedulePaymentRuns(world, ds, at);
  });
}

/** Pays every Approved invoice now; returns the payments made. */
export function runPayments(world: World, ds: Dataset, at: number): Payment[] {
  if (ds.approved.size === 0) {
    return [];
  }
  const groups = new Map<string, Invoice[]>();
  for (const id of [...ds.approved].sort((a, b) => a - b)) {
    const inv = ds.invoices.get(id);
    if (!inv || inv.status !== "Approved") {
      ds.approved.delete(id);
      continue;
    }
    const key = `${inv.VendorExternalCode}\u0000${inv.Currency}`;
    const group = groups.get(key) ?? [];
    group.push(inv);
    groups.set(key, group);
  }
  const run = ds.ids.run++;
  const batchId = `AVP-${run} ${batchStamp(at)}`;
  const made: Payment[] = [];
  const max = world.options.lifecycle.maxInvoicesPerPayment;
  for (const invoices of groups.values()) {
    for (let i = 0; i < invoices.length; i += max) {
      const chunk = invoices.slice(i, i + max);
      const first = chunk[0]!;
      const vendor = ds.vendors.get(first.VendorExternalCode);
      // A planned payment outcome applies once: a voided invoice's next payment takes the normal path.
      let plan: PaymentPlan | undefined;
      for (const inv of chunk) {
        const invoicePlan = planFor(ds, inv);
        if (plan === undefined && invoicePlan?.payment) {
          plan = invoicePlan.payment;
          delete invoicePlan.payment;
        }
      }
      made.push(
        createPayment(
          world,
          ds,
          {
            batchId,
            payee: {
              code: first.VendorExternalCode,
              name: vendor?.Name ?? first.VendorExternalCode,
            },
            currency: first.Currency,
            method: methodForVendor(world, first.VendorExternalCode),
            remittance: chunk.map((inv) => ({
              InvoiceId: inv.InvoiceId,
              ExternalInvoiceId: inv.ExternalInvoiceId,
              InvoiceNumber: inv.InvoiceNumber,
              InvoiceDate: inv.InvoiceDate,
              grossCents: inv.amountCents,
              discountCents: 0,
              amountCents: inv.amountCents,
              Memo: "",
            })),
            amountCents: chunk.reduce((sum, inv) => sum + inv.amountCents, 0),
            origin: "lifecycle",
            path: pathFor(world, ds, plan),
          },
          at,
        ),
      );
    }
  }
  return made;
}
