/**
 * Invoice approval on the simulated clock: Received → In Approval → (one or two approvers) → Approved,
 * with side exits Rejected, On Hold (released later) and Void. An approver sometimes re-codes one line
 * (GL code and/or Department) before approving; the line then carries the new coding and the approval
 * history says what changed.
 */
import type { Dataset, InvoicePlan } from "../dataset.js";
import { codeKey } from "../dataset.js";
import { iso } from "../dates.js";
import type { ApprovalEntry, Invoice, InvoiceLine } from "../model.js";
import { parseCents } from "../money.js";
import { jitter, pick } from "../prng.js";
import type { InvoiceStatus } from "../statuses.js";
import type { World } from "../world.js";

const DEPARTMENT = "Department";

export function setInvoiceStatus(inv: Invoice, status: InvoiceStatus, at: number): void {
  inv.status = status;
  inv.lastModifiedMs = Math.max(inv.lastModifiedMs, at);
}

function addHistory(inv: Invoice, entry: Omit<ApprovalEntry, "DateTime">, at: number): void {
  inv.history.push({ ...entry, DateTime: iso(at) });
  inv.lastModifiedMs = Math.max(inv.lastModifiedMs, at);
}

export function planFor(ds: Dataset, inv: Invoice): InvoicePlan | undefined {
  return (
    ds.invoicePlans.get(`id:${inv.InvoiceId}`) ??
    ds.invoicePlans.get(`ext:${inv.ExternalInvoiceId}`)
  );
}

/** Called once when a new invoice is accepted. */
export function startInvoiceLifecycle(world: World, ds: Dataset, inv: Invoice, at: number): void {
  if (!world.options.lifecycle.enabled) {
    return;
  }
  const threshold = parseCents(world.options.lifecycle.twoStepThreshold);
  inv.stepsRequired = typeof threshold === "number" && inv.amountCents >= threshold ? 2 : 1;
  schedule(ds, inv, at + jitter(ds.rng, world.options.lifecycle.timings.receivedMs), (t) => {
    if (inv.status === "Received") {
      setInvoiceStatus(inv, "In Approval", t);
      scheduleDecision(world, ds, inv, t);
    }
  });
}

function schedule(ds: Dataset, inv: Invoice, due: number, run: (at: number) => void): void {
  const epoch = inv.epoch;
  ds.scheduler.schedule(due, (at) => {
    if (inv.epoch === epoch) {
      run(at);
    }
  });
}

function scheduleDecision(world: World, ds: Dataset, inv: Invoice, at: number): void {
  const due = at + jitter(ds.rng, world.options.lifecycle.timings.approvalStepMs);
  schedule(ds, inv, due, (t) => decide(world, ds, inv, t));
}

function decide(world: World, ds: Dataset, inv: Invoice, at: number): void {
  if (inv.status !== "In Approval") {
    return;
  }
  const lc = world.options.lifecycle;
  const plan = planFor(ds, inv);
  const released = inv.history.some((h) => h.Action === "Released");
  const step = inv.stepsDone + 1;
  const approver = step === 1 ? pick(ds.rng, lc.approvers) : lc.seniorApprover;
  const r = ds.rng();
  let decision = plan?.decision;
  if (decision === undefined) {
    const p = lc.probabilities;
    decision =
      step > 1 || released
        ? "approve"
        : r < p.reject
          ? "reject"
          : r < p.reject + p.hold
            ? "hold"
            : "approve";
  }
  if (decision === "hold" && released) {
    decision = "approve";
  }
  switch (decision) {
    case "reject":
      addHistory(
        inv,
        {
          Step: step,
          Approver: approver,
          Action: "Rejected",
          Comment: "Not an obligation of this company",
        },
        at,
      );
      setInvoiceStatus(inv, "Rejected", at);
      return;
    case "void":
      addHistory(
        inv,
        { Step: step, Approver: approver, Action: "Voided", Comment: "Voided by approver" },
        at,
      );
      setInvoiceStatus(inv, "Void", at);
      return;
    case "hold":
      addHistory(
        inv,
        {
          Step: step,
          Approver: approver,
          Action: "On Hold",
          Comment: "Waiting for receiving documents",
        },
        at,
      );
      setInvoiceStatus(inv, "On Hold", at);
      schedule(ds, inv, at + jitter(ds.rng, lc.timings.onHoldMs), (t) => {
        if (inv.status === "On Hold") {
          addHistory(inv, { Step: step, Approver: approver, Action: "Released", Comment: "" }, t);
          setInvoiceStatus(inv, "In Approval", t);
          scheduleDecision(world, ds, inv, t);
        }
      });
      return;
    case "approve":
      approve(world, ds, inv, plan, step, approver, at);
      return;
  }
}

