import { z } from "zod";

import { ConflictError, NotFoundError } from "../errors.js";
import {
  countExceptions,
  exceptionsByIds,
  exceptionsBySubjects,
  exceptionsBySyncRunIds,
  listExceptions,
} from "../read-models/exceptions.js";
import { resolveException } from "../sync/commands/exceptions.js";
import { EXCEPTION_REASONS } from "../sync/exceptions.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import { ExceptionStateEnum } from "./enums.js";
import { DateTimeRangeInput, instantRangeOf, opt, optList } from "./filters.js";
import { InvoiceRef } from "./invoice.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";
import { PaymentRef } from "./payment.js";
import { PurchaseOrderRef } from "./purchase-order.js";
import { outcome } from "./results.js";
import { SupplierRef } from "./supplier.js";
import { SyncRunRef } from "./sync-run.js";

import type { ExceptionRow } from "../read-models/exceptions.js";

export const SyncExceptionRef = builder.loadableNodeRef("SyncException", {
  id: { resolve: (exception: ExceptionRow) => exception.id },
  load: (ids: string[], ctx) => exceptionsByIds(ctx.db, ids),
  sort: (exception) => exception.id,
});

SyncExceptionRef.implement({
  description:
    "A record the gateway will not move until a person acts: why (a stable reason code and a message), what to do about it, and the record as it was received. Nothing is ever silently dropped.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection it belongs to.",
      type: ConnectionRef,
      resolve: (e) => e.connectionId,
    }),
    reasonCode: t.exposeString("reasonCode", {
      description: "Stable reason, e.g. UNMAPPED_GL, AMOUNT_MISMATCH, UNKNOWN_INVOICE.",
    }),
    message: t.exposeString("message", { description: "What is wrong, in plain words." }),
    suggestedAction: t.string({
      nullable: true,
      description: "What a person can do about it.",
      resolve: (e) =>
        e.suggestedAction ??
        (Object.hasOwn(EXCEPTION_REASONS, e.reasonCode)
          ? EXCEPTION_REASONS[e.reasonCode as keyof typeof EXCEPTION_REASONS].suggestedAction
          : null),
    }),
    subjectType: t.exposeString("subjectType", {
      description: "What the exception is about, e.g. invoice, payment, supplier.",
    }),
    subjectId: t.exposeString("subjectId", { description: "Its id in the gateway." }),
    subjectRef: t.exposeString("subjectRef", {
      nullable: true,
      description: "What a person recognises it by, e.g. supplier code and invoice number.",
    }),
    rawPayload: t.expose("rawPayload", {
      type: "JSON",
      nullable: true,
      description: "The record exactly as it was received.",
    }),
    state: t.expose("state", {
      description: "Open, being retried, or how it was resolved.",
      type: ExceptionStateEnum,
    }),
    attempts: t.exposeInt("attempts", { description: "How many times the record was tried." }),
    resolutionNote: t.exposeString("resolutionNote", {
      nullable: true,
      description: "The note of whoever resolved it.",
    }),
    resolvedBy: t.exposeString("actor", {
      nullable: true,
      description: "Who resolved it (an API key name or cli).",
    }),
    resolvedAt: t.expose("resolvedAt", {
      description: "When it was skipped, aborted or resolved.",
      type: "DateTime",
      nullable: true,
    }),
    transactionId: t.exposeString("transactionId", {
      description: "The movement that raised it (a ULID).",
      nullable: true,
    }),
    syncRun: t.field({
      type: SyncRunRef,
      nullable: true,
      description: "The sync run that raised it.",
      resolve: (e) => e.syncRunId,
    }),
    createdAt: t.expose("createdAt", { description: "When it was raised.", type: "DateTime" }),
    updatedAt: t.expose("updatedAt", {
      description: "When the gateway last changed it.",
      type: "DateTime",
    }),
  }),
});

const subjectExceptions = (subjectType: string) => ({
  type: SyncExceptionRef,
  description: "Exceptions raised about this record, oldest first (resolved ones too).",
  load: async (keys: string[], ctx: { db: Parameters<typeof exceptionsBySubjects>[0] }) => {
    const rows = await exceptionsBySubjects(
      ctx.db,
      keys.map((subjectId) => ({ subjectType, subjectId })),
    );
    return keys.map((key) => rows.filter((row) => row.subjectId === key));
  },
});

