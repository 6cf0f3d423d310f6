import { readFile } from "node:fs/promises";
import path from "node:path";

import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { describe, expect, it } from "vitest";

import { MIGRATIONS_FOLDER } from "../../src/db/migrate.js";
import * as schema from "../../src/db/schema/index.js";

describe("migrations", () => {
  it("match src/db/schema (run `npm run db:generate` after changing a table)", async () => {
    const journal = JSON.parse(
      await readFile(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
    ) as { entries: { idx: number }[] };
    const last = journal.entries.at(-1)?.idx ?? 0;
    const snapshot = JSON.parse(
      await readFile(
        path.join(MIGRATIONS_FOLDER, "meta", `${String(last).padStart(4, "0")}_snapshot.json`),
        "utf8",
      ),
    ) as { id: string };
    // drizzle-kit's declaration files do not fully resolve for the linter; the shapes are its own.
    const current: unknown = generateDrizzleJson(schema, snapshot.id, undefined, "snake_case");
    expect(await generateMigration(snapshot as never, current as never)).toEqual([]);
  });
});
