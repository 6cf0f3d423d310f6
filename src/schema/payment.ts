import { pairKey } from "../read-models/filters.js";
import {
  countPayments,
  listPayments,
  paidAmountsByInvoiceIds,
  paymentApplicationsByIds,
  paymentApplicationsByInvoiceIds,
  paymentApplicationsByPaymentIds,
  paymentsByIds,
  postingsByIds,
  postingsByInvoiceIds,
  postingsByPaymentIds,
} from "../read-models/payments.js";
import { sortByKeys } from "../server/loaders.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import {
  PaymentPostingStateEnum,
  PostingKindEnum,
  PostingMethodEnum,
  PostingStateEnum,
} from "./enums.js";
import { DateRangeInput, dateRangeOf, opt, optList } from "./filters.js";
import { InvoiceRef } from "./invoice.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";
import { SupplierRef } from "./supplier.js";

import type { PaymentApplicationRow, PaymentRow, PostingRow } from "../read-models/payments.js";

export const PaymentRef = builder.loadableNodeRef("Payment", {
  id: { resolve: (payment: PaymentRow) => payment.id },
  load: (ids: string[], ctx) => paymentsByIds(ctx.db, ids),
  sort: (payment) => payment.id,
});

export const PaymentApplicationRef = builder.loadableNodeRef("PaymentApplication", {
  id: { resolve: (application: PaymentApplicationRow) => application.id },
  load: (ids: string[], ctx) => paymentApplicationsByIds(ctx.db, ids),
  sort: (application) => application.id,
});

export const PostingRef = builder.loadableNodeRef("Posting", {
  id: { resolve: (posting: PostingRow) => posting.id },
  load: (ids: string[], ctx) => postingsByIds(ctx.db, ids),
  sort: (posting) => posting.id,
});

PaymentRef.implement({
  description:
    "An AvidXchange payment and where it stands in being posted to the SYSPRO ledger: its remittance, the invoices it settles, and the SYSPRO postings made for it.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection it came through.",
      type: ConnectionRef,
      resolve: (payment) => payment.connectionId,
    }),
    avidPaymentId: t.exposeString("avidPaymentId", { description: "The AvidXchange payment id." }),
    supplier: t.field({
      type: SupplierRef,
      nullable: true,
      description: "The payee as a SYSPRO supplier, when it is known.",
      resolve: (payment) => payment.supplierId,
    }),
    avidVendorId: t.exposeString("avidVendorId", {
      description: "The payee's AvidXchange vendor id.",
      nullable: true,
    }),
    status: t.exposeString("status", {
      description: "AvidXchange's payment status as AvidXchange names it, e.g. Funds Received.",
    }),
    statusAt: t.expose("statusAt", {
      description: "When we saw that status.",
      type: "DateTime",
      nullable: true,
    }),
    method: t.exposeString("method", {
      nullable: true,
      description: "How it was paid, e.g. ACH, Check, VCard.",
    }),
    amount: t.expose("amount", { description: "The amount paid.", type: "Decimal" }),
    currency: t.exposeString("currency", {
      description: "The payment's currency.",
      nullable: true,
    }),
    paymentDate: t.expose("paymentDate", {
      description: "When it was paid.",
      type: "Date",
      nullable: true,
    }),
    remittance: t.expose("remittance", {
      type: "JSON",
      nullable: true,
      description: "The remittance advice as AvidXchange sent it.",
    }),
    postingState: t.expose("postingState", {
      description: "Where it stands in being posted to SYSPRO.",
      type: PaymentPostingStateEnum,
    }),
    transactionId: t.exposeString("transactionId", {
      nullable: true,
      description: "The transaction that posts it to SYSPRO (the handle for replay).",
    }),
    applications: t.loadableGroup({
      type: PaymentApplicationRef,
      description: "The remittance lines: which invoice got how much.",
      load: (ids: string[], ctx) => paymentApplicationsByPaymentIds(ctx.db, ids),
      group: (application) => (application as PaymentApplicationRow).paymentId,
      resolve: (payment) => payment.id,
    }),
    postings: t.loadableGroup({
      type: PostingRef,
      description: "What was written into the SYSPRO ledger for this payment, oldest first.",
      load: (ids: string[], ctx) => postingsByPaymentIds(ctx.db, ids),
      group: (posting) => (posting as PostingRow).paymentId ?? "",
      resolve: (payment) => payment.id,
    }),
    sysproReferences: t.loadableList({
      type: "String",
      description: "SYSPRO's references (payment or journal numbers) of the posted payment.",
      load: async (ids: string[], ctx) => {
        const rows = await postingsByPaymentIds(ctx.db, ids);
        // One posting row per settled invoice, all under the document's one reference.
        return ids.map((id) => [
          ...new Set(
            rows
              .filter((p) => p.paymentId === id && p.state === "posted" && p.sysproReference)
              .map((p) => p.sysproReference ?? ""),
          ),
        ]);
      },
      resolve: (payment) => payment.id,
    }),
    raw: t.expose("raw", {
      type: "JSON",
      nullable: true,
      description: "The payment exactly as AvidXchange returned it.",
    }),
    createdAt: t.expose("createdAt", {
      description: "When the gateway first recorded it.",
      type: "DateTime",
    }),
    updatedAt: t.expose("updatedAt", {
      description: "When the gateway last changed it.",
      type: "DateTime",
    }),
  }),
});

