import { and, eq, inArray } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { suppliers } from "../../db/schema/index.js";
import { syncException } from "../exceptions.js";
import { planVendorUpsert, supplierToVendor, vendorHash } from "../suppliers/to-vendor.js";
import { createSupplierDefaultsTally, syncVendorsOnlyInAvid } from "./vendors-only-in-avid.js";
import { fromApSupplier, fromAvidVendor, toAvidVendorInput } from "./vendor-wire.js";

import type { AvidVendorInput } from "../../connectors/avidxchange/types.js";
import type { ApSupplier } from "../../connectors/syspro/types.js";
import type { Supplier, TransactionId, Vendor } from "../domain.js";
import type { VendorPlan } from "../suppliers/to-vendor.js";
import type { FlowContext } from "./run-context.js";

/**
 * Flow 1, SYSPRO → AvidXchange: read `ApSupplier` whole (a small table), page by page; send a vendor
 * only when the SYSPRO-derived content hash differs from the one we last sent; keep both ids.
 *
 * Exactly once: AvidXchange upserts by `ExternalVendorCode`, so a job run twice, or a send that
 * timed out after AvidXchange accepted it, updates the same vendor instead of adding one. The mirror
 * row, the hash we sent, the audit events and the transaction commit together per page.
 */
export async function syncSuppliersToVendors(ctx: FlowContext): Promise<void> {
  const { syspro } = ctx.connectors;
  const known = new Set<string>();
  const usual = createSupplierDefaultsTally();
  for await (const page of syspro.odata.apSuppliers(ctx.signal ? { signal: ctx.signal } : {})) {
    for (const raw of page) {
      known.add(raw.Supplier.trim());
      usual.add(raw);
    }
    await moveSuppliers(ctx, page);
    await ctx.progress(`suppliers: ${ctx.counts.read} read`);
  }
  await syncVendorsOnlyInAvid(ctx, known, usual.defaults());
  await ctx.progress(`suppliers: ${ctx.counts.read} read, vendors only in AvidXchange checked`);
}

export interface VendorMoveOptions {
  /** Compute the request and send nothing, write nothing. */
  readonly dryRun?: boolean;
  /** Move under this transaction id (a replay) instead of minting one. */
  readonly transactionId?: TransactionId;
}

/** What happened to one supplier's vendor. */
export type VendorMove =
  | { readonly code: string; readonly outcome: "unchanged"; readonly avidVendorId: string | null }
  | {
      readonly code: string;
      readonly outcome: "sent";
      readonly transactionId: TransactionId;
      readonly avidVendorId: string | null;
      readonly created: boolean;
      readonly request: AvidVendorInput;
    }
  | {
      readonly code: string;
      readonly outcome: "would_send";
      readonly action: "create" | "update";
      readonly request: AvidVendorInput;
    }
  | {
      readonly code: string;
      readonly outcome: "failed";
      readonly transactionId: TransactionId;
      readonly error: string;
      readonly request: AvidVendorInput;
    };

/**
 * One supplier's vendor, through the same guards as the page loop (content hash, AvidXchange's copy,
 * three-way merge): replay, exception retry and the invoice flow's "vendor first" use it.
 */
export async function upsertVendorForSupplier(
  ctx: FlowContext,
  raw: ApSupplier,
  options: VendorMoveOptions = {},
): Promise<VendorMove> {
  const [move] = await moveSuppliers(ctx, [raw], options);
  return move!;
}

