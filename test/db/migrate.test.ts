import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { migrate } from "../../src/db/migrate.js";
import { withDatabaseName } from "../setup/pg-url.js";

// These tests need an EMPTY database, not a clone of the migrated template.
describe("migrate", () => {
  const adminUrl = inject("pgAdminUrl");
  const name = `${inject("pgDbPrefix")}empty_${randomBytes(4).toString("hex")}`;
  const url = withDatabaseName(adminUrl, name);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const sql = postgres(url, { max: 2, onnotice: () => {} });

  beforeAll(async () => {
    await admin.unsafe(`create database "${name}"`);
  });
  afterAll(async () => {
    await sql.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("applies every migration to an empty database, and graphile-worker's schema", async () => {
    await migrate({ url });

    const tables = await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables
      where table_schema = 'public' order by table_name`;
    expect(tables.map((t) => t.table_name)).toEqual([
      "api_keys",
      "audit_events",
      "avid_dimensions",
      "connections",
      "credentials",
      "exceptions",
      "gl_accounts",
      "gl_mappings",
      "invoice_lines",
      "invoices",
      "payment_applications",
      "payments",
      "postings",
      "purchase_order_lines",
      "purchase_orders",
      "rate_limit_buckets",
      "remote_sessions",
      "schedules",
      "suppliers",
      "sync_runs",
      "transactions",
      "watermarks",
      "worker_heartbeats",
    ]);
    const [applied] = await sql<{ n: number }[]>`
      select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(applied?.n).toBeGreaterThanOrEqual(2);
    const [worker] = await sql<{ n: number }[]>`
      select count(*)::int as n from information_schema.tables
      where table_schema = 'graphile_worker' and table_name = '_private_jobs'`;
    expect(worker?.n).toBe(1);
  });

  it("is idempotent and safe when several processes migrate at once", async () => {
    const [before] = await sql<{ n: number }[]>`
      select count(*)::int as n from drizzle.__drizzle_migrations`;
    await Promise.all([migrate({ url }), migrate({ url }), migrate({ url })]);
    const [after] = await sql<{ n: number }[]>`
      select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(after?.n).toBe(before?.n);
  });

  it("stores money as numeric and times with time zone, never floats", async () => {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }[]>`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public'
        and (column_name ~ '(amount|balance)$' or data_type in ('real', 'double precision')
          or data_type like 'timestamp%')`;
    const money = columns.filter((c) => /(amount|balance)$/.test(c.column_name));
    expect(money.length).toBeGreaterThan(5);
    expect(money.filter((c) => c.data_type !== "numeric")).toEqual([]);
    // The only floats: token-bucket state, which is not money.
    expect(
      columns
        .filter((c) => c.data_type === "double precision" || c.data_type === "real")
        .map((c) => c.table_name),
    ).toEqual(["rate_limit_buckets", "rate_limit_buckets", "rate_limit_buckets"]);
    expect(columns.filter((c) => c.data_type === "timestamp without time zone")).toEqual([]);
  });
});
