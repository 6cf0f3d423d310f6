import { and, eq } from "drizzle-orm";
import { z } from "zod";

import {
  isSysproBusinessRejectionError,
  isSysproInvalidDocumentError,
} from "../../connectors/syspro/index.js";
import { invoices, postings } from "../../db/schema/index.js";
import { isUnsettled } from "./posting-ledger.js";
import { settleReclass } from "./recode-journals.js";
import { gentjlInput } from "./syspro-journal.js";

import type { JournalPlan } from "../domain.js";
import type { ReplayHandler, ReplayResult } from "../replay.js";
import type { ReclassRequest } from "./recode-journals.js";
import type { FlowContext } from "./run-context.js";

/**
 * Replay of a `reclass.post` transaction: the re-code's GENTJL reclassification through flow 4's
 * ledger guard. Posted is a no-op; a claim left unanswered is settled by asking SYSPRO for the
 * journal reference first and posting only if it is absent; a dry run has SYSPRO validate the
 * journal (ValidateOnly) and reports its GL lines. A journal SYSPRO refused is not sent again from
 * here: a person reads the REMOTE_REJECTED exception first.
 */

const storedInput = z.looseObject({
  recodeKey: z.string(),
  plan: z.looseObject({
    reference: z.string(),
    notation: z.string(),
    lines: z.array(
      z.looseObject({ glCode: z.string(), side: z.enum(["debit", "credit"]), amount: z.string() }),
    ),
  }),
  recodedLines: z.array(z.unknown()),
});

export const reclassPostReplay: ReplayHandler = {
  async apply(ctx, input, { dryRun, transaction }) {
    if (!storedInput.safeParse(input).success) {
      return {
        outcome: "failed",
        detail: "the stored input of this reclass.post transaction is not replayable",
      };
    }
    const request = input as ReclassRequest;
    const reference = request.plan.reference;
    const found = await postingOf(ctx, transaction.id);
    if (!found) {
      return { outcome: "failed", detail: `journal ${reference} was never claimed in the ledger` };
    }
    const { posting, invoice } = found;
    if (posting.state === "posted") {
      return {
        outcome: "noop",
        detail: `already applied: journal ${reference} is in SYSPRO as ${posting.sysproReference ?? "posted"}`,
      };
    }
    if (dryRun) {
      return validate(ctx, request.plan);
    }
    if (!isUnsettled(posting)) {
      return {
        outcome: "failed",
        detail: `SYSPRO refused journal ${reference} (${posting.error ?? "no reason given"}); resolve its exception first`,
      };
    }
    await settleReclass(ctx, invoice, posting);
    const after = await postingOf(ctx, transaction.id);
    if (after?.posting.state !== "posted") {
      return {
        outcome: "failed",
        detail: `journal ${reference} is still ${after?.posting.state ?? "unclaimed"}: ${after?.posting.error ?? "SYSPRO could not be asked; the next approvals run settles it"}`,
      };
    }
    const wasThere = (after.posting.response as { found?: unknown } | null)?.found !== undefined;
    return wasThere
      ? { outcome: "noop", detail: `already applied: SYSPRO holds journal ${reference}` }
      : {
          outcome: "applied",
          detail: `posted journal ${reference} as ${after.posting.sysproReference ?? reference}`,
          ...requestsOf(request.plan),
        };
  },
};

async function postingOf(ctx: FlowContext, transactionId: string) {
  const [row] = await ctx.db
    .select({ posting: postings, invoice: invoices })
    .from(postings)
    .innerJoin(invoices, eq(invoices.id, postings.invoiceId))
    .where(
      and(
        eq(postings.connectionId, ctx.connection.id),
        eq(postings.kind, "reclass"),
        eq(postings.transactionId, transactionId),
      ),
    )
    .limit(1);
  return row;
}

/** SYSPRO checks the journal (ValidateOnly) and changes nothing. */
async function validate(ctx: FlowContext, plan: JournalPlan): Promise<ReplayResult> {
  try {
    await ctx.connectors.syspro.enet.postGlJournal(gentjlInput(plan), {
      validateOnly: true,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (thrown) {
    if (isSysproBusinessRejectionError(thrown) || isSysproInvalidDocumentError(thrown)) {
      return {
        outcome: "failed",
        detail: `SYSPRO would refuse journal ${plan.reference}: ${thrown.message}`,
        ...requestsOf(plan),
      };
    }
    throw thrown;
  }
  return {
    outcome: "would_apply",
    detail: `would post journal ${plan.reference} unless SYSPRO already holds it`,
    ...requestsOf(plan),
  };
}

function requestsOf(plan: JournalPlan): Pick<ReplayResult, "requests" | "glLines"> {
  return {
    requests: [{ system: "syspro", operation: "GENTJL Transaction/Post", body: gentjlInput(plan) }],
    glLines: plan.lines,
  };
}