PaymentApplicationRef.implement({
  description: "One remittance line: the part of a payment applied to one invoice.",
  fields: (t) => ({
    payment: t.field({
      description: "The payment.",
      type: PaymentRef,
      resolve: (application) => application.paymentId,
    }),
    invoice: t.field({
      type: InvoiceRef,
      nullable: true,
      description: "The invoice settled; empty when the payment names an invoice we never sent.",
      resolve: (application) => application.invoiceId,
    }),
    avidInvoiceId: t.exposeString("avidInvoiceId", {
      description: "The AvidXchange invoice id the remittance names.",
    }),
    externalInvoiceId: t.exposeString("externalInvoiceId", {
      description: "Our reference of the invoice, as the remittance carries it.",
      nullable: true,
    }),
    amount: t.expose("amount", { type: "Decimal", description: "Amount applied to the invoice." }),
    discountAmount: t.expose("discountAmount", {
      type: "Decimal",
      nullable: true,
      description: "Discount taken on the invoice.",
    }),
    postings: t.loadableList({
      type: PostingRef,
      description: "Ledger postings of this payment for this invoice (the payment, any reversal).",
      load: async (keys: string[], ctx) => {
        const paymentIds = keys.map((key) => key.split("\u0000")[0] ?? "");
        const rows = await postingsByPaymentIds(ctx.db, paymentIds);
        return keys.map((key) =>
          rows.filter((p) => pairKey(p.paymentId ?? "", p.invoiceId) === key),
        );
      },
      resolve: (application) => pairKey(application.paymentId, application.invoiceId ?? ""),
    }),
  }),
});

PostingRef.implement({
  description:
    "One write into the SYSPRO ledger: a payment, its reversal, or a reclassification journal. Each happens at most once, ever.",
  fields: (t) => ({
    connection: t.field({
      description: "The connection whose SYSPRO ledger it was written to.",
      type: ConnectionRef,
      resolve: (posting) => posting.connectionId,
    }),
    kind: t.expose("kind", {
      description: "Payment, reversal or reclassification.",
      type: PostingKindEnum,
    }),
    method: t.expose("method", {
      description: "AP manual payment or GL journal.",
      type: PostingMethodEnum,
    }),
    state: t.expose("state", {
      description: "Claimed, posted, failed, or unknown (being checked with SYSPRO).",
      type: PostingStateEnum,
    }),
    amount: t.expose("amount", { description: "The amount posted.", type: "Decimal" }),
    currency: t.exposeString("currency", {
      description: "The posting's currency.",
      nullable: true,
    }),
    sysproReference: t.exposeString("sysproReference", {
      nullable: true,
      description: "SYSPRO's reference for the posted document (payment or journal number).",
    }),
    postedAt: t.expose("postedAt", {
      description: "When SYSPRO accepted it.",
      type: "DateTime",
      nullable: true,
    }),
    attempts: t.exposeInt("attempts", { description: "How many times it was sent to SYSPRO." }),
    error: t.exposeString("error", {
      nullable: true,
      description: "Why SYSPRO refused it, if it did.",
    }),
    invoice: t.field({
      description: "The invoice settled or reclassified.",
      type: InvoiceRef,
      resolve: (posting) => posting.invoiceId,
    }),
    payment: t.field({
      type: PaymentRef,
      nullable: true,
      description: "The payment posted or reversed (none for a reclassification).",
      resolve: (posting) => posting.paymentId,
    }),
    avidPaymentId: t.exposeString("avidPaymentId", {
      description: "The AvidXchange payment id (payments and reversals).",
      nullable: true,
    }),
    reverses: t.field({
      type: PostingRef,
      nullable: true,
      description: "The posting this one reverses (reversals only).",
      resolve: (posting) => posting.reversesPostingId,
    }),
    transactionId: t.exposeString("transactionId", {
      description: "The transaction that made it (a ULID).",
    }),
    createdAt: t.expose("createdAt", {
      description: "When it was claimed in the ledger.",
      type: "DateTime",
    }),
    updatedAt: t.expose("updatedAt", {
      description: "When the gateway last changed it.",
      type: "DateTime",
    }),
  }),
});

