import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { invoices, syncRuns } from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { triggerSync } from "../../src/sync/commands/sync-runs.js";
import { paymentReference } from "../../src/sync/references.js";
import { glCodesByUse, mapGlCodes } from "./gl-mapping-setup.js";
import { startSyncHarness } from "./harness.js";
import { advanceUntilPaid, approveTwoInvoices, preparePayments } from "./payment-setup.js";

import type { SyncKind } from "../../src/glossary.js";
import type { DryRunPlan } from "../../src/sync/dry-run.js";
import type { SyncHarness } from "./harness.js";

/** Connector state shared across processes (session lease, rate buckets), not sync data. */
const CONNECTOR_STATE = new Set(["remote_sessions", "rate_limit_buckets"]);

describe("sync:run dry runs", () => {
  let h: SyncHarness;
  let unmapped: string;

  beforeAll(async () => {
    h = await startSyncHarness();
    await preparePayments(h);
    unmapped = glCodesByUse(h)[0]!;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Every row of every table but `sync_runs` and connector state, as text, per table. */
  const projection = async (): Promise<Record<string, string>> => {
    const tables = await h.t.sql<{ name: string }[]>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`;
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      if (name === "sync_runs" || CONNECTOR_STATE.has(name)) {
        continue;
      }
      const [row] = await h.t.sql<{ digest: string | null; n: string }[]>`
        select md5(string_agg(t::text, '|' order by t::text)) as digest, count(*)::text as n
        from ${h.t.sql(name)} t`;
      out[name] = `${row!.n}:${row!.digest ?? ""}`;
    }
    return out;
  };

  const avidWrites = (fromSeq: number) =>
    h.avid.control
      .requests()
      .filter((r) => r.seq > fromSeq && r.method !== "GET" && r.path.startsWith("/v1"));
  const lastAvidSeq = () => h.avid.control.requests().at(-1)?.seq ?? 0;
  const sysproTables = () => JSON.stringify(h.syspro.control.snapshot().tables);

  /** A dry run of `kind`, checked to have changed nothing anywhere; returns its run row. */
  const dryRun = async (kind: SyncKind) => {
    // Asking for a run is audited (`sync.triggered`); the run itself must change nothing.
    const { run } = await triggerSync(h.t.db, createJobQueue(), {
      connectionId: h.connectionId,
      kind,
      dryRun: true,
      fullResync: false,
      force: true,
      actor: "test",
    });
    const before = await projection();
    const avidFrom = lastAvidSeq();
    const sysproFrom = h.syspro.control.snapshot().requests;
    const sysproBefore = sysproTables();
    await h.drain();
    const [row] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
    expect(row).toMatchObject({ state: "succeeded", dryRun: true, error: null });
    expect(await projection()).toEqual(before);
    expect(avidWrites(avidFrom)).toEqual([]);
    expect(sysproTables()).toBe(sysproBefore);
    const posts = h.syspro.control
      .requests(sysproFrom)
      .filter((r) => r.api === "enet" && /^(Transaction\/Post|Setup\/)/.test(r.operation));
    for (const post of posts) {
      expect(Object.values(post.params).join(" ")).toMatch(/<ValidateOnly>Y<\/ValidateOnly>/);
    }
    const plan = row!.plan as DryRunPlan;
    expect(plan.dryRun).toBe(true);
    expect(plan.counts).toEqual({
      read: row!.countRead,
      created: row!.countCreated,
      updated: row!.countUpdated,
      unchanged: row!.countUnchanged,
      exceptions: row!.countExceptions,
    });
    return { row: row!, plan, posts };
  };

  it("plans the vendors without sending them, then the real run sends them", async () => {
    const { plan } = await dryRun("suppliers");
    const upserts = plan.requests.filter((r) => r.operation === "vendors.upsert");
    expect(upserts.length).toBeGreaterThan(0);
    expect(plan.counts.created).toBe(upserts.length);
    expect(upserts.every((u) => u.system === "avidxchange")).toBe(true);

    const from = lastAvidSeq();
    await h.sync("suppliers");
    expect(avidWrites(from).length).toBeGreaterThan(0);
    const vendors = h.avid.control.snapshot().vendors;
    const codes = new Set(vendors.map((v) => String(v["ExternalVendorCode"])));
    for (const u of upserts) {
      expect(codes.has((u.body as { ExternalVendorCode: string }).ExternalVendorCode)).toBe(true);
    }
  });

  it("plans the invoices and their exceptions, then the real run sends them", async () => {
    await mapGlCodes(h, unmapped);
    const { plan } = await dryRun("invoices");
    const posts = plan.requests.filter((r) => r.operation === "invoices.post");
    expect(posts.length).toBeGreaterThan(0);
    expect(plan.exceptions.some((e) => e.reason === "UNMAPPED_GL")).toBe(true);
    const held = plan.exceptions.find((e) => e.reason === "UNMAPPED_GL")!;
    expect(Object.keys(held).sort()).toEqual(["message", "reason", "subject"]);
    // What a person recognises: supplier/invoice.
    expect(held.subject).toMatch(/^.+\/.+$/);
    expect(held.message).toContain(unmapped);

    await h.sync("invoices");
    const sent = (await h.t.db.select().from(invoices)).filter((i) => i.avidInvoiceId !== null);
    expect(sent.map((i) => i.externalInvoiceId).sort()).toEqual(
      posts.map((p) => (p.body as { ExternalInvoiceId: string }).ExternalInvoiceId).sort(),
    );
  });

  it("validates the payment posting in SYSPRO without posting, then the real run posts", async () => {
    const mine = await approveTwoInvoices(h);
    const payment = advanceUntilPaid(h, mine[0]!);

    const { plan, posts } = await dryRun("payments");
    const postings = plan.requests.filter((r) => r.system === "syspro");
    expect(postings.length).toBeGreaterThan(0);
    expect(new Set(postings.map((r) => r.operation))).toEqual(new Set(["APSTPM Transaction/Post"]));
    // Each went to SYSPRO, which validated it and changed nothing (checked by dryRun).
    expect(posts.length).toBe(postings.length);
    const bodies = postings.map((r) => r.body as { Cheque: string; ReleasedInvoice: unknown[] });
    expect(plan.glLines.length).toBe(bodies.reduce((n, b) => n + b.ReleasedInvoice.length, 0));
    expect(plan.counts.created).toBe(postings.length);
    const cheques = bodies.map((b) => b.Cheque);
    expect(
      cheques.some((c) => c === paymentReference(String(payment["PaymentId"]), "payment")),
    ).toBe(true);
    for (const cheque of cheques) {
      expect(h.syspro.control.rows("ApInvoicePay", { PaymentReference: cheque })).toHaveLength(0);
    }

    await h.sync("payments");
    for (const [i, cheque] of cheques.entries()) {
      expect(h.syspro.control.rows("ApInvoicePay", { PaymentReference: cheque })).toHaveLength(
        bodies[i]!.ReleasedInvoice.length,
      );
    }
  });
});