function approve(
  world: World,
  ds: Dataset,
  inv: Invoice,
  plan: InvoicePlan | undefined,
  step: number,
  approver: string,
  at: number,
): void {
  if (step === 1 && !inv.recoded) {
    const wanted =
      plan?.recode !== undefined
        ? plan.recode !== false
        : ds.rng() < world.options.lifecycle.probabilities.recode;
    if (wanted) {
      recode(
        world,
        ds,
        inv,
        typeof plan?.recode === "object" ? plan.recode : {},
        step,
        approver,
        at,
      );
    }
  }
  addHistory(inv, { Step: step, Approver: approver, Action: "Approved", Comment: "" }, at);
  inv.stepsDone = step;
  if (inv.stepsDone < inv.stepsRequired) {
    inv.lastModifiedMs = Math.max(inv.lastModifiedMs, at);
    scheduleDecision(world, ds, inv, at);
    return;
  }
  setInvoiceStatus(inv, "Approved", at);
  ds.approved.add(inv.InvoiceId);
}

/** Moves one line to another active GL code and/or Department; records what changed. */
export function recode(
  world: World,
  ds: Dataset,
  inv: Invoice,
  spec: { line?: number; glCode?: string; department?: string },
  step: number,
  approver: string,
  at: number,
): void {
  const line: InvoiceLine | undefined =
    spec.line !== undefined
      ? inv.lines.find((l) => l.LineNumber === spec.line)
      : inv.lines.length > 0
        ? pick(ds.rng, inv.lines)
        : undefined;
  if (!line) {
    return;
  }
  const glGroup = world.options.glGroupName;
  const active = (group: string, exclude: string | undefined): string[] =>
    [...ds.codes.values()]
      .filter((c) => c.GroupName === group && c.IsActive && c.CodeValue !== exclude)
      .map((c) => c.CodeValue);
  const currentDept = line.Dimensions.find((d) => d.GroupName === DEPARTMENT)?.CodeValue;
  let glCode = spec.glCode;
  let department = spec.department;
  if (glCode === undefined && department === undefined) {
    const glChoices = active(glGroup, line.GLCode);
    const deptChoices = active(DEPARTMENT, currentDept);
    const mode = ds.rng();
    if (glChoices.length > 0 && (mode < 0.5 || deptChoices.length === 0)) {
      glCode = pick(ds.rng, glChoices);
    } else if (deptChoices.length > 0 && mode < 0.8) {
      department = pick(ds.rng, deptChoices);
    } else if (glChoices.length > 0 && deptChoices.length > 0) {
      glCode = pick(ds.rng, glChoices);
      department = pick(ds.rng, deptChoices);
    }
  }
  const changes: string[] = [];
  if (glCode !== undefined && glCode !== line.GLCode && ds.codes.has(codeKey(glGroup, glCode))) {
    changes.push(`GL code ${line.GLCode} -> ${glCode}`);
    line.GLCode = glCode;
  }
  if (department !== undefined && department !== currentDept) {
    changes.push(`Department ${currentDept ?? "(none)"} -> ${department}`);
    const dim = line.Dimensions.find((d) => d.GroupName === DEPARTMENT);
    if (dim) {
      dim.CodeValue = department;
    } else {
      line.Dimensions.push({ GroupName: DEPARTMENT, CodeValue: department });
    }
  }
  if (changes.length > 0) {
    inv.recoded = true;
    addHistory(
      inv,
      {
        Step: step,
        Approver: approver,
        Action: "Recoded",
        Comment: `Line ${line.LineNumber}: ${changes.join("; ")}`,
      },
      at,
    );
  }
}
