import { NotFoundError, ConflictError, ValidationError } from "../errors.js";
import { auditEventsByTransactionIds } from "../read-models/audit-events.js";
import { exceptionsByTransactionIds } from "../read-models/exceptions.js";
import { invoicesByTransactionIds } from "../read-models/invoices.js";
import { paymentsByTransactionIds, postingsByTransactionIds } from "../read-models/payments.js";
import { transactionsByIds, transactionsByReplayOf } from "../read-models/transactions.js";
import { replayTransaction } from "../sync/commands/sync-runs.js";
import { isTransactionId, transactionTime } from "../sync/transaction-id.js";
import { AuditEventRef } from "./audit-event.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { TransactionStateEnum } from "./enums.js";
import { SyncExceptionRef } from "./exception.js";
import { rawIdOf, shown } from "./global-id.js";
import { InvoiceRef } from "./invoice.js";
import { PaymentRef, PostingRef } from "./payment.js";
import { outcome } from "./results.js";
import { SyncRunRef } from "./sync-run.js";

import type { AuditEventRow } from "../read-models/audit-events.js";
import type { ExceptionRow } from "../read-models/exceptions.js";
import type { InvoiceRow } from "../read-models/invoices.js";
import type { PaymentRow, PostingRow } from "../read-models/payments.js";
import type { TransactionRow } from "../read-models/transactions.js";

/** A transaction ID argument: a ULID or the Transaction's global id; anything else is refused. */
function transactionIdOf(value: string): string {
  const raw = rawIdOf(value, "Transaction");
  if (!isTransactionId(raw)) {
    throw new ValidationError([
      {
        path: [],
        message: `"${shown(raw)}" is not a transaction ID: give the 26-character ULID from an audit event or log, or the Transaction's id.`,
      },
    ]);
  }
  return raw;
}

export const TransactionRef = builder.loadableNodeRef("Transaction", {
  id: { resolve: (transaction: TransactionRow) => transaction.id },
  load: (ids: string[], ctx) => transactionsByIds(ctx.db, ids),
  sort: (transaction) => transaction.id,
});

TransactionRef.implement({
  description:
    "One record movement (vendor upsert, invoice send, approval received, payment posted) under its transaction ID, with its whole trail: audit events, exceptions, postings and replays. The transaction ID is the handle for replay.",
  fields: (t) => ({
    transactionId: t.exposeString("id", {
      description: "The transaction ID (a ULID), as it appears in logs and on outbound records.",
    }),
    kind: t.exposeString("kind", {
      description: "What moved, e.g. vendor.upsert, invoice.send, payment.post.",
    }),
    state: t.expose("state", {
      description: "Where the movement stands.",
      type: TransactionStateEnum,
    }),
    connection: t.field({
      description: "The connection it belongs to.",
      type: ConnectionRef,
      resolve: (tx) => tx.connectionId,
    }),
    subjectType: t.exposeString("subjectType", {
      description: "What moved, e.g. invoice, payment, supplier.",
      nullable: true,
    }),
    subjectId: t.exposeString("subjectId", {
      description: "Its id in the gateway.",
      nullable: true,
    }),
    input: t.expose("input", {
      type: "JSON",
      description: "What the movement started from; a replay starts from it again.",
    }),
    result: t.expose("result", {
      type: "JSON",
      nullable: true,
      description: "What it produced, e.g. the remote ids and references.",
    }),
    error: t.exposeString("error", { description: "Why it failed, if it did.", nullable: true }),
    startedAt: t.field({
      type: "DateTime",
      description: "When it started (the time in its ULID).",
      resolve: (tx) => (isTransactionId(tx.id) ? transactionTime(tx.id) : tx.createdAt),
    }),
    updatedAt: t.expose("updatedAt", {
      description: "When the gateway last changed it.",
      type: "DateTime",
    }),
    replayOf: t.field({
      type: TransactionRef,
      nullable: true,
      description: "The transaction this one replays.",
      resolve: (tx) => tx.replayOf,
    }),
    replays: t.loadableGroup({
      type: TransactionRef,
      description: "Replays of this transaction, oldest first.",
      load: (ids: string[], ctx) => transactionsByReplayOf(ctx.db, ids),
      group: (replay) => (replay as TransactionRow).replayOf ?? "",
      resolve: (tx) => tx.id,
    }),
    auditEvents: t.loadableGroup({
      type: AuditEventRef,
      description: "Every audit event of the movement, oldest first.",
      load: (ids: string[], ctx) => auditEventsByTransactionIds(ctx.db, ids),
      group: (event) => (event as AuditEventRow).transactionId ?? "",
      resolve: (tx) => tx.id,
    }),
    exceptions: t.loadableGroup({
      type: SyncExceptionRef,
      description: "Exceptions the movement raised.",
      load: (ids: string[], ctx) => exceptionsByTransactionIds(ctx.db, ids),
      group: (e) => (e as ExceptionRow).transactionId ?? "",
      resolve: (tx) => tx.id,
    }),
    postings: t.loadableGroup({
      type: PostingRef,
      description: "SYSPRO ledger postings it made.",
      load: (ids: string[], ctx) => postingsByTransactionIds(ctx.db, ids),
      group: (p) => (p as PostingRow).transactionId,
      resolve: (tx) => tx.id,
    }),
    invoices: t.loadableGroup({
      type: InvoiceRef,
      description: "Invoices it sent.",
      load: (ids: string[], ctx) => invoicesByTransactionIds(ctx.db, ids),
      group: (i) => (i as InvoiceRow).transactionId ?? "",
      resolve: (tx) => tx.id,
    }),
    payments: t.loadableGroup({
      type: PaymentRef,
      description: "Payments it posted.",
      load: (ids: string[], ctx) => paymentsByTransactionIds(ctx.db, ids),
      group: (p) => (p as PaymentRow).transactionId ?? "",
      resolve: (tx) => tx.id,
    }),
  }),
});

