import type { PostGlJournalInput } from "../../connectors/syspro/index.js";
import type { JournalPlan } from "../domain.js";

/** A journal plan as the GENTJL business object takes it, cut to SYSPRO's field lengths. */
export function gentjlInput(plan: JournalPlan): PostGlJournalInput {
  return {
    JournalReference: plan.reference,
    Notation: plan.notation.slice(0, 100),
    ...(plan.journalDate ? { JournalDate: plan.journalDate } : {}),
    JournalDetails: plan.lines.map((line) => ({
      LedgerCode: line.glCode,
      // GENTJL signs the amount: positive debits, negative credits.
      EntryAmount: line.side === "debit" ? line.amount : `-${line.amount}`,
      Reference: line.reference.slice(0, 30),
      ...(line.comment ? { Comment: line.comment.slice(0, 100) } : {}),
    })),
  };
}
