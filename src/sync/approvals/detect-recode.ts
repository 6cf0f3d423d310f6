import { contentHash } from "../content-hash.js";
import { SyncInvariantError } from "../errors.js";
import { syncException } from "../exceptions.js";
import { isBalanced, signedLine } from "../journal.js";
import { reverseMapCoding } from "../mapping/reverse.js";
import { sameCoding } from "../mapping/resolve.js";
import { parseCents } from "../money.js";
import { reclassReference } from "../references.js";

import type {
  AvidCoding,
  AvidInvoiceLine,
  ConnectionPolicies,
  IsoDate,
  JournalLine,
  JournalPlan,
  ReturnedInvoiceLine,
} from "../domain.js";
import type { SyncException } from "../exceptions.js";
import type { GlAccountIndex } from "../mapping/catalogs.js";
import type { GlMappingResolver } from "../mapping/resolve.js";

/**
 * Did an approver re-code lines of an invoice in AvidXchange, and what do we do about it?
 *
 * Lines are matched by line number against the baseline (the lines as last accounted for: as sent,
 * or as of the last reclassification posted). A line whose GL code or dimensions differ is re-coded.
 * By policy, re-codes become a GENTJL reclassification journal (debit the new SYSPRO account, credit
 * the original, per line) or an exception `RECODED` for a person. The new SYSPRO account comes from
 * the reverse mapping; if that is ambiguous or impossible the journal is not guessed: exception
 * `RECODE_UNMAPPABLE`. If the approver changed amounts or the set of lines, no line-by-line
 * reclassification is right: exception `RECODE_LINES_CHANGED`.
 *
 * The same re-code seen twice (overlapping polls) yields the same `recodeKey` and journal reference,
 * so the posting ledger and the exception table can both de-duplicate it. After a journal is posted
 * (or a re-code is otherwise settled) the caller stores `newBaseline` with `baselineVersion + 1`.
 */

export interface DetectRecodeInput {
  readonly connection: string;
  readonly avidInvoiceId: string;
  readonly supplier: string;
  readonly invoiceNumber: string;
  readonly baseline: readonly AvidInvoiceLine[];
  /** How many times the baseline moved on (0 = as sent). Part of `recodeKey`, so re-coding A→B,
   * back to A, then to B again is three reclassifications, not one posted twice. */
  readonly baselineVersion: number;
  readonly returned: readonly ReturnedInvoiceLine[];
  readonly policy: ConnectionPolicies["recode"];
  readonly resolver: GlMappingResolver;
  readonly glAccounts: GlAccountIndex;
  /** Journal date; absent = SYSPRO's system date. */
  readonly journalDate?: IsoDate;
}

export interface RecodedLine {
  readonly lineNumber: number;
  readonly amount: string;
  readonly fromSysproGlCode: string;
  readonly from: AvidCoding;
  readonly to: AvidCoding;
}

export interface ReclassLedgerKey {
  readonly connection: string;
  readonly avidInvoiceId: string;
  readonly reference: string;
  readonly kind: "reclass";
}

export type RecodeDecision =
  | { readonly action: "none" }
  | {
      readonly action: "journal";
      readonly recodeKey: string;
      readonly plan: JournalPlan;
      readonly ledgerKey: ReclassLedgerKey;
      readonly recodedLines: readonly RecodedLine[];
      /** Store as the invoice's baseline once the journal is posted. */
      readonly newBaseline: readonly AvidInvoiceLine[];
    }
  /** Re-coded, but nothing to post (zero-value lines): store `newBaseline` and move on. */
  | {
      readonly action: "rebaseline";
      readonly recodeKey: string;
      readonly recodedLines: readonly RecodedLine[];
      readonly newBaseline: readonly AvidInvoiceLine[];
    }
  | {
      readonly action: "exception";
      readonly recodeKey: string;
      readonly exception: SyncException;
      readonly recodedLines: readonly RecodedLine[];
    };

