/**
 * The end state of a scenario, normalised so two runs can be compared row by row: our mirror and
 * ledger (suppliers, purchase orders, invoices and lines, payments, postings, exceptions) and both
 * sandboxes (SYSPRO payments, invoice balances and GL journals; AvidXchange vendors, invoices and
 * payments). Ids, transaction ids, timestamps, run ids and remote references are left out; rows are
 * keyed by what a person would recognise (supplier code, supplier/invoice number, payee + remittance).
 */
import { eq } from "drizzle-orm";

import {
  exceptions,
  invoiceLines,
  invoices,
  paymentApplications,
  payments,
  postings,
  purchaseOrders,
  suppliers,
} from "../../src/db/schema/index.js";

import type { E2eWorld } from "./world.js";

export type Projection = Record<string, string[]>;

const cell = (p: unknown): string =>
  p === null || p === undefined
    ? "∅"
    : typeof p === "string"
      ? p
      : typeof p === "number" || typeof p === "boolean"
        ? String(p)
        : JSON.stringify(p);

/**
 * Our ExternalInvoiceIds are derived from the connection, and two runs have two connections:
 * write each one as the SYSPRO invoice it stands for.
 */
const asInvoiceRefs = (refs: ReadonlyMap<string, string>) => {
  const known = [...refs.keys()].filter((k) => k.length > 0).sort((a, b) => b.length - a.length);
  return (text: string): string =>
    known.reduce((t, ext) => (t.includes(ext) ? t.replaceAll(ext, `<${refs.get(ext)}>`) : t), text);
};

const sorted = (rows: string[]): string[] => [...rows].sort();

export async function projectState(world: E2eWorld): Promise<Projection> {
  const { db } = world.t;
  const connectionId = world.connectionId;
  const supplierRows = await db
    .select()
    .from(suppliers)
    .where(eq(suppliers.connectionId, connectionId));
  const poRows = await db
    .select()
    .from(purchaseOrders)
    .where(eq(purchaseOrders.connectionId, connectionId));
  const invoiceRows = await db
    .select()
    .from(invoices)
    .where(eq(invoices.connectionId, connectionId));
  const invoiceRef = new Map(
    invoiceRows.map((i) => [i.id, `${i.sysproSupplierCode}/${i.invoiceNumber}`]),
  );
  const lineRows = await db.select().from(invoiceLines);
  const paymentRows = await db
    .select()
    .from(payments)
    .where(eq(payments.connectionId, connectionId));
  const applicationRows = await db.select().from(paymentApplications);
  const postingRows = await db
    .select()
    .from(postings)
    .where(eq(postings.connectionId, connectionId));
  const exceptionRows = await db
    .select()
    .from(exceptions)
    .where(eq(exceptions.connectionId, connectionId));

  const anon = asInvoiceRefs(
    new Map(
      invoiceRows.map((i) => [i.externalInvoiceId, `${i.sysproSupplierCode}/${i.invoiceNumber}`]),
    ),
  );
  const row = (...parts: unknown[]): string => anon(parts.map(cell).join(" | "));
  const paymentKey = new Map(
    paymentRows.map((p) => {
      const apps = applicationRows
        .filter((a) => a.paymentId === p.id)
        .map((a) => anon(`${a.externalInvoiceId ?? "(none)"}=${a.amount}`))
        .sort();
      return [p.id, `${p.amount} ${p.currency ?? ""} [${apps.length}: ${apps[0] ?? ""} …]`];
    }),
  );

  const avid = world.avid.control.snapshot();
  const syspro = world.syspro.control;
  return {
    suppliers: sorted(
      supplierRows.map((s) =>
        row(s.sysproCode, s.name, s.currency, s.syncState, s.avidVendorId !== null),
      ),
    ),
    purchaseOrders: sorted(
      poRows.map((p) => row(p.poNumber, p.syncState, p.avidPurchaseOrderId !== null)),
    ),
    invoices: sorted(
      invoiceRows.map((i) =>
        row(
          `${i.sysproSupplierCode}/${i.invoiceNumber}`,
          i.externalInvoiceId,
          i.currency,
          i.amount,
          i.openBalance,
          i.syncState,
          i.approvalState,
          i.avidInvoiceId !== null,
        ),
      ),
    ),
    invoiceLines: sorted(
      lineRows
        .filter((l) => invoiceRef.has(l.invoiceId))
        .map((l) =>
          row(
            `${invoiceRef.get(l.invoiceId)}#${l.lineNumber}`,
            l.sysproGlCode,
            l.amount,
            l.avidGlCode,
            l.avidDimensions,
            l.recodedGlCode,
            l.recodedDimensions,
          ),
        ),
    ),
    payments: sorted(
      paymentRows.map((p) =>
        row(paymentKey.get(p.id), p.status, p.method, p.postingState, p.paymentDate),
      ),
    ),
    postings: sorted(
      postingRows.map((p) =>
        row(
          p.kind,
          invoiceRef.get(p.invoiceId),
          p.paymentId ? paymentKey.get(p.paymentId) : null,
          p.method,
          p.amount,
          p.currency,
          p.state,
          p.sysproReference !== null,
        ),
      ),
    ),
    exceptions: sorted(
      exceptionRows.map((e) => row(e.reasonCode, e.subjectType, e.subjectRef, e.state)),
    ),
    sysproApInvoicePay: sorted(
      syspro
        .rows("ApInvoicePay", {}, 100_000)
        .map((r) => row(r.Supplier, r.Invoice, r.PostValue, r.TrnValue, r.TrnType, r.PostCurrency)),
    ),
    sysproOpenBalances: sorted(
      syspro.rows("ApInvoice", {}, 100_000).map((r) => row(r.Supplier, r.Invoice, r.MthInvBal1)),
    ),
    sysproJournals: sorted(
      syspro
        .rows("GenJournalDetail", {}, 100_000)
        .map((r) => row(r.GlCode, r.EntryType, r.EntryValue, r.Comment)),
    ),
    avidVendors: sorted(avid.vendors.map((v) => row(v.ExternalVendorCode, v.Name, v.Active))),
    avidPurchaseOrders: sorted(
      avid.purchaseOrders.map(
        ({ PurchaseOrderId: _id, CreatedDate: _c, LastModifiedDate: _m, ...po }) => row(po),
      ),
    ),
    avidInvoices: sorted(
      avid.invoices.map((i) =>
        row(
          i.ExternalInvoiceId,
          i.VendorExternalCode,
          i.InvoiceNumber,
          i.Amount,
          i.Currency,
          i.Status,
          i.Lines,
        ),
      ),
    ),
    avidPayments: sorted(
      avid.payments.map((p) => {
        const remittance = (
          p.Remittance as { ExternalInvoiceId: string | null; Amount?: unknown }[]
        )
          .map((r) => anon(`${r.ExternalInvoiceId ?? "(none)"}=${String(r.Amount)}`))
          .sort();
        return row(p.Amount, p.Currency, p.Status, p.Origin, p.Anomaly, remittance);
      }),
    ),
  };
}