builder.objectFields(InvoiceRef, (t) => ({
  paymentApplications: t.loadableGroup({
    type: PaymentApplicationRef,
    description: "Payments applied to this invoice, as remittance lines.",
    load: (ids: string[], ctx) => paymentApplicationsByInvoiceIds(ctx.db, ids),
    group: (application) => (application as PaymentApplicationRow).invoiceId ?? "",
    resolve: (invoice) => invoice.id,
  }),
  paidAmount: t.loadable({
    type: "Decimal",
    description:
      "What AvidXchange has paid against this invoice: the sum of its remittance lines, voided payments left out.",
    load: async (ids: string[], ctx) => {
      const rows = await paidAmountsByInvoiceIds(ctx.db, ids);
      return sortByKeys(ids, rows, (row) => row.invoiceId).map((row) =>
        row instanceof Error ? row : (row?.paid ?? "0.00"),
      );
    },
    resolve: (invoice) => invoice.id,
  }),
  postings: t.loadableGroup({
    type: PostingRef,
    description: "What was written into the SYSPRO ledger for this invoice, oldest first.",
    load: (ids: string[], ctx) => postingsByInvoiceIds(ctx.db, ids),
    group: (posting) => (posting as PostingRow).invoiceId,
    resolve: (invoice) => invoice.id,
  }),
}));

const PaymentOrderEnum = builder.enumType("PaymentOrder", {
  description: "How to order payments.",
  values: {
    PAYMENT_DATE_DESC: { description: "Newest payment date first (the default)." },
    AMOUNT_DESC: { description: "Largest amount first." },
    UPDATED_DESC: { description: "Most recently changed first." },
  } as const,
});

const PaymentFilterInput = builder.inputType("PaymentFilter", {
  description: "Which payments to list. Filters combine (all must match).",
  fields: (t) => ({
    connectionIds: t.globalIDList({
      description: "Only payments of these connections.",
      for: ConnectionRef,
      required: false,
    }),
    supplierIds: t.globalIDList({
      description: "Only payments to these suppliers.",
      for: SupplierRef,
      required: false,
    }),
    statuses: t.stringList({
      required: false,
      description: 'AvidXchange payment statuses, e.g. ["Funds Received"].',
    }),
    postingStates: t.field({
      description: "Only payments in these posting states.",
      type: [PaymentPostingStateEnum],
      required: false,
    }),
    methods: t.stringList({ required: false, description: 'e.g. ["ACH", "Check"].' }),
    currencies: t.stringList({
      description: "Only payments in these currencies.",
      required: false,
    }),
    paymentDate: t.field({
      description: "Only payments made in this range.",
      type: DateRangeInput,
      required: false,
    }),
    transactionId: t.string({
      description: "Only the payment posted by this transaction.",
      required: false,
    }),
    search: t.string({
      required: false,
      description: "Part of the AvidXchange payment or vendor id, or the supplier's code or name.",
    }),
  }),
});

builder.queryFields((t) => ({
  payments: t.connection(
    {
      type: PaymentRef,
      description: "AvidXchange payments and their posting to SYSPRO.",
      args: {
        filter: t.arg({
          description: "Which payments; all when left out.",
          type: PaymentFilterInput,
          required: false,
        }),
        orderBy: t.arg({
          description: "The order (default newest payment date first).",
          type: PaymentOrderEnum,
          required: false,
          defaultValue: "PAYMENT_DATE_DESC",
        }),
      },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter = {
          connectionIds: f?.connectionIds?.map((id) => id.id),
          supplierIds: f?.supplierIds?.map((id) => id.id),
          statuses: optList(f?.statuses),
          postingStates: optList(f?.postingStates),
          methods: optList(f?.methods),
          currencies: optList(f?.currencies),
          paymentDate: dateRangeOf(f?.paymentDate),
          transactionId: opt(f?.transactionId),
          search: opt(f?.search),
        };
        return keysetConnection(
          args,
          (page) => listPayments(ctx.db, filter, args.orderBy ?? "PAYMENT_DATE_DESC", page),
          () => countPayments(ctx.db, filter),
        );
      },
    },
    {
      name: "PaymentConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
}));
