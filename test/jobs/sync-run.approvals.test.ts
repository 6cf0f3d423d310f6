import { and, asc, eq, inArray } from "drizzle-orm";
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
  postings,
  syncRuns,
  transactions,
  watermarks,
} from "../../src/db/schema/index.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { replayTransaction } from "../../src/sync/commands/sync-runs.js";
import { DEFAULT_GL_GROUP } from "../../src/sync/domain.js";
import { isTransactionId } from "../../src/sync/transaction-id.js";
import { startSyncHarness } from "./harness.js";

import type { SyncHarness } from "./harness.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STREAM = "avidxchange.invoices.modified";

/** One of our sent invoices and the re-code planned for its first line. */
interface Pick {
  readonly id: string;
  readonly avidId: number;
  readonly lineAmount: string;
  readonly fromGl: string;
  /** The AvidXchange GL code the approver moves line 1 to, and the SYSPRO account that means. */
  readonly toAvidGl: string;
  readonly toGl: string;
}

const cents = (value: unknown) => Math.round(Number(value) * 100);

describe("sync:run approvals → state changes and re-codes back", () => {
  let h: SyncHarness;
  let clean: Pick;
  let ambiguous: Pick;
  let held: Pick;

  beforeAll(async () => {
    h = await startSyncHarness();
    // Simulated time a few days behind real time, so the flow's date windows (from our today) cover
    // it; 16:00 UTC, just after the daily payment run, so none pays an invoice in the first 10 hours.
    const today = new Date();
    h.avid.control.setTime(
      Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 4, 16),
    );
    // Approvers approve everything and re-code only where a test plans it.
    h.avid.control.setProbabilities({ reject: 0, hold: 0, recode: 0 });
    await h.sync("suppliers");
    await h.sync("reference_data");
    // SYSPRO `6100-210` ↔ AvidXchange GL `6100` + Department `210`: reversible, so re-codes map back.
    await h.t.db.insert(glMappings).values([
      { connectionId: h.connectionId, kind: "segment", segmentIndex: 0 },
      {
        connectionId: h.connectionId,
        kind: "segment",
        segmentIndex: 1,
        dimensionGroup: "Department",
        priority: 1,
      },
    ]);
    await h.sync("invoices");

    const sent = await h.t.db
      .select()
      .from(invoices)
      .where(eq(invoices.connectionId, h.connectionId));
    const lines = await h.t.db
      .select()
      .from(invoiceLines)
      .where(
        and(
          inArray(
            invoiceLines.invoiceId,
            sent.map((s) => s.id),
          ),
          eq(invoiceLines.lineNumber, 1),
        ),
      );
    const postable = new Set(
      (await h.t.db.select().from(glAccounts).where(eq(glAccounts.active, true))).map(
        (a) => a.glCode,
      ),
    );
    const avidGl = (
      await h.t.db
        .select()
        .from(avidDimensions)
        .where(and(eq(avidDimensions.groupName, DEFAULT_GL_GROUP), eq(avidDimensions.active, true)))
    )
      .map((c) => c.code)
      .sort();
    const picks: Pick[] = [];
    for (const row of [...sent].sort((a, b) => Number(a.avidInvoiceId) - Number(b.avidInvoiceId))) {
      const line = lines.find((l) => l.invoiceId === row.id);
      // One approver (below the two-step threshold) keeps the timeline short.
      if (!row.avidInvoiceId || !line || Number(row.amount) >= 10_000) {
        continue;
      }
      const [account, centre] = line.sysproGlCode.split("-");
      const toAvidGl = avidGl.find((code) => code !== account && postable.has(`${code}-${centre}`));
      if (!toAvidGl || cents(line.amount) === 0) {
        continue;
      }
      picks.push({
        id: row.id,
        avidId: Number(row.avidInvoiceId),
        lineAmount: line.amount,
        fromGl: line.sysproGlCode,
        toAvidGl,
        toGl: `${toAvidGl}-${centre}`,
      });
      if (picks.length === 3) {
        break;
      }
    }
    expect(picks).toHaveLength(3);
    // Pages come in InvoiceId order, so the ambiguous one posts first and meets the fault.
    [ambiguous, clean, held] = picks as [Pick, Pick, Pick];
    for (const p of [ambiguous, clean]) {
      h.avid.control.planInvoice(p.avidId, {
        decision: "approve",
        recode: { line: 1, glCode: p.toAvidGl },
      });
    }
    h.avid.control.planInvoice(held.avidId, { decision: "hold" });
  });
  afterAll(async () => {
    await h?.close();
  });

  const remote = (avidId: number) =>
    h.avid.control.snapshot().invoices.find((i) => i.InvoiceId === avidId)!;
  const stateAudits = async (invoiceId: string) =>
    (
      await h.t.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.type, "invoice.approval_state"))
        .orderBy(asc(auditEvents.id))
    ).filter((a) => a.subjectId === invoiceId);
  const journalsFor = (p: Pick) =>
    h.syspro.control
      .rows("GenJournalDetail", { GlCode: p.toGl }, 10_000)
      .filter((d) => cents(d["EntryValue"]) === cents(p.lineAmount));
  const reclassOf = async (p: Pick) =>
    h.t.db
      .select()
      .from(postings)
      .where(and(eq(postings.invoiceId, p.id), eq(postings.kind, "reclass")));
  const mark = async () => {
    const [row] = await h.t.db
      .select()
      .from(watermarks)
      .where(and(eq(watermarks.connectionId, h.connectionId), eq(watermarks.stream, STREAM)));
    return row;
  };

  it("records each state change once, audited under its own transaction id; the watermark advances", async () => {
    const [connection] = await h.t.db
      .select()
      .from(connections)
      .where(eq(connections.id, h.connectionId));
    expect(connection?.recodePolicy).toBe("JOURNAL");
    expect(await mark()).toBeUndefined();

    h.avid.control.advance(10 * HOUR);
    // The first journal's answer is lost after SYSPRO applied it: the ambiguous failure.
    h.syspro.control.addFault({
      kind: "status",
      status: 500,
      api: "enet",
      operation: "Transaction/Post",
      businessObject: "GENTJL",
      phase: "after",
    });
    const runId = await h.sync("approvals");
    const [run] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
    expect(run?.state).toBe("succeeded");
    // SYSPRO has the journal; we do not know it yet.
    const [lost] = await reclassOf(ambiguous);
    expect(lost?.state).toBe("unknown");
    expect(
      h.syspro.control.rows("GenJournalCtl", { JournalReference: lost!.recodeRef! }),
    ).toHaveLength(1);

    const rows = (
      await h.t.db.select().from(invoices).where(eq(invoices.connectionId, h.connectionId))
    ).filter((r) => r.avidInvoiceId !== null);
    for (const row of rows) {
      const status = remote(Number(row.avidInvoiceId)).Status as { Description: string };
      expect(row.approvalState).toBe(status.Description);
    }
    expect(rows.find((r) => r.id === clean.id)?.approvalState).toBe("Approved");
    expect(rows.find((r) => r.id === held.id)?.approvalState).toBe("On Hold");

    const audits = await stateAudits(held.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.data).toMatchObject({ from: null, to: "On Hold" });
    const transactionId = audits[0]?.transactionId ?? "";
    expect(isTransactionId(transactionId)).toBe(true);
    const [move] = await h.t.db
      .select()
      .from(transactions)
      .where(eq(transactions.id, transactionId));
    expect(move).toMatchObject({ kind: "approval.received", state: "succeeded" });
    const all = await h.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "invoice.approval_state"));
    expect(new Set(all.map((a) => a.transactionId)).size).toBe(all.length);
    expect(all).toHaveLength(rows.length);

    const first = await mark();
    const newest = Math.max(
      ...rows.map((r) => Date.parse(String(remote(Number(r.avidInvoiceId)).LastModifiedDate))),
    );
    expect(first?.changedAt.getTime()).toBe(newest);

    // A re-read of the same states changes and audits nothing.
    await h.sync("approvals");
    const again = await h.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "invoice.approval_state"));
    expect(again).toHaveLength(all.length);
  });

  it("JOURNAL policy: a re-code posts one balanced GENTJL reclassification, however often it is read", async () => {
    // Two approvals runs above; run once more to be sure.
    await h.sync("approvals");
    const details = journalsFor(clean);
    const debit = details.find((d) => cents(d["EntryValue"]) > 0);
    expect(debit).toBeDefined();
    const journal = h.syspro.control.rows("GenJournalDetail", {
      GlYear: String(debit!["GlYear"]),
      GlPeriod: String(debit!["GlPeriod"]),
      Journal: String(debit!["Journal"]),
    });
    expect(
      journal.map((d) => ({ gl: String(d["GlCode"]).trim(), value: cents(d["EntryValue"]) })),
    ).toEqual([
      { gl: clean.toGl, value: cents(clean.lineAmount) },
      { gl: clean.fromGl, value: -cents(clean.lineAmount) },
    ]);

    const [posting, ...more] = await reclassOf(clean);
    expect(more).toHaveLength(0);
    expect(posting).toMatchObject({ state: "posted", method: "GENTJL" });
    const headers = h.syspro.control.rows("GenJournalCtl", {
      JournalReference: posting!.recodeRef!,
    });
    expect(headers).toHaveLength(1);
    expect(posting?.sysproReference).toBe(
      `${headers[0]!["GlYear"]}/${headers[0]!["GlPeriod"]}/${headers[0]!["Journal"]}`,
    );
    const reclassified = (
      await h.t.db.select().from(auditEvents).where(eq(auditEvents.type, "invoice.reclassified"))
    ).filter((a) => a.subjectId === clean.id);
    expect(reclassified).toHaveLength(1);
    expect(reclassified[0]?.transactionId).toBe(posting?.transactionId);
    expect(isTransactionId(reclassified[0]?.transactionId ?? "")).toBe(true);

    const [line] = await h.t.db
      .select()
      .from(invoiceLines)
      .where(and(eq(invoiceLines.invoiceId, clean.id), eq(invoiceLines.lineNumber, 1)));
    expect(line?.recodedGlCode).toBe(clean.toAvidGl);
  });

  it("a journal whose answer was lost is found in SYSPRO by its reference, never posted twice", async () => {
    const [posting, ...more] = await reclassOf(ambiguous);
    expect(more).toHaveLength(0);
    // Settled by the second run's lookup, not by a second post.
    expect(posting).toMatchObject({ state: "posted", attempts: 1 });
    expect(
      h.syspro.control.rows("GenJournalCtl", { JournalReference: posting!.recodeRef! }),
    ).toHaveLength(1);
    expect(journalsFor(ambiguous).filter((d) => cents(d["EntryValue"]) > 0)).toHaveLength(1);
    const posts = h.syspro.control
      .requests()
      .filter((r) => r.businessObject === "GENTJL" && r.operation === "Transaction/Post");
    expect(posts).toHaveLength(2);
  });

  it("replays a reclass.post: posted is a no-op; a dry run validates, reports the GL lines, posts nothing", async () => {
    const replay = async (transactionId: string, dryRun: boolean) => {
      const { run } = await replayTransaction(h.t.db, createJobQueue(), {
        transactionId,
        dryRun,
        actor: "test",
      });
      await h.drain();
      const [done] = await h.t.db.select().from(syncRuns).where(eq(syncRuns.id, run.id));
      return done?.plan as
        | { outcome: string; detail: string; glLines?: { glCode: string; side: string }[] }
        | undefined;
    };
    const glPosts = () =>
      h.syspro.control
        .requests()
        .filter((r) => r.businessObject === "GENTJL" && r.operation === "Transaction/Post").length;
    const [posting] = await reclassOf(clean);
    const [move] = await h.t.db
      .select()
      .from(transactions)
      .where(eq(transactions.id, posting!.transactionId));
    expect(move).toMatchObject({ kind: "reclass.post", state: "succeeded" });
    const journals = () =>
      h.syspro.control.rows("GenJournalCtl", { JournalReference: posting!.recodeRef! });
    const postsBefore = glPosts();

    expect(await replay(posting!.transactionId, false)).toMatchObject({ outcome: "noop" });
    expect(await replay(posting!.transactionId, true)).toMatchObject({ outcome: "noop" });
    expect(glPosts()).toBe(postsBefore);

    // As if the post's answer had been lost: the ledger no longer knows SYSPRO applied it.
    await h.t.db.update(postings).set({ state: "unknown" }).where(eq(postings.id, posting!.id));
    const dry = await replay(posting!.transactionId, true);
    expect(dry?.outcome).toBe("would_apply");
    expect(dry?.glLines?.map((l) => [l.glCode, l.side])).toEqual([
      [clean.toGl, "debit"],
      [clean.fromGl, "credit"],
    ]);
    expect(journals()).toHaveLength(1);
    expect((await reclassOf(clean))[0]?.state).toBe("unknown");

    // The real replay asks SYSPRO first, finds the journal, and posts nothing.
    const postsBeforeSettle = glPosts();
    expect(await replay(posting!.transactionId, false)).toMatchObject({ outcome: "noop" });
    expect(glPosts()).toBe(postsBeforeSettle);
    expect(journals()).toHaveLength(1);
    expect((await reclassOf(clean))[0]).toMatchObject({
      state: "posted",
      sysproReference: posting!.sysproReference,
    });
  });

  it("EXCEPTION policy: a re-code is held as RECODED for a person and nothing is posted", async () => {
    const before = await mark();
    await h.t.db
      .update(connections)
      .set({ recodePolicy: "EXCEPTION" })
      .where(eq(connections.id, h.connectionId));
    // Released from hold, the approver re-codes and approves.
    h.avid.control.planInvoice(held.avidId, { recode: { line: 1, glCode: held.toAvidGl } });
    h.avid.control.advance(2 * DAY);
    const now = remote(held.avidId);
    const history = now.ApprovalHistory as { Action: string }[];
    expect(history.map((step) => step.Action)).toContain("Recoded");
    // A payment run may already have picked it up.
    const state = (now.Status as { Description: string }).Description;
    expect(["Approved", "Payment Scheduled", "Paid"]).toContain(state);
    const journals = h.syspro.control.rows("GenJournalCtl", {}, 10_000).length;

    await h.sync("approvals");
    await h.sync("approvals");

    const raised = await h.t.db
      .select()
      .from(exceptions)
      .where(and(eq(exceptions.subjectId, held.id), eq(exceptions.reasonCode, "RECODED")));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ state: "open", attempts: 1 });
    expect(raised[0]?.message).toContain(held.toAvidGl);
    expect(h.syspro.control.rows("GenJournalCtl", {}, 10_000)).toHaveLength(journals);
    expect(await reclassOf(held)).toHaveLength(0);

    const audits = await stateAudits(held.id);
    expect(audits.map((a) => a.data)).toMatchObject([
      { from: null, to: "On Hold" },
      { from: "On Hold", to: state },
    ]);
    const after = await mark();
    expect(after!.changedAt.getTime()).toBeGreaterThan(before!.changedAt.getTime());
  });
});
