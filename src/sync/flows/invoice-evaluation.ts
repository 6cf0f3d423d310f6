import { createHash } from "node:crypto";

import { and, eq, inArray, isNotNull } from "drizzle-orm";

import { suppliers } from "../../db/schema/index.js";
import { loadMappingInputs } from "../../read-models/gl.js";
import { glMappingOfRow } from "../commands/gl-mappings.js";
import { contentHash } from "../content-hash.js";
import { DEFAULT_GL_GROUP } from "../domain.js";
import { createGlMappingResolver } from "../mapping/resolve.js";

import type { invoices } from "../../db/schema/index.js";
import type { Invoice } from "../domain.js";
import type { GlMappingResolver } from "../mapping/resolve.js";
import type { PageInvoice } from "./invoice-distribution.js";
import type { FlowContext } from "./run-context.js";

/**
 * What an invoice was evaluated against: its content, whether its vendor existed, and the mapping
 * set with the AvidXchange codes. Stored on an invoice held by that evaluation, so an unchanged held
 * invoice inside the lookback window is not evaluated (and held) again on every run; a change to any
 * of these evaluates it again.
 */
export function evaluationHash(
  invoice: Invoice,
  vendorSynced: boolean,
  mappingKey: string,
): string {
  return contentHash({ invoice, vendorSynced, mappingKey });
}

/** A key of the mapping inputs the resolver is built from: any change gives another key. */
export function mappingFingerprint(inputs: unknown): string {
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex");
}

/**
 * The page's invoices held by an evaluation that would come out the same: same content, same mapping
 * inputs, and a vendor that existed then and still does (a held invoice without a vendor is tried
 * again, so its vendor is sent first again).
 */
export async function heldUnchangedOf(
  ctx: FlowContext,
  items: readonly PageInvoice[],
  existing: ReadonlyMap<string, typeof invoices.$inferSelect>,
  key: string | undefined,
): Promise<Set<string>> {
  const held = items.filter((item) => {
    const row = existing.get(item.externalId);
    return row && !row.avidInvoiceId && row.syncState === "exception" && row.contentHash;
  });
  if (key === undefined || held.length === 0) {
    return new Set();
  }
  const codes = [...new Set(held.map((i) => i.invoice.supplier))];
  const withVendor = new Set(
    (
      await ctx.db
        .select({ code: suppliers.sysproCode })
        .from(suppliers)
        .where(
          and(
            eq(suppliers.connectionId, ctx.connection.id),
            inArray(suppliers.sysproCode, codes),
            isNotNull(suppliers.avidVendorId),
          ),
        )
    ).map((r) => r.code),
  );
  return new Set(
    held
      .filter(
        (item) =>
          withVendor.has(item.invoice.supplier) &&
          existing.get(item.externalId)!.contentHash === evaluationHash(item.invoice, true, key),
      )
      .map((item) => item.externalId),
  );
}

/** The resolver, and a key of the inputs it was built from (held invoices record it). */
export interface InvoiceMapping {
  readonly resolver: GlMappingResolver;
  readonly mappingKey: string;
}

export async function loadInvoiceMapping(ctx: FlowContext): Promise<InvoiceMapping> {
  const { mappings, codes } = await loadMappingInputs(ctx.db, ctx.connection.id);
  const inputs = {
    mappings: mappings.map(glMappingOfRow),
    avidCodes: codes.map((c) => ({ group: c.groupName, value: c.code, active: c.active })),
    glGroup: DEFAULT_GL_GROUP,
  };
  return { resolver: createGlMappingResolver(inputs), mappingKey: mappingFingerprint(inputs) };
}
