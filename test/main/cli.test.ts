import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";

import { withDatabaseName } from "../setup/pg-url.js";
import { guardLeaks } from "../setup/leaks.js";
import { runApp } from "./process.js";

guardLeaks();

describe("main.ts as a process", () => {
  const adminUrl = inject("pgAdminUrl");
  const name = `${inject("pgDbPrefix")}cli_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("`migrate` migrates an empty database and exits 0", async () => {
    await admin.unsafe(`create database "${name}"`);
    const result = await runApp(["migrate"], {
      DATABASE_URL: withDatabaseName(adminUrl, name),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "warn",
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("migrations applied");
    expect(result.code).toBe(0);

    const db = postgres(withDatabaseName(adminUrl, name), { max: 1 });
    try {
      const [row] = await db<{ n: number }[]>`
        select count(*)::int as n from information_schema.tables
        where table_schema in ('public', 'graphile_worker')
          and table_name in ('connections', 'postings', 'audit_events', '_private_jobs')`;
      expect(row?.n).toBe(4);
    } finally {
      await db.end();
    }
  });

  it("refuses invalid configuration, listing every problem, with status 78", async () => {
    const result = await runApp(["migrate"], {
      PORT: "eighty",
      LOG_LEVEL: "loud",
      DATABASE_URL: "postgres://nowhere/db",
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain("invalid configuration (3 problems)");
    expect(result.stderr).toMatch(/- PORT: /);
    expect(result.stderr).toMatch(/- LOG_LEVEL: /);
    expect(result.stderr).toMatch(/- ENCRYPTION_KEY: required with DATABASE_URL/);
  });

  it("prints usage for help, and refuses unknown commands and options", async () => {
    const [help, unknown, badRole] = await Promise.all([
      runApp(["help"], {}),
      runApp(["frobnicate"], {}),
      runApp(["serve", "--role", "chef"], { LOG_LEVEL: "silent" }),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve .*\n.*serve \[--role api\|worker\|all\]/);
    expect(help.stdout).toContain("rotate-key");

    expect(unknown.code).toBe(64);
    expect(unknown.stdout).toContain("unknown command: frobnicate");

    expect(badRole.code).toBe(64);
  });
});
