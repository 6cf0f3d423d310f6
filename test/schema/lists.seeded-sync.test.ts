import { and, eq } from "drizzle-orm";
import { createPubSub } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { issueApiKey } from "../../src/auth/api-keys.js";
import { avidDimensions, glAccounts, glMappings } from "../../src/db/schema/index.js";
import { schema } from "../../src/schema/index.js";
import { createYoga } from "../../src/server/yoga.js";
import { DEFAULT_GL_GROUP } from "../../src/sync/domain.js";
import { startSyncHarness } from "../jobs/harness.js";
import { captureLogs, postGraphQL } from "../server/harness.js";
import { guardLeaks } from "../setup/leaks.js";
import { globalId, rawId } from "./jobs.js";

import type { AppYoga } from "../../src/server/yoga.js";
import type { SyncHarness } from "../jobs/harness.js";

guardLeaks();

/**
 * The lists over what real syncs wrote: suppliers, reference data, purchase orders and invoices
 * synced from the SYSPRO sandbox to the AvidXchange sandbox through graphile-worker. Each
 * expectation is computed with plain SQL over the same database, independently of the read models.
 */
let h: SyncHarness;
let yoga: AppYoga;
let viewerKey: string;
let unmappedCode: string;

beforeAll(async () => {
  h = await startSyncHarness();
  await h.sync("suppliers");
  await h.sync("reference_data");
  await h.sync("purchase_orders");
  // Map every SYSPRO GL code but the least used one, so some invoices go and some are exceptions.
  const accounts = await h.t.db.select().from(glAccounts);
  const avidGl = (
    await h.t.db
      .select()
      .from(avidDimensions)
      .where(and(eq(avidDimensions.groupName, DEFAULT_GL_GROUP), eq(avidDimensions.active, true)))
  )
    .map((c) => c.code)
    .sort();
  const used = new Map<string, number>();
  for (const d of h.syspro.control.rows("ApJnlDistrib", {}, 100_000)) {
    const code = String(d["ExpenseGlCode"]).trim();
    used.set(code, (used.get(code) ?? 0) + 1);
  }
  unmappedCode = [...used].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]![0];
  await h.t.db.insert(glMappings).values(
    accounts
      .map((a) => a.glCode)
      .filter((code) => code !== unmappedCode)
      .map((code, i) => ({
        connectionId: h.connectionId,
        kind: "exact" as const,
        sysproGlCode: code,
        avidGlCode: avidGl.includes(code) ? code : avidGl[i % avidGl.length]!,
      })),
  );
  await h.sync("invoices");

  const logs = captureLogs();
  yoga = createYoga({
    schema,
    deps: {
      db: h.t.db,
      sql: h.t.sql,
      pubsub: createPubSub(),
      logger: logs.logger,
    },
  });
  viewerKey = (await issueApiKey(h.t.db, { name: "lists-viewer", role: "viewer" })).key;
});
afterAll(async () => {
  await yoga?.dispose();
  await h?.close();
});

interface Page<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: N }[];
}

/**
 * Follows `endCursor` from the first page to the last, checking on the way that every page
 * agrees on the total, holds at most `first` records, and ends where its cursor says.
 */
async function pageThrough<N extends { id: string }>(
  field: string,
  query: string,
  variables: Record<string, unknown>,
  first: number,
): Promise<{ totalCount: number; nodes: N[]; pages: number }> {
  const nodes: N[] = [];
  let after: string | null = null;
  let totalCount: number | undefined;
  for (let pages = 1; ; pages++) {
    const response = await postGraphQL(yoga, query, {
      key: viewerKey,
      variables: { ...variables, first, after },
    });
    expect(response.body.errors).toBeUndefined();
    const page = response.body.data?.[field] as Page<N>;
    totalCount ??= page.totalCount;
    expect(page.totalCount).toBe(totalCount);
    expect(page.edges.length).toBeLessThanOrEqual(first);
    nodes.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) {
      expect(nodes).toHaveLength(totalCount);
      return { totalCount, nodes, pages };
    }
    expect(page.edges).toHaveLength(first);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
    after = page.pageInfo.endCursor;
    if (pages > totalCount) {
      throw new Error(`${field}: more pages than records; the cursor does not advance`);
    }
  }
}

