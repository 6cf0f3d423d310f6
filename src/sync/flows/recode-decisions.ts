import { and, asc, eq, inArray, or, sql } from "drizzle-orm";

import { exceptions, invoiceLines, postings } from "../../db/schema/index.js";
import { loadMappingInputs } from "../../read-models/gl.js";
import { detectRecode } from "../approvals/detect-recode.js";
import { glMappingOfRow } from "../commands/gl-mappings.js";
import { DEFAULT_GL_GROUP } from "../domain.js";
import { createGlAccountIndex } from "../mapping/catalogs.js";
import { createGlMappingResolver } from "../mapping/resolve.js";
import { subjectOf } from "./approval-states.js";

import type { Executor } from "../../db/client.js";
import type { Dimensions } from "../../db/schema/invoices.js";
import type { RecodeDecision, RecodedLine } from "../approvals/detect-recode.js";
import type { AvidInvoiceLine, Dimension, ReturnedInvoiceLine } from "../domain.js";
import type { SyncException } from "../exceptions.js";
import type { GlAccountIndex } from "../mapping/catalogs.js";
import type { GlMappingResolver } from "../mapping/resolve.js";
import type { Matched } from "./approval-states.js";
import type { PostingRow } from "./posting-ledger.js";
import type { ReclassRequest } from "./recode-journals.js";
import type { FlowContext } from "./run-context.js";

type LineRow = typeof invoiceLines.$inferSelect;

export interface RecodeInputs {
  readonly resolver: GlMappingResolver;
  readonly glAccounts: GlAccountIndex;
}

export async function loadRecodeInputs(ctx: FlowContext): Promise<RecodeInputs> {
  const { mappings, accounts, codes } = await loadMappingInputs(ctx.db, ctx.connection.id);
  return {
    resolver: createGlMappingResolver({
      mappings: mappings.map(glMappingOfRow),
      avidCodes: codes.map((c) => ({ group: c.groupName, value: c.code, active: c.active })),
      glGroup: DEFAULT_GL_GROUP,
    }),
    glAccounts: createGlAccountIndex(accounts.map((a) => ({ code: a.glCode, onHold: !a.active }))),
  };
}

export async function linesOf(ctx: FlowContext, invoiceIds: readonly string[]) {
  const out = new Map<string, LineRow[]>();
  if (invoiceIds.length === 0) {
    return out;
  }
  const rows = await ctx.db
    .select()
    .from(invoiceLines)
    .where(inArray(invoiceLines.invoiceId, [...invoiceIds]))
    .orderBy(asc(invoiceLines.lineNumber));
  for (const row of rows) {
    out.set(row.invoiceId, [...(out.get(row.invoiceId) ?? []), row]);
  }
  return out;
}

export async function reclassPostingsOf(ctx: FlowContext, invoiceIds: readonly string[]) {
  const out = new Map<string, PostingRow[]>();
  if (invoiceIds.length === 0) {
    return out;
  }
  const rows = await ctx.db
    .select()
    .from(postings)
    .where(
      and(
        eq(postings.connectionId, ctx.connection.id),
        eq(postings.kind, "reclass"),
        inArray(postings.invoiceId, [...invoiceIds]),
      ),
    )
    .orderBy(asc(postings.createdAt), asc(postings.id));
  for (const row of rows) {
    out.set(row.invoiceId, [...(out.get(row.invoiceId) ?? []), row]);
  }
  return out;
}