const transactionField = (description: string) => ({
  type: TransactionRef,
  nullable: true as const,
  description,
});

builder.objectField(InvoiceRef, "transaction", (t) =>
  t.field({
    ...transactionField("The transaction that sent it to AvidXchange."),
    resolve: (invoice) => invoice.transactionId,
  }),
);
builder.objectField(PaymentRef, "transaction", (t) =>
  t.field({
    ...transactionField("The transaction that posts it to SYSPRO."),
    resolve: (payment) => payment.transactionId,
  }),
);
builder.objectField(PostingRef, "transaction", (t) =>
  t.field({
    ...transactionField("The transaction that made the posting."),
    resolve: (posting) => posting.transactionId,
  }),
);
builder.objectField(AuditEventRef, "transaction", (t) =>
  t.field({
    ...transactionField("The movement the event belongs to."),
    resolve: (event) => event.transactionId,
  }),
);
builder.objectField(SyncExceptionRef, "transaction", (t) =>
  t.field({
    ...transactionField("The movement that raised it."),
    resolve: (e) => e.transactionId,
  }),
);
builder.objectField(SyncRunRef, "replayOf", (t) =>
  t.field({
    ...transactionField("Replays: the transaction this run replays."),
    resolve: (run) => run.replayTransactionId,
  }),
);

builder.queryField("transaction", (t) =>
  t.field({
    type: TransactionRef,
    nullable: true,
    description:
      "One transaction with its whole trail, by transaction ID (the ULID in logs and audit events) or by its node id; null if there is none.",
    args: {
      id: t.arg.id({
        description: "A transaction ID (ULID) or the Transaction's global id.",
        required: true,
      }),
    },
    resolve: (_root, { id }) => transactionIdOf(String(id)),
  }),
);

builder.mutationField("replayTransaction", (t) =>
  t.field({
    type: SyncRunRef,
    description:
      "Re-run one transaction from its stored input through the same guards: an applied one is a reported no-op. With dryRun the run's plan shows the requests and GL lines it would produce and nothing changes. Returns the queued run at once. Operator or admin.",
    authScopes: { operator: true },
    errors: outcome("queueing the replay", [NotFoundError, ConflictError]),
    args: {
      transactionId: t.arg.id({
        required: true,
        description: "The transaction ID (ULID) or the Transaction's node id.",
      }),
      dryRun: t.arg.boolean({
        description: "Only compute what the replay would do (the run's plan); change nothing.",
        required: false,
        defaultValue: false,
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { run } = await replayTransaction(ctx.db, ctx.commands.jobs, {
        transactionId: transactionIdOf(String(args.transactionId)),
        dryRun: args.dryRun ?? false,
        actor: ctx.principal.name,
      });
      return run;
    },
  }),
);
