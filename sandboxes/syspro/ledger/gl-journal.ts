/**
 * A GL journal (GENTJL): every line's ledger code exists for the company and is not on hold, amounts
 * are positive for debits and negative for credits, and the journal balances. Posted journals go to
 * GenJournalCtl / GenJournalDetail [I: the contract names no GL journal tables].
 */
import { centsToString, toCents, toDate } from "../money.js";
import type { SysproState } from "../state.js";
import { fieldError, MSG } from "./field-error.js";
import type { FieldError } from "./field-error.js";

export interface GlJournalInput {
  JournalType?: string;
  JournalNumber?: string;
  PostJournal?: string;
  JournalDate?: string;
  JournalReference?: string;
  Notation?: string;
  PostingPeriod?: string;
  PostingYear?: string;
  Source?: string;
  lines: { LedgerCode?: string; EntryAmount?: string; Reference?: string; Comment?: string }[];
}

export interface GlJournalPlan {
  type: string;
  post: boolean;
  year: number;
  period: number;
  journalDate: string;
  reference: string;
  notation: string;
  source: string;
  lines: { glCode: string; cents: number; reference: string; comment: string }[];
  debitCents: number;
  creditCents: number;
}

export function validateGlJournal(
  state: SysproState,
  input: GlJournalInput,
): { errors: FieldError[]; plan?: GlJournalPlan } {
  const errors: FieldError[] = [];
  const type = (input.JournalType?.trim() || "N").toUpperCase();
  if (!["N", "P", "U", "S", "L"].includes(type)) {
    errors.push(fieldError("JournalType", type, MSG.invalidValue("journal type", type)));
  }
  if (input.JournalNumber?.trim()) {
    // Maintaining an existing journal is not simulated: SYSPRO would require it to exist.
    errors.push(
      fieldError(
        "JournalNumber",
        input.JournalNumber,
        MSG.invalidValue("journal number", input.JournalNumber),
      ),
    );
  }
  const current = state.period();
  const year = input.PostingYear?.trim() ? Number(input.PostingYear) : current.year;
  const period = input.PostingPeriod?.trim() ? Number(input.PostingPeriod) : current.month;
  const open =
    Number.isInteger(year) &&
    Number.isInteger(period) &&
    period >= 1 &&
    period <= 12 &&
    (year === current.year || year === current.year - 1);
  if (!open) {
    errors.push(
      fieldError(
        "PostingPeriod",
        `${input.PostingPeriod ?? ""}`,
        MSG.periodClosed(String(input.PostingYear ?? year), String(input.PostingPeriod ?? period)),
      ),
    );
  }
  const journalDate = input.JournalDate?.trim() ? toDate(input.JournalDate) : state.clock.today();
  if (journalDate === undefined) {
    errors.push(
      fieldError(
        "JournalDate",
        input.JournalDate,
        MSG.invalidValue("journal date", input.JournalDate ?? ""),
      ),
    );
  }
  if (input.lines.length === 0) {
    errors.push(fieldError("JournalDetails", "", MSG.required("JournalDetails")));
  }
  const lines: GlJournalPlan["lines"] = [];
  let debit = 0;
  let credit = 0;
  for (const line of input.lines) {
    const gl = line.LedgerCode?.trim() ?? "";
    const row = gl === "" ? undefined : state.glCode(gl);
    if (row === undefined) {
      errors.push(fieldError("LedgerCode", gl, MSG.glNotFound(gl)));
    } else if (row.AccOnHldFlag === "Y") {
      errors.push(fieldError("LedgerCode", gl, MSG.glOnHold(gl)));
    }
    const cents = toCents(line.EntryAmount);
    if (cents === undefined || cents === 0) {
      errors.push(
        fieldError(
          "EntryAmount",
          line.EntryAmount,
          MSG.invalidValue("entry amount", line.EntryAmount ?? ""),
        ),
      );
      continue;
    }
    if (cents > 0) {
      debit += cents;
    } else {
      credit -= cents;
    }
    lines.push({
      glCode: gl,
      cents,
      reference: line.Reference?.trim() ?? "",
      comment: line.Comment?.trim() ?? "",
    });
  }
  if (debit !== credit) {
    errors.push(
      fieldError(
        "EntryAmount",
        centsToString(debit - credit),
        MSG.notBalanced(centsToString(debit), centsToString(credit)),
      ),
    );
  }
  if (errors.length > 0) {
    return { errors };
  }
  return {
    errors,
    plan: {
      type,
      post: (input.PostJournal?.trim().toUpperCase() || "Y") === "Y",
      year,
      period,
      journalDate: journalDate!,
      reference: input.JournalReference?.trim() ?? "",
      notation: input.Notation?.trim() ?? "",
      source: input.Source?.trim() ?? "",
      lines,
      debitCents: debit,
      creditCents: credit,
    },
  };
}

export function applyGlJournal(state: SysproState, plan: GlJournalPlan, operator: string): number {
  const journal = state.nextGlJournal(plan.year, plan.period);
  const base = {
    GlYear: String(plan.year),
    GlPeriod: String(plan.period),
    Journal: String(journal),
  };
  state.tables.GenJournalCtl.insert({
    ...base,
    JournalDate: plan.journalDate,
    JournalType: plan.type,
    JnlStatus: plan.post ? "P" : "U",
    Source: plan.source,
    JournalReference: plan.reference,
    Notation: plan.notation,
    Operator: operator,
    Authorised: "Y",
    NumOfEntries: String(plan.lines.length),
    DebitAmount: centsToString(plan.debitCents),
    CreditAmount: centsToString(plan.creditCents),
  });
  plan.lines.forEach((line, i) => {
    state.tables.GenJournalDetail.insert({
      ...base,
      EntryNumber: String(i + 1),
      GlCode: line.glCode,
      EntryType: line.cents > 0 ? "D" : "C",
      Reference: line.reference,
      Comment: line.comment,
      EntryValue: centsToString(line.cents),
      EntryDate: plan.journalDate,
    });
  });
  return journal;
}