const idsOf = (nodes: { id: string }[]) => nodes.map((node) => rawId(node.id));
const connectionIds = () => [globalId("Connection", h.connectionId)];

/**
 * Paged twice with different page sizes (about eight pages, then fewer larger ones): the same
 * records in the same order both times, each once.
 */
async function pagedStably<N extends { id: string }>(
  field: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ totalCount: number; nodes: N[] }> {
  const probe = await pageThrough<N>(field, query, variables, 100);
  const size = Math.max(2, Math.ceil(probe.totalCount / 8));
  const small = await pageThrough<N>(field, query, variables, size);
  const large = await pageThrough<N>(field, query, variables, size + 3);
  expect(idsOf(small.nodes)).toEqual(idsOf(probe.nodes));
  expect(idsOf(large.nodes)).toEqual(idsOf(probe.nodes));
  expect(new Set(idsOf(small.nodes)).size).toBe(small.nodes.length);
  if (small.totalCount > size) {
    expect(small.pages).toBeGreaterThan(1);
  }
  return small;
}

describe("lists over a seeded sync", () => {
  it("pages suppliers by code to the end, filtered by connection, state and search", async () => {
    const query = /* GraphQL */ `
      query ($first: Int, $after: String, $filter: SupplierFilter) {
        suppliers(first: $first, after: $after, filter: $filter, orderBy: CODE_ASC) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            cursor
            node {
              id
              sysproCode
              name
              syncState
              avidVendorId
            }
          }
        }
      }
    `;
    const all = await pagedStably<{ id: string; sysproCode: string }>("suppliers", query, {
      filter: { connectionIds: connectionIds() },
    });
    const expected = await h.t.sql<{ id: string }[]>`
      select id from suppliers where connection_id = ${h.connectionId} order by syspro_code, id`;
    expect(all.totalCount).toBeGreaterThan(3);
    expect(idsOf(all.nodes)).toEqual(expected.map((r) => r.id));

    const synced = await pagedStably("suppliers", query, {
      filter: { connectionIds: connectionIds(), syncStates: ["SYNCED"], hasAvidVendor: true },
    });
    const [syncedCount] = await h.t.sql<{ n: number }[]>`
      select count(*)::int as n from suppliers
      where connection_id = ${h.connectionId} and sync_state = 'synced' and avid_vendor_id is not null`;
    expect(syncedCount!.n).toBeGreaterThan(0);
    expect(synced.totalCount).toBe(syncedCount!.n);

    // A word from one supplier's name, in another case: matches names and codes alike.
    const [sample] = await h.t.sql<{ name: string }[]>`
      select name from suppliers where connection_id = ${h.connectionId} order by syspro_code limit 1`;
    const term = sample!.name.split(/\s+/)[0]!.toUpperCase();
    const found = await pagedStably<{ id: string }>("suppliers", query, {
      filter: { connectionIds: connectionIds(), search: term },
    });
    const matching = await h.t.sql<{ id: string }[]>`
      select id from suppliers
      where connection_id = ${h.connectionId}
        and (syspro_code ilike ${`%${term}%`} or name ilike ${`%${term}%`}
             or coalesce(avid_vendor_id, '') ilike ${`%${term}%`})
      order by syspro_code, id`;
    expect(matching.length).toBeGreaterThan(0);
    expect(idsOf(found.nodes)).toEqual(matching.map((r) => r.id));
  });

  it("pages invoices newest first, filtered by supplier, state, date range and search", async () => {
    const query = /* GraphQL */ `
      query ($first: Int, $after: String, $filter: InvoiceFilter) {
        invoices(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            cursor
            node {
              id
              invoiceNumber
              invoiceDate
              syncState
              supplier {
                id
              }
            }
          }
        }
      }
    `;
    const all = await pagedStably<{ id: string }>("invoices", query, {
      filter: { connectionIds: connectionIds() },
    });
    const expected = await h.t.sql<{ id: string }[]>`
      select id from invoices where connection_id = ${h.connectionId}
      order by coalesce(invoice_date, date '-infinity') desc, id desc`;
    expect(all.totalCount).toBeGreaterThan(3);
    expect(idsOf(all.nodes)).toEqual(expected.map((r) => r.id));

    // The supplier with the most invoices, over a date range inside the synced month.
    const [busiest] = await h.t.sql<{ supplierId: string; from: string; to: string }[]>`
      select s.id as "supplierId",
             (percentile_disc(0.25) within group (order by invoice_date))::text as "from",
             (percentile_disc(0.75) within group (order by invoice_date))::text as "to"
      from invoices join suppliers s using (connection_id)
      where connection_id = ${h.connectionId} and s.syspro_code = invoices.syspro_supplier_code
      group by s.id order by count(*) desc, s.id limit 1`;
    const { supplierId, from, to } = busiest!;
    const ranged = await pagedStably<{ id: string; invoiceDate: string; supplier: { id: string } }>(
      "invoices",
      query,
      {
        filter: {
          connectionIds: connectionIds(),
          supplierIds: [globalId("Supplier", supplierId)],
          invoiceDate: { from, to },
        },
      },
    );
    const inRange = await h.t.sql<{ id: string }[]>`
      select id from invoices
      where connection_id = ${h.connectionId}
        and syspro_supplier_code = (select syspro_code from suppliers where id = ${supplierId})
        and invoice_date between ${from}::date and ${to}::date
      order by invoice_date desc, id desc`;
    expect(inRange.length).toBeGreaterThan(0);
    expect(idsOf(ranged.nodes)).toEqual(inRange.map((r) => r.id));
    for (const invoice of ranged.nodes) {
      expect(invoice.supplier.id).toBe(globalId("Supplier", supplierId));
      expect(invoice.invoiceDate >= from && invoice.invoiceDate <= to).toBe(true);
    }

    // Invoices held back by the unmapped GL code are in the EXCEPTION state; the rest went.
    for (const state of ["EXCEPTION", "SYNCED"] as const) {
      const listed = await pagedStably("invoices", query, {
        filter: { connectionIds: connectionIds(), syncStates: [state] },
      });
      const [row] = await h.t.sql<{ n: number }[]>`
        select count(*)::int as n from invoices
        where connection_id = ${h.connectionId} and sync_state = ${state.toLowerCase()}`;
      expect(row!.n).toBeGreaterThan(0);
      expect(listed.totalCount).toBe(row!.n);
    }

    const [one] = await h.t.sql<{ id: string; invoiceNumber: string }[]>`
      select id, invoice_number as "invoiceNumber" from invoices
      where connection_id = ${h.connectionId} order by id limit 1`;
    const byNumber = await pagedStably<{ id: string; invoiceNumber: string }>("invoices", query, {
      filter: { connectionIds: connectionIds(), search: one!.invoiceNumber.toLowerCase() },
    });
    expect(idsOf(byNumber.nodes)).toContain(one!.id);
    for (const invoice of byNumber.nodes) {
      expect(invoice.invoiceNumber.toLowerCase()).toContain(one!.invoiceNumber.toLowerCase());
    }
  });

  it("pages purchase orders newest first, filtered by supplier and entry date", async () => {
    const query = /* GraphQL */ `
      query ($first: Int, $after: String, $filter: PurchaseOrderFilter) {
        purchaseOrders(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            cursor
            node {
              id
              poNumber
              orderEntryDate
              syncState
            }
          }
        }
      }
    `;
    const all = await pagedStably<{ id: string }>("purchaseOrders", query, {
      filter: { connectionIds: connectionIds() },
    });
    const expected = await h.t.sql<{ id: string }[]>`
      select id from purchase_orders where connection_id = ${h.connectionId}
      order by coalesce(order_entry_date, date '-infinity') desc, id desc`;
    expect(all.totalCount).toBeGreaterThan(3);
    expect(idsOf(all.nodes)).toEqual(expected.map((r) => r.id));

    const [busiest] = await h.t.sql<{ supplierId: string; from: string }[]>`
      select supplier_id as "supplierId", min(order_entry_date)::text as "from"
      from purchase_orders where connection_id = ${h.connectionId} and supplier_id is not null
      group by supplier_id order by count(*) desc, supplier_id limit 1`;
    const filtered = await pagedStably<{ id: string }>("purchaseOrders", query, {
      filter: {
        connectionIds: connectionIds(),
        supplierIds: [globalId("Supplier", busiest!.supplierId)],
        orderEntryDate: { from: busiest!.from },
      },
    });
    const matching = await h.t.sql<{ id: string }[]>`
      select id from purchase_orders
      where connection_id = ${h.connectionId} and supplier_id = ${busiest!.supplierId}
        and order_entry_date >= ${busiest!.from}::date
      order by order_entry_date desc, id desc`;
    expect(matching.length).toBeGreaterThan(0);
    expect(idsOf(filtered.nodes)).toEqual(matching.map((r) => r.id));
  });

  it("pages the audit trail newest first, by type prefix, actor and time", async () => {
    const query = /* GraphQL */ `
      query ($first: Int, $after: String, $filter: AuditEventFilter) {
        auditEvents(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            cursor
            node {
              id
              type
              actor
              occurredAt
            }
          }
        }
      }
    `;
    const all = await pagedStably<{ id: string }>("auditEvents", query, {
      filter: { connectionIds: connectionIds() },
    });
    const expected = await h.t.sql<{ id: string }[]>`
      select id::text from audit_events where connection_id = ${h.connectionId}
      order by audit_events.id desc`;
    expect(idsOf(all.nodes)).toEqual(expected.map((r) => r.id));

    const invoices = await pagedStably<{ id: string; type: string; actor: string }>(
      "auditEvents",
      query,
      { filter: { connectionIds: connectionIds(), typePrefix: "invoice.", actor: "worker" } },
    );
    const invoiceEvents = await h.t.sql<{ id: string }[]>`
      select id::text from audit_events
      where connection_id = ${h.connectionId} and type like 'invoice.%' and actor = 'worker'
      order by audit_events.id desc`;
    expect(invoiceEvents.length).toBeGreaterThan(3);
    expect(idsOf(invoices.nodes)).toEqual(invoiceEvents.map((r) => r.id));
    expect(new Set(invoices.nodes.map((e) => e.type))).toEqual(new Set(["invoice.sent"]));

    // The purchase-order sync's period: from its first event up to the first invoice sent
    // (excluded), both to the millisecond as a client would write them.
    const instant = (type: string) => h.t.sql<{ at: string }[]>`
      select to_char(date_trunc('milliseconds', min(created_at)) at time zone 'UTC',
                     'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
      from audit_events where connection_id = ${h.connectionId} and type = ${type}`;
    const [[from], [to]] = await Promise.all([
      instant("purchase_order.sent"),
      instant("invoice.sent"),
    ]);
    const period = await pagedStably<{ id: string; occurredAt: string }>("auditEvents", query, {
      filter: {
        connectionIds: connectionIds(),
        actor: "worker",
        occurredAt: { from: from!.at, to: to!.at },
      },
    });
    const inPeriod = await h.t.sql<{ id: string }[]>`
      select id::text from audit_events
      where connection_id = ${h.connectionId} and actor = 'worker'
        and created_at >= ${from!.at}::timestamptz and created_at < ${to!.at}::timestamptz
      order by audit_events.id desc`;
    expect(inPeriod.length).toBeGreaterThan(3);
    expect(idsOf(period.nodes)).toEqual(inPeriod.map((r) => r.id));
    expect(period.totalCount).toBeLessThan(all.totalCount);
  });

  it("pages open exceptions for the unmapped GL code, found by searching for it", async () => {
    const query = /* GraphQL */ `
      query ($first: Int, $after: String, $filter: ExceptionFilter) {
        exceptions(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            cursor
            node {
              id
              reasonCode
              state
              message
              subjectType
            }
          }
        }
      }
    `;
    const listed = await pagedStably<{ id: string; reasonCode: string; message: string }>(
      "exceptions",
      query,
      {
        filter: {
          connectionIds: connectionIds(),
          states: ["OPEN"],
          reasonCodes: ["UNMAPPED_GL"],
          search: unmappedCode,
        },
      },
    );
    const expected = await h.t.sql<{ id: string }[]>`
      select id from exceptions
      where connection_id = ${h.connectionId} and state = 'open' and reason_code = 'UNMAPPED_GL'
        and message like ${`%${unmappedCode}%`}
      order by created_at desc, id desc`;
    expect(expected.length).toBeGreaterThan(0);
    expect(idsOf(listed.nodes)).toEqual(expected.map((r) => r.id));
    for (const exception of listed.nodes) {
      expect(exception.message).toContain(unmappedCode);
    }
  });
});
