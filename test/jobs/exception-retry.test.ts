import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  auditEvents,
  connections,
  exceptions,
  invoices,
  syncRuns,
} from "../../src/db/schema/index.js";
import { resolveException } from "../../src/sync/commands/exceptions.js";
import { createJobQueue } from "../../src/sync/commands/job-queue.js";
import { glCodesByUse, mapGlCode, mapGlCodes } from "./gl-mapping-setup.js";
import { startSyncHarness } from "./harness.js";

import type { SyncHarness } from "./harness.js";

describe("exception:retry", () => {
  let h: SyncHarness;
  let unmapped: string;
  beforeAll(async () => {
    h = await startSyncHarness();
    await h.sync("suppliers");
    // The most used code: among the invoices it holds are some with no other fault.
    unmapped = glCodesByUse(h).at(-1)!;
    await mapGlCodes(h, unmapped);
    await h.sync("invoices");
  });
  afterAll(async () => {
    await h?.close();
  });

  const retry = async (exceptionId: string) => {
    await resolveException(h.t.db, createJobQueue(), {
      exceptionId,
      action: "RETRY",
      note: "try again",
      actor: "test",
    });
    await h.drain();
    const [row] = await h.t.db.select().from(exceptions).where(eq(exceptions.id, exceptionId));
    return row!;
  };
  const invoicePosts = () =>
    h.avid.control.requests({ method: "POST" }).filter((r) => r.path.startsWith("/v1/invoices"));

  it("an unmapped invoice goes through the same guards: still unmapped, still open", async () => {
    const [held] = await h.t.db
      .select()
      .from(exceptions)
      .where(and(eq(exceptions.reasonCode, "UNMAPPED_GL"), eq(exceptions.state, "open")))
      .limit(1);
    expect(held?.message).toContain(unmapped);
    h.avid.control.clearRequests();
    const after = await retry(held!.id);
    expect(after).toMatchObject({ state: "open", attempts: held!.attempts + 1 });
    expect(after.message).toContain(unmapped);
    expect(invoicePosts()).toHaveLength(0);
    const [run] = await h.t.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.replayTransactionId, held!.transactionId!));
    expect(run).toMatchObject({ kind: "invoices", state: "failed", actor: "test" });
  });

  it("once the code is mapped, the retry sends the invoice once and resolves the exception", async () => {
    // An invoice held for its GL code alone (the sandbox also has invoices with other faults).
    const all = await h.t.db.select().from(exceptions);
    const held = all.find(
      (e) =>
        e.reasonCode === "UNMAPPED_GL" &&
        e.state === "open" &&
        all.filter((o) => o.subjectId === e.subjectId).length === 1,
    );
    await mapGlCode(h, unmapped);
    h.avid.control.clearRequests();
    const after = await retry(held!.id);
    expect(after.state).toBe("resolved");
    expect(after.resolvedAt).not.toBeNull();
    expect(invoicePosts()).toHaveLength(1);
    const [invoice] = await h.t.db.select().from(invoices).where(eq(invoices.id, held!.subjectId));
    expect(invoice).toMatchObject({ syncState: "synced", transactionId: held!.transactionId });
    expect(invoice!.avidInvoiceId).not.toBeNull();
    const remote = h.avid.control
      .snapshot()
      .invoices.filter((i) => i["ExternalInvoiceId"] === invoice!.externalInvoiceId);
    expect(remote).toHaveLength(1);
    const [resolved] = await h.t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.type, "exception.resolved"), eq(auditEvents.subjectId, held!.id)));
    expect(resolved?.data).toMatchObject({ outcome: "applied" });
  });
});

describe("exception:retry of a vendor only in AvidXchange", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    await h.sync("suppliers");
  });
  afterAll(async () => {
    await h?.close();
  });

  const retry = async (exceptionId: string) => {
    await resolveException(h.t.db, createJobQueue(), {
      exceptionId,
      action: "RETRY",
      note: null,
      actor: "test",
    });
    await h.drain();
    const [row] = await h.t.db.select().from(exceptions).where(eq(exceptions.id, exceptionId));
    return row!;
  };

  it("stays held under HOLD; under CREATE_IN_SYSPRO the supplier is created and it resolves", async () => {
    const [held] = await h.t.db
      .select()
      .from(exceptions)
      .where(eq(exceptions.reasonCode, "VENDOR_NOT_IN_SYSPRO"))
      .limit(1);
    const code = held!.subjectRef!;
    const stillHeld = await retry(held!.id);
    expect(stillHeld).toMatchObject({ state: "open", attempts: held!.attempts + 1 });
    expect(h.syspro.control.rows("ApSupplier", { Supplier: code })).toHaveLength(0);

    await h.t.db
      .update(connections)
      .set({ vendorDirectionPolicy: "CREATE_IN_SYSPRO" })
      .where(eq(connections.id, h.connectionId));
    const created = await retry(held!.id);
    expect(created.state).toBe("resolved");
    expect(h.syspro.control.rows("ApSupplier", { Supplier: code })).toHaveLength(1);
  });
});
