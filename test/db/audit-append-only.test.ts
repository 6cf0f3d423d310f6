import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { auditEvents } from "../../src/db/schema/index.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";

guardLeaks();
const t = useTestDatabase();

describe("audit_events", () => {
  it("accepts inserts and refuses UPDATE, DELETE and TRUNCATE", async () => {
    const [event] = await t.db
      .insert(auditEvents)
      .values({ type: "invoice.sent", actor: "worker", data: { amount: "10.00" } })
      .returning();
    expect(event?.id).toBeGreaterThan(0);
    const id = event?.id ?? 0;

    expect(
      await failure(
        t.db.update(auditEvents).set({ type: "invoice.forged" }).where(eq(auditEvents.id, id)),
      ),
    ).toMatch(/append-only: UPDATE refused/);
    expect(await failure(t.db.delete(auditEvents).where(eq(auditEvents.id, id)))).toMatch(
      /append-only: DELETE refused/,
    );
    expect(await failure(t.sql`truncate audit_events`)).toMatch(/append-only: TRUNCATE refused/);

    const rows = await t.db.select().from(auditEvents).where(eq(auditEvents.id, id));
    expect(rows.map((r) => r.type)).toEqual(["invoice.sent"]);
  });
});

/** PostgreSQL's message for a statement that must fail (drizzle wraps it as the `cause`). */
async function failure(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    return String((cause instanceof Error ? cause : (e as Error)).message);
  }
  throw new Error("expected the statement to fail");
}
