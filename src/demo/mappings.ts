import { glMappings } from "../db/schema/index.js";

import type { Executor } from "../db/client.js";

/**
 * The demo's GL mappings for the reference customer's chart (`NNNN-CCC`: natural account, cost
 * centre). Mostly segment rules — the account segment is the AvidXchange GL code, the cost-centre
 * segment is the `Department` — plus a few exact mappings that override them. Accounts 7250 and 7350
 * exist only in SYSPRO, so their lines become `UNMAPPED_GL`-style exceptions, as they should: the
 * demo shows what an operator sees when a mapping is missing.
 */
export async function seedDemoMappings(db: Executor, connectionId: string): Promise<number> {
  const rows: (typeof glMappings.$inferInsert)[] = [
    {
      connectionId,
      kind: "segment",
      segmentIndex: 0,
      dimensionGroup: null,
      priority: 0,
      note: "Natural account segment → AvidXchange GL code",
    },
    {
      connectionId,
      kind: "segment",
      segmentIndex: 1,
      dimensionGroup: "Department",
      segmentRequired: false,
      priority: 1,
      note: "Cost-centre segment → Department",
    },
    // Freight and packaging are coded to the warehouse that received the goods.
    ...[
      ["5100-210", "5100", { Department: "210", Location: "N1" }],
      ["5100-220", "5100", { Department: "220", Location: "C1" }],
      ["5100-230", "5100", { Department: "230", Location: "S1" }],
      ["6700-100", "6700", { Department: "100" }],
    ].map(([syspro, avid, dimensions]) => ({
      connectionId,
      kind: "exact" as const,
      sysproGlCode: syspro as string,
      avidGlCode: avid as string,
      dimensions: dimensions as Record<string, string>,
      note: "Exact mapping (wins over the segment rules)",
    })),
  ];
  await db.insert(glMappings).values(rows);
  return rows.length;
}
