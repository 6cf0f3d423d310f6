import { eq, sql } from "drizzle-orm";

import { invoiceLines, invoices } from "../db/schema/index.js";
import { DEFAULT_GL_GROUP } from "../sync/domain.js";
import { createAvidCodeCatalog, createGlAccountIndex } from "../sync/mapping/catalogs.js";
import { checkMappingReadiness, glCodesInUse } from "../sync/mapping/readiness.js";
import { createGlMappingResolver } from "../sync/mapping/resolve.js";
import { glMappingOfRow } from "../sync/commands/gl-mappings.js";
import { loadMappingInputs } from "./gl.js";

import type { Executor } from "../db/client.js";
import type { ReadinessReport } from "../sync/mapping/readiness.js";

export interface MappingReadinessOptions {
  /** GenMaster account types whose accounts count as in use even before any invoice uses them. */
  readonly accountTypes?: readonly string[] | undefined;
  /** The AvidXchange enterprise-code group holding GL accounts. */
  readonly glGroup?: string | undefined;
}

/**
 * The mapping readiness of one connection, computed now from the mirrored GenMaster accounts,
 * AvidXchange enterprise codes, the connection's mappings and the GL codes its invoices use
 * (four statements). Read-only: the stored verdict on the connection is the sync engine's.
 */
export async function mappingReadiness(
  db: Executor,
  connectionId: string,
  options: MappingReadinessOptions = {},
): Promise<ReadinessReport & { readonly checkedAt: Date }> {
  const [{ mappings, accounts, codes }, used] = await Promise.all([
    loadMappingInputs(db, connectionId),
    db
      .selectDistinct({ glCode: sql<string>`trim(${invoiceLines.sysproGlCode})` })
      .from(invoiceLines)
      .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
      .where(eq(invoices.connectionId, connectionId)),
  ]);
  const glAccounts = accounts.map((a) => ({
    code: a.glCode,
    onHold: !a.active,
    ...(a.description !== null ? { description: a.description } : {}),
    ...(a.accountType !== null ? { accountType: a.accountType } : {}),
  }));
  const catalog = createAvidCodeCatalog(
    codes.map((c) => ({
      group: c.groupName,
      value: c.code,
      active: c.active,
      ...(c.name !== null ? { description: c.name } : {}),
    })),
    options.glGroup ?? DEFAULT_GL_GROUP,
  );
  const resolver = createGlMappingResolver({
    mappings: mappings.map(glMappingOfRow),
    avidCodes: catalog,
  });
  const report = checkMappingReadiness({
    resolver,
    glAccounts: createGlAccountIndex(glAccounts),
    glCodesInUse: glCodesInUse({
      invoiceGlCodes: used.map((row) => row.glCode),
      genMaster: glAccounts,
      ...(options.accountTypes ? { accountTypes: options.accountTypes } : {}),
    }),
  });
  return { ...report, checkedAt: new Date() };
}
