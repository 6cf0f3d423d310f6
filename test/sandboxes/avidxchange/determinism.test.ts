import { describe, expect, it } from "vitest";

import type { StateSnapshot } from "../../../sandboxes/avidxchange/index.js";
import { client, DAY, HOUR, invoice, startSandbox, vendor } from "./helpers.js";

const EVENTFUL = {
  reject: 0.1,
  hold: 0.15,
  recode: 0.3,
  paymentHeld: 0.1,
  paymentError: 0.15,
  paymentVoid: 0.15,
};

/** Same requests at the same simulated times; the clock advanced in one jump or day by day. */
async function run(seed: number, stepping: "jump" | "daily"): Promise<StateSnapshot> {
  const sandbox = await startSandbox({ seed, lifecycle: { probabilities: EVENTFUL } });
  const api = await client(sandbox);
  const vendors = ["0000001", "0000002", "0000003", "0000004", "0000005"];
  await api("POST", "/v1/vendors", { body: { Vendors: vendors.map((v) => vendor(v)) } });
  for (const batch of [0, 1]) {
    const items = Array.from({ length: 20 }, (_, i) => invoice(`E-${batch}-${i}`, vendors[i % 5]!));
    await api("POST", "/v1/invoices", { body: { Invoices: items } });
    sandbox.control.advance(5 * HOUR);
  }
  if (stepping === "jump") {
    sandbox.control.advance(30 * DAY);
  } else {
    for (let day = 0; day < 30; day++) {
      sandbox.control.advance(DAY);
    }
  }
  return sandbox.control.snapshot();
}

describe("determinism", () => {
  it("gives the same approvals, re-codings and payments for the same seed, however the clock moves", async () => {
    const a = await run(7, "jump");
    const b = await run(7, "daily");
    expect(b).toEqual(a);
    const c = await run(8, "jump");
    expect(c.invoices).not.toEqual(a.invoices);
  });

  it("produces every kind of event with eventful probabilities, and settles every approved invoice", async () => {
    const state = await run(7, "jump");
    const actions = new Set(
      state.invoices.flatMap((i) =>
        (i.ApprovalHistory as { Action: string }[]).map((h) => h.Action),
      ),
    );
    expect([...actions].sort()).toEqual(["Approved", "On Hold", "Recoded", "Rejected", "Released"]);
    const paymentStatuses = new Set(
      state.payments.flatMap((p) =>
        (p.PaymentHistory as { Description: string }[]).map((h) => h.Description),
      ),
    );
    for (const status of ["Held", "Error", "Void", "Cleared", "Funds Received"]) {
      expect(paymentStatuses).toContain(status);
    }
    expect(
      new Set(state.invoices.map((i) => (i.Status as { Description: string }).Description)),
    ).toEqual(new Set(["Paid", "Rejected"]));
    for (const p of state.payments) {
      const lines = p.Remittance as { Amount: number }[];
      expect(Math.round(lines.reduce((sum, l) => sum + l.Amount * 100, 0))).toBe(
        Math.round((p.Amount as number) * 100),
      );
    }
    expect(state.payments.some((p) => (p.Remittance as unknown[]).length > 1)).toBe(true);
  });
});