/** A page of suppliers (or one): plan, send in one batch, commit rows, audits and transactions. */
export async function moveSuppliers(
  ctx: FlowContext,
  page: readonly ApSupplier[],
  options: VendorMoveOptions = {},
): Promise<VendorMove[]> {
  const { avid } = ctx.connectors;
  ctx.counts.read += page.length;
  const codes = page.map((s) => s.Supplier.trim());
  const existing = new Map(
    (
      await ctx.db
        .select()
        .from(suppliers)
        .where(
          and(eq(suppliers.connectionId, ctx.connection.id), inArray(suppliers.sysproCode, codes)),
        )
    ).map((row) => [row.sysproCode, row]),
  );

  // Decide what changed before asking AvidXchange for its copies (only of those).
  const candidates = page.map((raw) => {
    const supplier = fromApSupplier(raw);
    const row = existing.get(supplier.code);
    const baselineRaw = row?.raw as ApSupplier | null | undefined;
    const lastSent =
      row?.lastSentHash && baselineRaw
        ? { hash: row.lastSentHash, baseline: supplierToVendor(fromApSupplier(baselineRaw)) }
        : undefined;
    return { raw, supplier, lastSent };
  });
  const changed = candidates.filter(
    (c) => c.lastSent?.hash !== vendorHash(supplierToVendor(c.supplier)),
  );
  const remote = new Map<string, Vendor>();
  const remoteIds = new Map<string, string>();
  if (changed.length > 0) {
    for await (const vpage of avid.vendors.list({
      externalVendorCodes: changed.map((c) => c.supplier.code),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    })) {
      for (const v of vpage.items) {
        remote.set(v.ExternalVendorCode.trim(), fromAvidVendor(v));
        if (v.VendorId !== undefined) {
          remoteIds.set(v.ExternalVendorCode.trim(), String(v.VendorId));
        }
      }
    }
  }
  const plans = candidates.map((c) => ({
    ...c,
    remoteVendor: remote.get(c.supplier.code),
    plan: planVendorUpsert({
      supplier: c.supplier,
      ...(c.lastSent ? { lastSent: c.lastSent } : {}),
      ...(remote.has(c.supplier.code) ? { remote: remote.get(c.supplier.code)! } : {}),
    }),
  }));

  const toSend = plans
    .filter(
      (p): p is typeof p & { plan: Extract<VendorPlan, { vendor: Vendor }> } =>
        p.plan.action === "create" || p.plan.action === "update",
    )
    .map((p) => ({
      ...p,
      transactionId: options.transactionId ?? ctx.newTransactionId(),
      request: toAvidVendorInput(p.plan.vendor),
    }));
  const moves = new Map<string, VendorMove>();
  for (const p of plans) {
    if (p.plan.action === "unchanged" || p.plan.action === "in-sync") {
      const avidVendorId =
        remoteIds.get(p.supplier.code) ?? existing.get(p.supplier.code)?.avidVendorId ?? null;
      moves.set(p.supplier.code, { code: p.supplier.code, outcome: "unchanged", avidVendorId });
    }
  }
  if (options.dryRun) {
    for (const p of toSend) {
      moves.set(p.supplier.code, {
        code: p.supplier.code,
        outcome: "would_send",
        action: p.plan.action,
        request: p.request,
      });
    }
    return page.map((raw) => moves.get(raw.Supplier.trim())!);
  }
  const results =
    toSend.length > 0
      ? await avid.vendors.upsert(
          toSend.map((p) => p.request),
          ctx.signal ? { signal: ctx.signal } : {},
        )
      : [];

  await withTransaction(ctx.db, async (tx) => {
    for (const p of plans) {
      const base = {
        connectionId: ctx.connection.id,
        sysproCode: p.supplier.code,
        name: p.supplier.name,
        currency: p.supplier.currency,
        terms: p.supplier.termsCode ?? null,
      };
      if (p.plan.action === "unchanged" || p.plan.action === "in-sync") {
        ctx.counts.unchanged += 1;
        // In sync but our record was lost (e.g. a crash after AvidXchange accepted): keep its id.
        const avidVendorId = remoteIds.get(p.supplier.code);
        await tx
          .insert(suppliers)
          .values({
            ...base,
            raw: p.raw as unknown as Record<string, unknown>,
            contentHash: p.plan.hash,
            lastSentHash: p.plan.hash,
            syncState: "synced",
            avidVendorId: avidVendorId ?? null,
          })
          .onConflictDoUpdate({
            target: [suppliers.connectionId, suppliers.sysproCode],
            set: {
              ...base,
              raw: p.raw as unknown as Record<string, unknown>,
              lastSentHash: p.plan.hash,
              ...(avidVendorId ? { avidVendorId } : {}),
            },
          });
      }
    }
    for (const [i, p] of toSend.entries()) {
      const result = results[i];
      const input = { supplier: p.raw, vendor: p.plan.vendor };
      if (result?.ok) {
        const item = result.item;
        const avidVendorId = item.VendorId === undefined ? null : String(item.VendorId);
        const [row] = await tx
          .insert(suppliers)
          .values({
            ...base({ supplier: p.supplier, connectionId: ctx.connection.id }),
            avidVendorId,
            raw: p.raw as unknown as Record<string, unknown>,
            contentHash: p.plan.hash,
            lastSentHash: p.plan.hash,
            syncState: "synced",
            lastSyncedAt: new Date(),
          })
          .onConflictDoUpdate({
            target: [suppliers.connectionId, suppliers.sysproCode],
            set: {
              ...base({ supplier: p.supplier, connectionId: ctx.connection.id }),
              ...(avidVendorId ? { avidVendorId } : {}),
              raw: p.raw as unknown as Record<string, unknown>,
              contentHash: p.plan.hash,
              lastSentHash: p.plan.hash,
              syncState: "synced",
              lastSyncedAt: new Date(),
            },
          })
          .returning({ id: suppliers.id });
        const created = p.plan.action === "create";
        ctx.counts[created ? "created" : "updated"] += 1;
        moves.set(p.supplier.code, {
          code: p.supplier.code,
          outcome: "sent",
          transactionId: p.transactionId,
          avidVendorId,
          created,
          request: p.request,
        });
        await ctx.recordTransaction(tx, {
          id: p.transactionId,
          kind: "vendor.upsert",
          subjectType: "supplier",
          subjectId: row!.id,
          input,
          state: "succeeded",
          result: { avidVendorId },
        });
        await ctx.resolveExceptions(tx, { type: "supplier", id: row!.id });
        await ctx.audit(tx, {
          type: created ? "vendor.created" : "vendor.updated",
          transactionId: p.transactionId,
          subjectType: "supplier",
          subjectId: row!.id,
          data: {
            supplier: p.supplier.code,
            avidVendorId,
            changedFields: p.plan.changedFields,
            keptRemote: p.plan.keptRemote,
          },
        });
        if (p.plan.conflicts.length > 0) {
          // Both sides changed the same field: SYSPRO won; the difference is on the record.
          await ctx.audit(tx, {
            type: "vendor.conflict",
            transactionId: p.transactionId,
            subjectType: "supplier",
            subjectId: row!.id,
            data: {
              winner: "syspro",
              conflicts: p.plan.conflicts,
            },
          });
        }
      } else {
        const [row] = await tx
          .insert(suppliers)
          .values({
            ...base({ supplier: p.supplier, connectionId: ctx.connection.id }),
            contentHash: p.plan.hash,
            syncState: "exception",
          })
          .onConflictDoUpdate({
            target: [suppliers.connectionId, suppliers.sysproCode],
            set: {
              ...base({ supplier: p.supplier, connectionId: ctx.connection.id }),
              contentHash: p.plan.hash,
              syncState: "exception",
            },
          })
          .returning({ id: suppliers.id });
        const messages = result?.messages.join("; ") ?? "no result for this vendor";
        moves.set(p.supplier.code, {
          code: p.supplier.code,
          outcome: "failed",
          transactionId: p.transactionId,
          error: messages,
          request: p.request,
        });
        await ctx.recordTransaction(tx, {
          id: p.transactionId,
          kind: "vendor.upsert",
          subjectType: "supplier",
          subjectId: row!.id,
          input,
          state: "exception",
          error: messages,
        });
        await ctx.raiseException(
          tx,
          syncException(
            "REMOTE_REJECTED",
            `AvidXchange refused vendor ${p.supplier.code}: ${messages}`,
          ),
          { type: "supplier", id: row!.id, ref: p.supplier.code },
          input,
          p.transactionId,
        );
      }
    }
  });
  return page.map((raw) => moves.get(raw.Supplier.trim())!);
}

function base(p: { supplier: Supplier; connectionId: string }) {
  return {
    connectionId: p.connectionId,
    sysproCode: p.supplier.code,
    name: p.supplier.name,
    currency: p.supplier.currency,
    terms: p.supplier.termsCode ?? null,
  };
}