builder.objectField(InvoiceRef, "exceptions", (t) =>
  t.loadableList({ ...subjectExceptions("invoice"), resolve: (invoice) => invoice.id }),
);
builder.objectField(PaymentRef, "exceptions", (t) =>
  t.loadableList({ ...subjectExceptions("payment"), resolve: (payment) => payment.id }),
);
builder.objectField(SupplierRef, "exceptions", (t) =>
  t.loadableList({ ...subjectExceptions("supplier"), resolve: (supplier) => supplier.id }),
);
builder.objectField(PurchaseOrderRef, "exceptions", (t) =>
  t.loadableList({ ...subjectExceptions("purchase_order"), resolve: (po) => po.id }),
);

/** A run may raise thousands; the field shows the first ones, the list query has them all. */
const RUN_EXCEPTION_LIMIT = 100;

builder.objectField(SyncRunRef, "exceptions", (t) =>
  t.loadableGroup({
    type: SyncExceptionRef,
    description: `The first ${RUN_EXCEPTION_LIMIT} exceptions the run raised; \`exceptions(filter: { syncRunIds })\` has them all.`,
    load: (ids: string[], ctx) => exceptionsBySyncRunIds(ctx.db, ids, RUN_EXCEPTION_LIMIT),
    group: (e) => (e as ExceptionRow).syncRunId ?? "",
    resolve: (run) => run.id,
  }),
);

const ExceptionFilterInput = builder.inputType("ExceptionFilter", {
  description: "Which exceptions to list. Filters combine (all must match).",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only exceptions of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    states: t.field({
      type: [ExceptionStateEnum],
      required: false,
      description: "e.g. [OPEN, RETRYING] for the ones waiting for a person.",
    }),
    reasonCodes: t.stringList({ required: false, description: 'e.g. ["UNMAPPED_GL"].' }),
    subjectType: t.string({ required: false, description: "e.g. invoice, payment, supplier." }),
    subjectId: t.string({
      description: "Only exceptions about this record (give subjectType too).",
      required: false,
    }),
    syncRunIds: t.globalIDList({
      description: "Only exceptions raised by these sync runs.",
      for: SyncRunRef,
      required: false,
    }),
    transactionId: t.string({
      description: "Only exceptions of this transaction.",
      required: false,
    }),
    createdAt: t.field({
      description: "Only exceptions raised in this period.",
      type: DateTimeRangeInput,
      required: false,
    }),
    search: t.string({
      required: false,
      description:
        "Part of the record reference (supplier code, invoice number), message or reason.",
    }),
  }),
});

builder.queryFields((t) => ({
  exceptions: t.connection(
    {
      type: SyncExceptionRef,
      description: "Exceptions, newest first: the records waiting for a person, and their history.",
      args: {
        filter: t.arg({
          description: "Which exceptions; all when left out.",
          type: ExceptionFilterInput,
          required: false,
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          states: optList(f?.states),
          reasonCodes: optList(f?.reasonCodes),
          subjectType: opt(f?.subjectType),
          subjectId: opt(f?.subjectId),
          syncRunIds: f?.syncRunIds?.map((id) => id.id),
          transactionId: opt(f?.transactionId),
          createdAt: instantRangeOf(f?.createdAt),
          search: opt(f?.search),
        };
        return keysetConnection(
          args,
          (page) => listExceptions(ctx.db, filter, page),
          () => countExceptions(ctx.db, filter),
        );
      },
    },
    {
      name: "SyncExceptionConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
}));

const ExceptionActionEnum = builder.enumType("ExceptionAction", {
  description: "What to do with an open exception.",
  values: {
    RETRY: { description: "Move the record again, through the same checks." },
    SKIP: {
      description: "Leave the record out for good: it is marked skipped and no sync picks it up.",
    },
    ABORT: {
      description:
        "Give up this attempt; the record stays as it is and a later change to it starts afresh.",
    },
  } as const,
});

builder.mutationFields((t) => ({
  resolveException: t.field({
    type: SyncExceptionRef,
    description:
      "Decide what happens to an open exception: retry it, skip the record, or abort the attempt, with a note for the audit trail. Operator or admin.",
    authScopes: { operator: true },
    errors: outcome("resolving the exception", [NotFoundError, ConflictError]),
    args: {
      id: t.arg.globalID({ description: "The exception.", for: SyncExceptionRef, required: true }),
      action: t.arg({
        description: "Retry, skip or abort.",
        type: ExceptionActionEnum,
        required: true,
      }),
      note: t.arg.string({
        required: false,
        validate: z.string().trim().max(2000, "Use at most 2000 characters.").nullish(),
        description: "Why; kept on the exception and in the audit trail.",
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { exception } = await resolveException(ctx.db, ctx.commands.jobs, {
        exceptionId: args.id.id,
        action: args.action,
        note: args.note?.trim() ? args.note.trim() : null,
        actor: ctx.principal.name,
      });
      return exception;
    },
  }),
}));
