import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { withTransaction } from "../../src/db/client.js";
import { apiKeys, connections } from "../../src/db/schema/index.js";
import { guardLeaks } from "../setup/leaks.js";
import { useTestDatabase } from "../setup/db.js";
import { insertConnection } from "./fixtures.js";

guardLeaks();
const statements: string[] = [];
const t = useTestDatabase({ onQuery: (query) => statements.push(query) });

describe("createDb", () => {
  it("maps camelCase keys to snake_case columns and keeps money as decimal strings", async () => {
    const connection = await insertConnection(t.db, { name: "casing" });
    const [row] = await t.sql<{ syspro_company_id: string; avid_company_header: string }[]>`
      select syspro_company_id, avid_company_header from connections where id = ${connection.id}`;
    expect(row).toEqual({ syspro_company_id: "EDU1", avid_company_header: "X-Avid-Company-Id" });

    const [money] = await t.sql<{ v: string }[]>`select 1234567890123456.78::numeric(18,2) as v`;
    expect(money?.v).toBe("1234567890123456.78");
  });

  it("reports every statement, drizzle-built or raw, to onQuery", async () => {
    statements.length = 0;
    await t.db.select().from(apiKeys).where(eq(apiKeys.name, "nobody"));
    await t.sql`select 42`;
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^select .* from "api_keys" where "api_keys"."name" = \$1$/);
    expect(statements[1]).toBe("select 42");
  });

  it("withTransaction commits on success and rolls back on throw", async () => {
    await withTransaction(t.db, async (tx) => {
      await insertConnection(tx, { name: "committed" });
    });
    await expect(
      withTransaction(t.db, async (tx) => {
        await insertConnection(tx, { name: "rolled-back" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const names = (await t.db.select({ name: connections.name }).from(connections)).map(
      (r) => r.name,
    );
    expect(names).toContain("committed");
    expect(names).not.toContain("rolled-back");
  });
});
