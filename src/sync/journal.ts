import { formatCents, toCents } from "./money.js";

import type { JournalLine } from "./domain.js";

/** Debit and credit totals of journal lines, in cents. */
export function journalTotals(lines: readonly JournalLine[]): { debit: bigint; credit: bigint } {
  let debit = 0n;
  let credit = 0n;
  for (const line of lines) {
    const cents = toCents(line.amount, `journal line ${line.glCode}`);
    if (line.side === "debit") {
      debit += cents;
    } else {
      credit += cents;
    }
  }
  return { debit, credit };
}

/** GENTJL refuses an unbalanced journal; we never build one. */
export function isBalanced(lines: readonly JournalLine[]): boolean {
  const { debit, credit } = journalTotals(lines);
  return lines.length > 0 && debit === credit;
}

/** A journal line for a signed amount: positive debits `glCode`, negative credits it. Lines always
 * carry a positive amount (the SYSPRO edge signs it), so a negative invoice line flips sides. */
export function signedLine(
  glCode: string,
  cents: bigint,
  side: "debit" | "credit",
  reference: string,
  comment?: string,
): JournalLine {
  const flipped = cents < 0n ? (side === "debit" ? "credit" : "debit") : side;
  return {
    glCode,
    side: flipped,
    amount: formatCents(cents < 0n ? -cents : cents),
    reference,
    ...(comment ? { comment } : {}),
  };
}