export function decide(
  ctx: FlowContext,
  inputs: RecodeInputs,
  m: Matched,
  lines: readonly LineRow[],
  reclasses: readonly PostingRow[],
): RecodeDecision | undefined {
  const returned: ReturnedInvoiceLine[] = (m.item.Lines ?? []).map((line) => ({
    lineNumber: line.LineNumber,
    amount: line.Amount,
    glCode: line.GLCode.CodeValue,
    dimensions: (line.Dimensions ?? []).map((d) => ({ group: d.GroupName, value: d.CodeValue })),
  }));
  if (returned.length === 0 || lines.length === 0) {
    return undefined;
  }
  // The coding last accounted for: as of the last posted reclassification, else as sent.
  const posted = reclasses.filter((p) => p.state === "posted");
  const last = posted.at(-1)?.request as ReclassRequest | undefined;
  const baseline = last?.newBaseline ?? asSent(inputs.resolver, lines);
  if (!baseline) {
    ctx.logger.warn(
      { invoiceId: m.row.id },
      "the coding this invoice was sent with no longer resolves; re-codes are not checked",
    );
    return undefined;
  }
  return detectRecode({
    connection: ctx.connection.id,
    avidInvoiceId: String(m.item.InvoiceId),
    supplier: m.row.sysproSupplierCode,
    invoiceNumber: m.row.invoiceNumber,
    baseline,
    baselineVersion: posted.length,
    returned,
    policy: ctx.connection.recodePolicy,
    resolver: inputs.resolver,
    glAccounts: inputs.glAccounts,
  });
}

/** The lines as flow 3 sent them: their stored AvidXchange coding, else the mapping resolved now. */
function asSent(
  resolver: GlMappingResolver,
  lines: readonly LineRow[],
): AvidInvoiceLine[] | undefined {
  const out: AvidInvoiceLine[] = [];
  for (const line of lines) {
    let glCode = line.avidGlCode;
    let dimensions: Dimension[] = dimensionList(line.avidDimensions);
    if (glCode === null) {
      const resolved = resolver.resolve(line.sysproGlCode);
      if (!resolved.ok) {
        return undefined;
      }
      glCode = resolved.coding.glCode;
      dimensions = [...resolved.coding.dimensions];
    }
    out.push({
      lineNumber: line.lineNumber,
      amount: line.amount,
      sysproGlCode: line.sysproGlCode,
      glCode,
      dimensions,
    });
  }
  return out;
}

const dimensionList = (dims: Dimensions | null): Dimension[] =>
  Object.entries(dims ?? {}).map(([group, value]) => ({ group, value }));

const dimensionRecord = (dims: readonly Dimension[]): Dimensions =>
  Object.fromEntries(dims.map((d) => [d.group, d.value]));

/** Shows the approver's coding on the invoice's lines. */
export async function showRecode(
  tx: Executor,
  invoiceId: string,
  recoded: readonly RecodedLine[],
): Promise<void> {
  for (const line of recoded) {
    const dims = dimensionRecord(line.to.dimensions);
    await tx
      .update(invoiceLines)
      .set({ recodedGlCode: line.to.glCode, recodedDimensions: dims, recodedAt: sql`now()` })
      .where(
        and(
          eq(invoiceLines.invoiceId, invoiceId),
          eq(invoiceLines.lineNumber, line.lineNumber),
          or(
            sql`${invoiceLines.recodedGlCode} is distinct from ${line.to.glCode}`,
            sql`${invoiceLines.recodedDimensions} is distinct from ${JSON.stringify(dims)}::jsonb`,
          ),
        ),
      );
  }
}

/** Raised once per re-code: a re-read, or a re-code a person already skipped, raises nothing. */
export async function raiseRecodeException(
  tx: Executor,
  ctx: FlowContext,
  m: Matched,
  decision: Extract<RecodeDecision, { action: "exception" }>,
): Promise<void> {
  const [seen] = await tx
    .select({ id: exceptions.id })
    .from(exceptions)
    .where(
      and(
        eq(exceptions.connectionId, ctx.connection.id),
        eq(exceptions.subjectType, "invoice"),
        eq(exceptions.subjectId, m.row.id),
        eq(exceptions.reasonCode, decision.exception.reason),
        sql`${exceptions.rawPayload} -> 'details' ->> 'recodeKey' = ${decision.recodeKey}`,
      ),
    )
    .limit(1);
  if (seen) {
    return;
  }
  const exception: SyncException = {
    ...decision.exception,
    details: { ...decision.exception.details, recodeKey: decision.recodeKey },
  };
  await ctx.raiseException(tx, exception, subjectOf(m.row), m.item);
}
