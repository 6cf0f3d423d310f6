import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";

import { id, json, money, timestamps, timestamptz } from "./columns.js";
import { connections } from "./connections.js";
import { postingKindEnum, postingMethodEnum, postingStateEnum } from "./enums.js";
import { invoices } from "./invoices.js";
import { payments } from "./payments.js";

import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * The posting ledger: every write into the SYSPRO ledger, claimed (state `claimed`) in the same
 * transaction that records the intent, before the request is sent. The unique indexes make each
 * posting happen at most once, ever:
 * - a payment, and its reversal, once per (connection, AvidXchange payment, invoice, kind);
 * - a reclassification journal once per (connection, invoice, re-code reference).
 * Invoice and payment references use NO ACTION (not SET NULL): a ledger row never loses what it
 * posted; deleting the whole connection still cascades through both in one statement.
 */
export const postings = pgTable(
  "postings",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    kind: postingKindEnum().notNull(),
    avidPaymentId: text(),
    paymentId: uuid().references(() => payments.id),
    invoiceId: uuid()
      .notNull()
      .references(() => invoices.id),
    /** Identifies one approver re-code (reclass postings only). */
    recodeRef: text(),
    /** The posting this one reverses (reversals only). */
    reversesPostingId: uuid().references((): AnyPgColumn => postings.id),
    transactionId: text().notNull(),
    method: postingMethodEnum().notNull(),
    amount: money().notNull(),
    currency: text(),
    state: postingStateEnum().notNull().default("claimed"),
    /** SYSPRO's reference for the posted document (payment/journal number). */
    sysproReference: text(),
    request: json(),
    response: json(),
    error: text(),
    attempts: integer().notNull().default(0),
    postedAt: timestamptz(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("postings_payment_once")
      .on(t.connectionId, t.avidPaymentId, t.invoiceId, t.kind)
      .where(sql`${t.kind} in ('payment', 'reversal')`),
    uniqueIndex("postings_reclass_once")
      .on(t.connectionId, t.invoiceId, t.recodeRef)
      .where(sql`${t.kind} = 'reclass'`),
    check(
      "postings_kind_keys",
      sql`(${t.kind} in ('payment', 'reversal') and ${t.avidPaymentId} is not null)
        or (${t.kind} = 'reclass' and ${t.recodeRef} is not null)`,
    ),
    index().on(t.connectionId, t.state),
    index().on(t.invoiceId),
    index().on(t.paymentId),
    index().on(t.transactionId),
  ],
);
