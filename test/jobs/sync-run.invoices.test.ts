import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  auditEvents,
  avidDimensions,
  connections,
  exceptions,
  glAccounts,
  glMappings,
  invoiceLines,
  invoices,
  suppliers,
  syncRuns,
  transactions,
  watermarks,
} from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { DEFAULT_GL_GROUP } from "../../src/sync/domain.js";
import { isTransactionId } from "../../src/sync/transaction-id.js";
import { startSyncHarness } from "./harness.js";

import type { SyncHarness } from "./harness.js";

describe("sync:run invoices → approval", () => {
  let h: SyncHarness;
  let unmappedCode: string;
  beforeAll(async () => {
    h = await startSyncHarness();
    await h.sync("suppliers");
    await h.sync("reference_data");
    // Exact mappings for every SYSPRO GL code AvidXchange also has, except one left unmapped.
    const accounts = await h.t.db.select().from(glAccounts);
    const avidGl = new Set(
      (
        await h.t.db
          .select()
          .from(avidDimensions)
          .where(
            and(eq(avidDimensions.groupName, DEFAULT_GL_GROUP), eq(avidDimensions.active, true)),
          )
      ).map((c) => c.code),
    );
    const targets = [...avidGl].sort();
    const codes = accounts.map((a) => a.glCode).sort();
    // Leave the least used GL code of the distribution unmapped.
    const used = new Map<string, number>();
    for (const d of h.syspro.control.rows("ApJnlDistrib", {}, 100_000)) {
      const code = String(d["ExpenseGlCode"]).trim();
      used.set(code, (used.get(code) ?? 0) + 1);
    }
    unmappedCode = [...used].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]![0];
    await h.t.db.insert(glMappings).values(
      codes
        .filter((c) => c !== unmappedCode)
        .map((code, i) => ({
          connectionId: h.connectionId,
          kind: "exact" as const,
          sysproGlCode: code,
          avidGlCode: avidGl.has(code) ? code : targets[i % targets.length]!,
        })),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  const posted = () => h.avid.control.snapshot().invoices;
  const invoiceRows = () =>
    h.t.db.select().from(invoices).where(eq(invoices.connectionId, h.connectionId));

  it("sends every fully mapped invoice once; unmapped ones are exceptions naming the code", async () => {
    const before = posted().length;
    const runId = await h.sync("invoices");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run?.state).toBe("succeeded");
    const rows = await invoiceRows();
    expect(rows.length).toBe(run!.countRead);
    const sent = rows.filter((r) => r.avidInvoiceId !== null);
    expect(sent.length).toBeGreaterThan(0);
    expect(run!.countCreated).toBe(sent.length);

    // Each sent invoice is in AvidXchange exactly once, under our ExternalInvoiceId.
    const remote = posted().slice(before);
    const remoteIds = remote.map((r) => String(r.ExternalInvoiceId));
    expect(new Set(remoteIds).size).toBe(remoteIds.length);
    expect(new Set(remoteIds)).toEqual(new Set(sent.map((r) => r.externalInvoiceId)));
    for (const r of remote) {
      const row = sent.find((s) => s.externalInvoiceId === r.ExternalInvoiceId);
      expect(r.TransactionId).toBe(row?.transactionId);
    }

    // Lines with the unmapped code: those invoices did not go, and their exception names it.
    const lines = await h.t.db.select().from(invoiceLines);
    const withUnmapped = new Set(
      lines.filter((l) => l.sysproGlCode === unmappedCode).map((l) => l.invoiceId),
    );
    expect(withUnmapped.size).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(rows.length);
    const open = await h.t.db
      .select()
      .from(exceptions)
      .where(eq(exceptions.reasonCode, "UNMAPPED_GL"));
    for (const id of withUnmapped) {
      expect(sent.some((r) => r.id === id)).toBe(false);
      const ex = open.find((e) => e.subjectId === id);
      expect(ex?.message).toContain(unmappedCode);
    }

    const audits = await h.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "invoice.sent"));
    expect(audits).toHaveLength(sent.length);
    for (const a of audits) {
      expect(isTransactionId(a.transactionId ?? "")).toBe(true);
    }
    const moves = await h.t.db
      .select()
      .from(transactions)
      .where(and(eq(transactions.kind, "invoice.send"), eq(transactions.state, "succeeded")));
    expect(moves).toHaveLength(sent.length);
    const [mark] = await h.t.db.select().from(watermarks);
    expect(mark?.stream).toBe("syspro.ApInvoice");
  });

  it("a second run and a job delivered twice send nothing new", async () => {
    const count = posted().length;
    const runId = await h.sync("invoices");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run).toMatchObject({ state: "succeeded", countCreated: 0 });
    await createJobQueue().add(h.t.db, "sync:run", { runId });
    await h.drain();
    expect(posted().length).toBe(count);
  });

  it("a lost commit after AvidXchange accepted does not create a second invoice", async () => {
    const count = posted().length;
    await h.t.db
      .update(invoices)
      .set({ avidInvoiceId: null, syncState: "pending" })
      .where(eq(invoices.connectionId, h.connectionId));
    await h.sync("invoices");
    expect(posted().length).toBe(count);
  });

  it("does not start on a connection that is not ready", async () => {
    const count = posted().length;
    await h.t.db.delete(invoices);
    await h.t.db.delete(watermarks);
    await h.t.db
      .update(connections)
      .set({ readiness: "not_ready" })
      .where(eq(connections.id, h.connectionId));
    await h.sync("invoices");
    expect(await invoiceRows()).toHaveLength(0);
    expect(posted().length).toBe(count);
  });
});