export function detectRecode(input: DetectRecodeInput): RecodeDecision {
  // A listing without lines says nothing about coding.
  if (input.returned.length === 0) {
    return { action: "none" };
  }
  const key = {
    supplier: input.supplier,
    invoice: input.invoiceNumber,
    avidInvoiceId: input.avidInvoiceId,
  };
  const returnedByNumber = new Map(input.returned.map((line) => [line.lineNumber, line]));
  const changedLines = linesChanged(input.baseline, input.returned, returnedByNumber);
  const recodedLines: RecodedLine[] = [];
  for (const line of input.baseline) {
    const now = returnedByNumber.get(line.lineNumber);
    if (now && !sameCoding(line, now)) {
      recodedLines.push({
        lineNumber: line.lineNumber,
        amount: line.amount,
        fromSysproGlCode: line.sysproGlCode,
        from: { glCode: line.glCode, dimensions: line.dimensions },
        to: { glCode: now.glCode.trim(), dimensions: now.dimensions },
      });
    }
  }
  const recodeKey = contentHash(
    {
      avidInvoiceId: input.avidInvoiceId,
      baselineVersion: input.baselineVersion,
      returned: [...input.returned]
        .sort((a, b) => a.lineNumber - b.lineNumber)
        .map((l) => ({ n: l.lineNumber, a: l.amount, coding: canonicalCoding(l) })),
    },
    { decimalFields: ["a"] },
  );

  if (changedLines) {
    return {
      action: "exception",
      recodeKey,
      recodedLines,
      exception: syncException("RECODE_LINES_CHANGED", changedLines, { ...key }),
    };
  }
  if (recodedLines.length === 0) {
    return { action: "none" };
  }
  const lineDetails = recodedLines.map((line) => ({
    lineNumber: line.lineNumber,
    amount: line.amount,
    fromSysproGlCode: line.fromSysproGlCode,
    fromGlCode: line.from.glCode,
    toGlCode: line.to.glCode,
    toDimensions: line.to.dimensions.map((d) => `${d.group}/${d.value}`),
  }));
  if (input.policy === "EXCEPTION") {
    return {
      action: "exception",
      recodeKey,
      recodedLines,
      exception: syncException("RECODED", describeLines(recodedLines), {
        ...key,
        lines: lineDetails,
      }),
    };
  }

  const reference = reclassReference(input.avidInvoiceId, recodeKey);
  const journalLines: JournalLine[] = [];
  const unmappable: string[] = [];
  const invalidOriginals: string[] = [];
  const newSysproCodes = new Map<number, string>();
  for (const line of recodedLines) {
    const reversed = reverseMapCoding(
      input.resolver,
      input.glAccounts,
      line.to,
      line.fromSysproGlCode,
    );
    if (!reversed.ok) {
      unmappable.push(`line ${line.lineNumber}: ${reversed.detail}`);
      continue;
    }
    if (input.glAccounts.problem(line.fromSysproGlCode) !== undefined) {
      invalidOriginals.push(line.fromSysproGlCode);
    }
    newSysproCodes.set(line.lineNumber, reversed.sysproGlCode);
    const cents = parseCents(line.amount) ?? 0n;
    if (cents === 0n || reversed.sysproGlCode === line.fromSysproGlCode) {
      continue;
    }
    const comment = `Re-code line ${line.lineNumber} of ${input.supplier}/${input.invoiceNumber}`;
    journalLines.push(signedLine(reversed.sysproGlCode, cents, "debit", reference, comment));
    journalLines.push(signedLine(line.fromSysproGlCode, cents, "credit", reference, comment));
  }
  if (unmappable.length > 0) {
    return {
      action: "exception",
      recodeKey,
      recodedLines,
      exception: syncException("RECODE_UNMAPPABLE", unmappable.join("; "), {
        ...key,
        lines: lineDetails,
      }),
    };
  }
  if (invalidOriginals.length > 0) {
    return {
      action: "exception",
      recodeKey,
      recodedLines,
      exception: syncException(
        "GL_INVALID",
        `original GL code ${[...new Set(invalidOriginals)].join(", ")} cannot take the credit`,
        { ...key, glCodes: [...new Set(invalidOriginals)] },
      ),
    };
  }
  const newBaseline = input.baseline.map((line) => {
    const now = returnedByNumber.get(line.lineNumber);
    const sysproGlCode = newSysproCodes.get(line.lineNumber);
    return now && sysproGlCode
      ? { ...line, glCode: now.glCode.trim(), dimensions: now.dimensions, sysproGlCode }
      : line;
  });
  if (journalLines.length === 0) {
    // Only zero-value lines were re-coded: nothing to post, but the baseline moves on.
    return { action: "rebaseline", recodeKey, recodedLines, newBaseline };
  }
  if (!isBalanced(journalLines)) {
    // Each re-coded line adds an equal debit and credit; reaching this is a bug, not a record problem.
    throw new SyncInvariantError(`unbalanced reclassification journal ${reference}`);
  }
  return {
    action: "journal",
    recodeKey,
    plan: {
      kind: "GENTJL",
      reference,
      notation: `AvidXchange re-code of invoice ${input.supplier}/${input.invoiceNumber}`,
      ...(input.journalDate ? { journalDate: input.journalDate } : {}),
      lines: journalLines,
    },
    ledgerKey: {
      connection: input.connection,
      avidInvoiceId: input.avidInvoiceId,
      reference,
      kind: "reclass",
    },
    recodedLines,
    newBaseline,
  };
}

/** Why the lines cannot be compared one to one, or `undefined` when only coding may differ. */
function linesChanged(
  baseline: readonly AvidInvoiceLine[],
  returned: readonly ReturnedInvoiceLine[],
  returnedByNumber: ReadonlyMap<number, ReturnedInvoiceLine>,
): string | undefined {
  const sent = new Set(baseline.map((line) => line.lineNumber));
  const added = returned.filter((line) => !sent.has(line.lineNumber)).map((l) => l.lineNumber);
  const removed = baseline
    .filter((line) => !returnedByNumber.has(line.lineNumber))
    .map((l) => l.lineNumber);
  const reasons: string[] = [];
  if (added.length > 0 || returned.length !== returnedByNumber.size) {
    reasons.push(`lines added: ${added.join(", ") || "duplicate line numbers"}`);
  }
  if (removed.length > 0) {
    reasons.push(`lines removed: ${removed.join(", ")}`);
  }
  for (const line of baseline) {
    const now = returnedByNumber.get(line.lineNumber);
    const nowCents = now ? parseCents(now.amount) : undefined;
    if (now && (nowCents === undefined || nowCents !== parseCents(line.amount))) {
      reasons.push(`line ${line.lineNumber} amount ${line.amount} → ${now.amount}`);
    }
  }
  return reasons.length > 0 ? reasons.join("; ") : undefined;
}

function canonicalCoding(coding: AvidCoding): string {
  const dims = coding.dimensions
    .map((d) => `${d.group.trim()}=${d.value.trim()}`)
    .sort()
    .join(",");
  return `${coding.glCode.trim()}|${dims}`;
}

function describeLines(lines: readonly RecodedLine[]): string {
  return lines
    .map(
      (line) =>
        `line ${line.lineNumber} ${canonicalCoding(line.from)} → ${canonicalCoding(line.to)}`,
    )
    .join("; ");
}
