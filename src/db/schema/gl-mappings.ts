import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { id, json, timestamps } from "./columns.js";
import { connections } from "./connections.js";
import { glMappingKindEnum } from "./enums.js";

import type { Dimensions } from "./invoices.js";

/** Mirror of SYSPRO `GenMaster`: the GL accounts a mapping may start from. */
export const glAccounts = pgTable(
  "gl_accounts",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    glCode: text().notNull(),
    description: text(),
    accountType: text(),
    active: boolean().notNull().default(true),
    raw: json<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [unique("gl_accounts_connection_id_gl_code_unique").on(t.connectionId, t.glCode)],
);

/**
 * AvidXchange enterprise codes: GL accounts and dimension values a mapping may point at,
 * grouped by the enterprise code group's name.
 */
export const avidDimensions = pgTable(
  "avid_dimensions",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    groupName: text().notNull(),
    code: text().notNull(),
    name: text(),
    avidId: text(),
    active: boolean().notNull().default(true),
    raw: json<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [
    unique("avid_dimensions_connection_id_group_name_code_unique").on(
      t.connectionId,
      t.groupName,
      t.code,
    ),
  ],
);

/**
 * How a SYSPRO GL code becomes an AvidXchange GL code and dimensions (flow 6; the resolver in
 * src/sync/mapping/resolve.ts defines the meaning). Exact mappings win over segment rules.
 * - exact: `syspro_gl_code` → `avid_gl_code` + `dimensions`;
 * - segment: segment `segment_index` (0-based, split on `segment_separator`) of a GL code gives the
 *   AvidXchange GL account (`dimension_group` null) or the value of dimension `dimension_group`:
 *   the segment's own value, or its entry in `segment_values` when that table is set (a value
 *   missing from the table is unmapped). With `segment_required` false a code without the segment
 *   is not mapped by the rule instead of being unmapped.
 */
export const glMappings = pgTable(
  "gl_mappings",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    kind: glMappingKindEnum().notNull(),
    sysproGlCode: text(),
    avidGlCode: text(),
    dimensions: json<Dimensions>().notNull().default({}),
    segmentIndex: integer(),
    segmentSeparator: text().notNull().default("-"),
    dimensionGroup: text(),
    /** SYSPRO segment value → AvidXchange code; null: the segment value is used as it is. */
    segmentValues: json<Record<string, string>>(),
    segmentRequired: boolean().notNull().default(true),
    /** Order among segment rules (lower first). */
    priority: integer().notNull().default(0),
    note: text(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("gl_mappings_exact_once")
      .on(t.connectionId, t.sysproGlCode)
      .where(sql`${t.kind} = 'exact'`),
    check(
      "gl_mappings_kind_fields",
      sql`(${t.kind} = 'exact' and ${t.sysproGlCode} is not null and ${t.avidGlCode} is not null)
        or (${t.kind} = 'segment' and ${t.segmentIndex} is not null)`,
    ),
    index().on(t.connectionId, t.kind, t.priority),
  ],
);
