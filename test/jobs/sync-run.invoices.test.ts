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
  const cents = (v: unknown) => Math.round(Number(v) * 100);
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
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

  it("sends SYSPRO's tax, so taxed invoices add up and none is an AMOUNT_MISMATCH", async () => {
    const mismatches = await h.t.db
      .select()
      .from(exceptions)
      .where(eq(exceptions.reasonCode, "AMOUNT_MISMATCH"));
    expect(mismatches.map((m) => m.message)).toEqual([]);
    const remote = posted();
    const taxed = remote.filter((r) => cents(r.TaxAmount) > 0);
    expect(taxed.length).toBeGreaterThan(0);
    const rows = await invoiceRows();
    for (const r of remote) {
      // SYSPRO's numbers: the gross OrigInvValue, and the net distribution of its AP journal entry.
      const key = { Supplier: String(r.VendorExternalCode), Invoice: String(r.InvoiceNumber) };
      const [apInvoice] = h.syspro.control.rows("ApInvoice", key);
      const [entry] = h.syspro.control.rows("ApJnlSummary", key);
      const net = sum(
        h.syspro.control
          .rows("ApJnlDistrib", {
            TrnYear: entry!["TrnYear"]!,
            TrnMonth: entry!["TrnMonth"]!,
            Journal: entry!["Journal"]!,
            EntryNumber: entry!["EntryNumber"]!,
          })
          .map((d) => cents(d["DistrValue"])),
      );
      const gross = cents(apInvoice!["OrigInvValue"]);
      expect(cents(r.Amount)).toBe(gross);
      expect(cents(r.TaxAmount)).toBe(gross - net);
      expect(sum((r.Lines as { Amount: unknown }[]).map((l) => cents(l.Amount)))).toBe(net);
      const row = rows.find((x) => x.externalInvoiceId === r.ExternalInvoiceId);
      expect(cents(row?.taxAmount)).toBe(gross - net);
    }
  });

  it("links each invoice to its supplier row", async () => {
    const mirrored = await h.t.db
      .select()
      .from(suppliers)
      .where(eq(suppliers.connectionId, h.connectionId));
    const idOf = new Map(mirrored.map((m) => [m.sysproCode, m.id]));
    const rows = await invoiceRows();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.supplierId).toBe(idOf.get(r.sysproSupplierCode));
    }
  });

  it("keeps the AvidXchange coding each line was sent with", async () => {
    const remote = new Map(posted().map((r) => [String(r.ExternalInvoiceId), r]));
    const sent = (await invoiceRows()).filter((r) => r.avidInvoiceId !== null);
    const lines = await h.t.db.select().from(invoiceLines);
    let checked = 0;
    for (const row of sent) {
      const wire = remote.get(row.externalInvoiceId)!.Lines as {
        LineNumber: number;
        GLCode: { CodeValue: string };
        Dimensions: { GroupName: string; CodeValue: string }[];
      }[];
      for (const w of wire) {
        const line = lines.find((l) => l.invoiceId === row.id && l.lineNumber === w.LineNumber);
        expect(line?.avidGlCode).toBe(w.GLCode.CodeValue);
        expect(line?.avidDimensions).toEqual(
          Object.fromEntries(w.Dimensions.map((d) => [d.GroupName, d.CodeValue])),
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
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

  it("an unchanged held invoice is not evaluated again; a content or mapping change is", async () => {
    const held = async () =>
      (await invoiceRows()).filter((r) => r.avidInvoiceId === null && r.syncState === "exception");
    const attempts = async () =>
      new Map(
        (
          await h.t.db.select().from(exceptions).where(eq(exceptions.reasonCode, "UNMAPPED_GL"))
        ).map((e) => [e.subjectId, e.attempts]),
      );
    // Every invoice is inside the window again: the held ones are read again.
    const rerun = async () => {
      await h.t.db.delete(watermarks);
      const runId = await h.sync("invoices");
      const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
      expect(run?.state).toBe("succeeded");
      return run!;
    };
    const heldBefore = await held();
    expect(heldBefore.length).toBeGreaterThan(0);
    const before = await attempts();

    const unchanged = await rerun();
    expect(unchanged.countRead).toBe((await invoiceRows()).length);
    expect(unchanged).toMatchObject({ countExceptions: 0, countCreated: 0 });
    expect(unchanged.countUnchanged).toBe(unchanged.countRead);
    expect(await attempts()).toEqual(before);

    // A content change evaluates that invoice (still held: its code is still unmapped).
    const changed = heldBefore[0]!;
    h.syspro.control.updateRows(
      "ApInvoice",
      { Supplier: changed.sysproSupplierCode, Invoice: changed.invoiceNumber },
      { DueDate: "2031-01-31T00:00:00" },
    );
    const afterChange = await rerun();
    expect(afterChange.countExceptions).toBeGreaterThan(0);
    expect(afterChange.countUnchanged).toBe(afterChange.countRead - 1);
    const again = await attempts();
    expect(again.get(changed.id)).toBe(before.get(changed.id)! + 1);
    for (const other of heldBefore.slice(1)) {
      expect(again.get(other.id)).toBe(before.get(other.id));
    }

    // Mapping the code evaluates every held invoice again, and they go.
    const [target] = await h.t.db
      .select()
      .from(avidDimensions)
      .where(and(eq(avidDimensions.groupName, DEFAULT_GL_GROUP), eq(avidDimensions.active, true)))
      .limit(1);
    await h.t.db.insert(glMappings).values({
      connectionId: h.connectionId,
      kind: "exact",
      sysproGlCode: unmappedCode,
      avidGlCode: target!.code,
    });
    const mapped = await rerun();
    expect(mapped.countCreated).toBe(heldBefore.length);
    expect(await held()).toEqual([]);
    const sentNow = new Set(posted().map((r) => String(r.ExternalInvoiceId)));
    for (const r of heldBefore) {
      expect(sentNow.has(r.externalInvoiceId)).toBe(true);
    }
    const stillOpen = await h.t.db
      .select()
      .from(exceptions)
      .where(and(eq(exceptions.reasonCode, "UNMAPPED_GL"), eq(exceptions.state, "open")));
    expect(stillOpen).toEqual([]);
  });

  it("links invoices whose supplier row arrived after them", async () => {
    // As if the invoices were written before the supplier flow mirrored their suppliers.
    await h.t.db
      .update(invoices)
      .set({ supplierId: null })
      .where(eq(invoices.connectionId, h.connectionId));
    await h.sync("invoices");
    const rows = await invoiceRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.supplierId === null)).toEqual([]);
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
    const runId = await h.sync("invoices");
    expect(await invoiceRows()).toHaveLength(0);
    expect(posted().length).toBe(count);
    // Failed at once, with the reason, and no retry left queued.
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run?.state).toBe("failed");
    expect(run?.error).toContain("not_ready");
    const jobs = await h.t.sql<{ attempts: number }[]>`
      select attempts from graphile_worker.jobs where task_identifier = 'sync:run'`;
    expect(jobs).toEqual([]);
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
