import { withTransaction } from "../../db/client.js";
import {
  isSysproBusinessRejectionError,
  isSysproInvalidDocumentError,
} from "../../connectors/syspro/errors.js";
import { odataFilter } from "../../connectors/syspro/index.js";
import { syncException } from "../exceptions.js";
import { planVendorOnlyInAvid } from "../suppliers/vendor-only.js";
import { fromAvidVendor } from "./vendor-wire.js";

import type { AvidVendor } from "../../connectors/avidxchange/types.js";
import type { SetupApSupplierAddInput } from "../../connectors/syspro/index.js";
import type { ApSupplier } from "../../connectors/syspro/types.js";
import type { TransactionId } from "../domain.js";
import type { SupplierDefaults, SupplierSetupPlan } from "../suppliers/vendor-only.js";
import type { FlowContext } from "./run-context.js";

/**
 * Flow 1 in reverse: AvidXchange vendors with no SYSPRO supplier. By the connection's
 * `vendor_direction_policy` each is held for a person (`VENDOR_NOT_IN_SYSPRO`) or created in SYSPRO
 * with APSSSP, validated first (`ValidateOnly`) and then posted.
 *
 * Exactly once: the caller has just read every SYSPRO supplier, so only missing ones are created;
 * a replay or retry asks SYSPRO again first. A create that timed out after SYSPRO applied it shows up
 * as a supplier on the next read and is never added twice (SYSPRO also refuses a duplicate key).
 */

export const SUPPLIER_CREATE = "supplier.create";

export interface VendorOnlyOptions {
  readonly dryRun?: boolean;
  readonly transactionId?: TransactionId;
}

export type VendorOnlyMove =
  | { readonly outcome: "skipped"; readonly detail: string }
  | { readonly outcome: "held"; readonly detail: string }
  | {
      readonly outcome: "would_create" | "created";
      readonly detail: string;
      readonly request: SetupApSupplierAddInput;
      readonly transactionId?: TransactionId;
    }
  | { readonly outcome: "failed"; readonly detail: string; readonly transactionId?: TransactionId };

export async function syncVendorsOnlyInAvid(
  ctx: FlowContext,
  sysproCodes: ReadonlySet<string>,
  defaults: SupplierDefaults,
): Promise<void> {
  for await (const page of ctx.connectors.avid.vendors.list(
    ctx.signal ? { signal: ctx.signal } : {},
  )) {
    for (const wire of page.items) {
      if (!sysproCodes.has(wire.ExternalVendorCode.trim())) {
        await moveVendorOnlyInAvid(ctx, wire, defaults);
      }
    }
  }
}

/** One vendor AvidXchange has and SYSPRO (as far as the caller knows) has not. */
export async function moveVendorOnlyInAvid(
  ctx: FlowContext,
  wire: AvidVendor,
  defaults: SupplierDefaults,
  options: VendorOnlyOptions = {},
): Promise<VendorOnlyMove> {
  const vendor = fromAvidVendor(wire);
  const code = vendor.externalVendorCode;
  const subject = { type: "vendor", id: vendorSubjectId(wire), ref: code || vendor.name };
  const decision = planVendorOnlyInAvid(vendor, ctx.connection.vendorDirectionPolicy, defaults);
  if (decision.action === "skip") {
    return { outcome: "skipped", detail: decision.detail };
  }
  if (decision.action === "hold" || decision.action === "invalid") {
    if (!options.dryRun) {
      await withTransaction(ctx.db, (tx) =>
        ctx.raiseException(tx, decision.exception, subject, wire),
      );
    }
    return { outcome: "held", detail: decision.exception.message };
  }
  const request = toSetupApSupplier(decision.plan);
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const { enet } = ctx.connectors.syspro;
  if (options.dryRun) {
    const rejected = await tryAdd(() =>
      enet.addSupplier(request, { validateOnly: true, ...signal }),
    );
    return rejected
      ? { outcome: "failed", detail: rejected }
      : { outcome: "would_create", detail: `would create supplier ${code}`, request };
  }
  const transactionId = options.transactionId ?? ctx.newTransactionId();
  const input = { vendor: wire, defaults, plan: decision.plan };
  const record = { id: transactionId, kind: SUPPLIER_CREATE, subjectType: "vendor", input };
  // The intent commits before SYSPRO is asked, so a crash mid-call leaves a replayable record.
  await withTransaction(ctx.db, (tx) =>
    ctx.recordTransaction(tx, { ...record, subjectId: subject.id, state: "pending" }),
  );
  const rejected =
    (await tryAdd(() => enet.addSupplier(request, { validateOnly: true, ...signal }))) ??
    (await tryAdd(() => enet.addSupplier(request, signal)));
  await withTransaction(ctx.db, async (tx) => {
    if (rejected) {
      await ctx.recordTransaction(tx, {
        ...record,
        subjectId: subject.id,
        state: "exception",
        error: rejected,
      });
      await ctx.raiseException(
        tx,
        syncException("REMOTE_REJECTED", `SYSPRO refused supplier ${code}: ${rejected}`),
        subject,
        input,
        transactionId,
      );
      return;
    }
    ctx.counts.created += 1;
    await ctx.recordTransaction(tx, {
      ...record,
      subjectId: subject.id,
      state: "succeeded",
      result: { supplier: code },
    });
    await ctx.audit(tx, {
      type: "supplier.created",
      transactionId,
      subjectType: "vendor",
      subjectId: subject.id,
      data: { supplier: code, avidVendorId: wire.VendorId ?? null, policy: "CREATE_IN_SYSPRO" },
    });
  });
  return rejected
    ? { outcome: "failed", detail: rejected, transactionId }
    : { outcome: "created", detail: `created supplier ${code}`, request, transactionId };
}