describe("sync:run invoices for suppliers without a vendor yet", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await h.sync("reference_data");
    const accounts = await h.t.db.select().from(glAccounts);
    const avidGl = [
      ...new Set(
        (
          await h.t.db
            .select()
            .from(avidDimensions)
            .where(
              and(eq(avidDimensions.groupName, DEFAULT_GL_GROUP), eq(avidDimensions.active, true)),
            )
        ).map((c) => c.code),
      ),
    ].sort();
    await h.t.db.insert(glMappings).values(
      accounts.map((a, i) => ({
        connectionId: h.connectionId,
        kind: "exact" as const,
        sysproGlCode: a.glCode,
        avidGlCode: avidGl.includes(a.glCode) ? a.glCode : avidGl[i % avidGl.length]!,
      })),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it("sends each missing vendor first, then the invoice; no SUPPLIER_NOT_SYNCED", async () => {
    const vendorsBefore = h.avid.control.snapshot().vendors.length;
    expect(await h.t.db.select().from(suppliers)).toHaveLength(0);
    const runId = await h.sync("invoices");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run?.state).toBe("succeeded");

    const rows = await h.t.db
      .select()
      .from(invoices)
      .where(eq(invoices.connectionId, h.connectionId));
    const sent = rows.filter((r) => r.avidInvoiceId !== null);
    expect(sent.length).toBeGreaterThan(0);
    // The run's counters stay about invoices.
    expect(run!.countCreated).toBe(sent.length);
    const unsynced = await h.t.db
      .select()
      .from(exceptions)
      .where(eq(exceptions.reasonCode, "SUPPLIER_NOT_SYNCED"));
    expect(unsynced).toHaveLength(0);

    // Every supplier with an invoice got its vendor, once, recorded like the supplier flow does.
    const invoiceSuppliers = new Set(rows.map((r) => r.sysproSupplierCode));
    const vendors = h.avid.control.snapshot().vendors;
    expect(vendors.length).toBe(vendorsBefore + invoiceSuppliers.size);
    for (const code of invoiceSuppliers) {
      expect(vendors.filter((v) => v["ExternalVendorCode"] === code)).toHaveLength(1);
    }
    const mirrored = await h.t.db.select().from(suppliers);
    expect(new Set(mirrored.map((m) => m.sysproCode))).toEqual(invoiceSuppliers);
    expect(mirrored.every((m) => m.avidVendorId !== null)).toBe(true);
    const vendorAudits = await h.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "vendor.created"));
    expect(vendorAudits).toHaveLength(invoiceSuppliers.size);

    // Vendor first: the vendor upsert reached AvidXchange before any invoice post.
    const log = h.avid.control.requests({ method: "POST" });
    const firstVendor = log.findIndex((r) => r.path === "/v1/vendors");
    const firstInvoice = log.findIndex((r) => r.path.startsWith("/v1/invoices"));
    expect(firstVendor).toBeGreaterThanOrEqual(0);
    expect(firstVendor).toBeLessThan(firstInvoice);
  });
});
