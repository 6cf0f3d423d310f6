import { connections } from "../../src/db/schema/index.js";

import type { Executor } from "../../src/db/client.js";

/** A connection row with plausible endpoints; override what a test cares about. */
export async function insertConnection(
  db: Executor,
  overrides: Partial<typeof connections.$inferInsert> = {},
): Promise<typeof connections.$inferSelect> {
  const [row] = await db
    .insert(connections)
    .values({
      name: `connection-${Math.random().toString(36).slice(2, 10)}`,
      sysproEnetBaseUrl: "http://syspro.test/SYSPROWCFService/Rest",
      sysproOdataBaseUrl: "http://syspro.test/odata",
      sysproCompanyId: "EDU1",
      sysproOperator: "ADMIN",
      sysproOdataUser: "odata",
      avidBaseUrl: "http://avid.test/api",
      avidTokenUrl: "http://avid.test/token",
      avidClientId: "client-1",
      avidCompanyId: "company-1",
      ...overrides,
    })
    .returning();
  if (!row) {
    throw new Error("insert returned no row");
  }
  return row;
}