/** Whether SYSPRO has the supplier now (replay and retry ask before creating). */
export async function sysproSupplierExists(ctx: FlowContext, code: string): Promise<boolean> {
  for await (const page of ctx.connectors.syspro.odataRaw.pages("ApSupplier", {
    select: ["Supplier"],
    filter: odataFilter.eq("Supplier", code),
    orderBy: ["Supplier"],
    limit: 1,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  })) {
    if (page.length > 0) {
      return true;
    }
  }
  return false;
}

/**
 * What the connection fills in that a vendor does not carry: the company's usual currency and terms,
 * the most common among its suppliers (a connection without suppliers has none, and the vendor is
 * held as SUPPLIER_SETUP_INVALID until it has).
 */
export function createSupplierDefaultsTally() {
  const currencies = new Map<string, number>();
  const terms = new Map<string, number>();
  const bump = (map: Map<string, number>, value: string | null | undefined) => {
    const v = value?.trim();
    if (v) {
      map.set(v, (map.get(v) ?? 0) + 1);
    }
  };
  const top = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  return {
    add(raw: ApSupplier): void {
      bump(currencies, raw.Currency);
      bump(terms, raw.TermsCode);
    },
    defaults(): SupplierDefaults {
      const currency = top(currencies);
      const termsCode = top(terms);
      return { ...(currency ? { currency } : {}), ...(termsCode ? { termsCode } : {}) };
    },
  };
}

export function vendorSubjectId(wire: AvidVendor): string {
  return wire.VendorId === undefined ? wire.ExternalVendorCode.trim() : String(wire.VendorId);
}

/** A refusal as text, or undefined when SYSPRO accepted; other failures (transient) throw. */
async function tryAdd(call: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await call();
    return undefined;
  } catch (err) {
    if (isSysproBusinessRejectionError(err) || isSysproInvalidDocumentError(err)) {
      return err.message;
    }
    throw err;
  }
}

function toSetupApSupplier(plan: SupplierSetupPlan): SetupApSupplierAddInput {
  const [line1, line2, city, state, country] = plan.supAddr;
  const opt = <K extends string>(key: K, value: string | undefined) =>
    value ? ({ [key]: value } as Record<K, string>) : {};
  return {
    Supplier: plan.supplier,
    SupplierName: plan.supplierName,
    Currency: plan.currency,
    ...opt("TermsCode", plan.termsCode),
    ...opt("Bank", plan.bank),
    ...opt("Branch", plan.branch),
    ...opt("SupplierClass", plan.supplierClass),
    ...opt("Telephone", plan.telephone),
    ...opt("Email", plan.email),
    ...opt("TaxRegnNum", plan.taxRegnNum),
    ...opt("SupAddr1", line1),
    ...opt("SupAddr2", line2),
    ...opt("SupAddr3", city),
    ...opt("SupAddr4", state),
    ...opt("SupAddr5", country),
    ...opt("SupPostalCode", plan.supPostalCode),
    OnHold: "N",
  };
}
