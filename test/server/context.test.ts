import { contextCacheSymbol } from "@pothos/core";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { issueApiKey } from "../../src/auth/api-keys.js";
import { apiKeys } from "../../src/db/schema/api-keys.js";
import { auditEvents } from "../../src/db/schema/audit.js";
import { createPgPubSub } from "../../src/events/pubsub.js";
import { createContext } from "../../src/server/context.js";
import { defineLoader, groupByKeys, sortByKeys } from "../../src/server/loaders.js";
import { createTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { captureLogs } from "./harness.js";

import type { PgPubSub } from "../../src/events/pubsub.js";
import type { Context, ContextDeps } from "../../src/server/context.js";
import type { TestDatabase } from "../setup/db.js";

guardLeaks();

const statements: string[] = [];
let database: TestDatabase;
let events: PgPubSub;
let deps: ContextDeps;
const principal = {
  keyId: "k",
  name: "ops-team",
  role: "operator",
  prefix: "mlc_abcdefgh",
} as const;

beforeAll(async () => {
  database = await createTestDatabase({ onQuery: (query) => statements.push(query) });
  const logs = captureLogs();
  events = createPgPubSub({ sql: database.sql, logger: logs.logger });
  deps = { db: database.db, sql: database.sql, pubsub: events.pubsub, logger: logs.logger };
});
afterAll(async () => {
  await events.close();
  await database.close();
});

const keyNameById = defineLoader<string, string | null, string, Context>({
  name: "keyNameById",
  batch: async (ids, ctx) => {
    const rows = await ctx.db
      .select({ id: apiKeys.id, name: apiKeys.name })
      .from(apiKeys)
      .where(inArray(apiKeys.id, [...ids]));
    return sortByKeys(ids, rows, (row) => row.id).map((row) =>
      row instanceof Error || row === null ? row : row.name,
    );
  },
});

describe("request context", () => {
  it("batches a request's loads into one statement, in key order, and caches per request", async () => {
    const ids = [];
    for (const name of ["a", "b", "c"]) {
      ids.push((await issueApiKey(database.db, { name, role: "viewer" })).apiKey.id);
    }
    const ctx = createContext(deps, { principal });
    statements.length = 0;
    const names = await Promise.all([
      ctx.loaders.get(keyNameById).load(ids[2]!),
      ctx.loaders.get(keyNameById).load(ids[0]!),
      ctx.loaders.get(keyNameById).load("00000000-0000-4000-8000-000000000000"),
      ctx.loaders.get(keyNameById).load(ids[1]!),
    ]);
    expect(names).toEqual(["c", "a", null, "b"]);
    expect(statements).toHaveLength(1);

    expect(ctx.loaders.get(keyNameById)).toBe(ctx.loaders.get(keyNameById));
    const other = createContext(deps, { principal });
    expect(other.loaders.get(keyNameById)).not.toBe(ctx.loaders.get(keyNameById));
  });

  it("forgets what it loaded on renewCaches, also in a copy Yoga executes with", async () => {
    const { apiKey } = await issueApiKey(database.db, { name: "before", role: "viewer" });
    const ctx = createContext(deps, { principal });
    // Yoga copies the context's fields into the object resolvers receive.
    const executing: Context = { ...ctx };
    expect(await executing.loaders.get(keyNameById).load(apiKey.id)).toBe("before");
    await database.db
      .update(apiKeys)
      .set({ name: "after" })
      .where(inArray(apiKeys.id, [apiKey.id]));
    expect(await executing.loaders.get(keyNameById).load(apiKey.id)).toBe("before");

    executing.renewCaches();
    expect(await executing.loaders.get(keyNameById).load(apiKey.id)).toBe("after");
    // Pothos's per-context caches are keyed on this field, so they start afresh too.
    const first = (executing as unknown as Record<symbol, unknown>)[contextCacheSymbol];
    executing.renewCaches();
    expect((executing as unknown as Record<symbol, unknown>)[contextCacheSymbol]).not.toBe(first);
  });

  it("audits with the key's name as actor", async () => {
    const ctx = createContext(deps, { principal });
    const notice = await ctx.audit({ type: "test.event", subjectType: "thing", subjectId: "1" });
    expect(notice).toMatchObject({ type: "test.event", actor: "ops-team", subjectId: "1" });
    const rows = await database.db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.type, ["test.event"]));
    expect(rows).toEqual([expect.objectContaining({ actor: "ops-team", subjectType: "thing" })]);
  });

  it("groups one-to-many rows by key", () => {
    expect(
      groupByKeys(
        ["x", "y", "z"],
        [
          { k: "y", v: 1 },
          { k: "x", v: 2 },
          { k: "y", v: 3 },
        ],
        (r) => r.k,
      ),
    ).toEqual([
      [{ k: "x", v: 2 }],
      [
        { k: "y", v: 1 },
        { k: "y", v: 3 },
      ],
      [],
    ]);
  });
});
