/**
 * APSQRY — supplier query (contract §2.5): `ApQuery` with SystemInformation and Supplier, the open
 * invoices (IncludeInvoices) and their payments (IncludeInvoicePayments). Listing invoices scans the
 * supplier's ApInvoice rows: fine on the reference customer, slow on a 1,000,000-invoice seed.
 */
import { toCents } from "../../money.js";
import type { Row } from "../../tables/table.js";
import { child, flag, text } from "../../xml-in.js";
import { document, el } from "../../xml-out.js";
import type { XNode } from "../../xml-out.js";
import { EnetError, queryRoot, readXml } from "./common.js";
import type { ObjectContext } from "./common.js";

export function systemInformation(ctx: ObjectContext): XNode {
  const { session, state } = ctx;
  return el("SystemInformation", [
    el("CssStyle", ""),
    el("Language", "05"),
    el("DecFormat", "1"),
    el("DateFormat", "01"),
    el("Role", "01"),
    el("Version", "8.0.161"),
    el("CompanyId", session.company.id),
    el("CompanyName", session.company.name),
    el("OperatorCode", session.operator.operator),
    el("OperatorName", session.operator.name),
    el("OperatorGroup", ""),
    el("ReportDate", state.clock.today()),
  ]);
}

function invoiceDetail(row: Row, payments: Row[] | undefined): XNode {
  return el("InvoiceDetail", [
    ...[
      "Invoice",
      "JournalDate",
      "Journal",
      "Branch",
      "InvoiceDate",
      "DiscountDate",
      "DueDate",
      "Reference",
      "OrigInvValue",
      "OrigDiscValue",
    ].map((c) => el(c, row[c] ?? "")),
    el("MthInvBal", row.MthInvBal1 ?? ""),
    ...[
      "InvoiceStatus",
      "Currency",
      "Bank",
      "PaymGrossValue",
      "PaymDiscValue",
      "InvoiceYear",
      "InvoiceMonth",
      "ConvRate",
      "MulDiv",
      "EntryNumber",
    ].map((c) => el(c, row[c] ?? "")),
    ...(payments === undefined
      ? []
      : [
          el(
            "Payments",
            payments.map((p) =>
              el("PaymentDetail", [
                el("EntryNumber", p.EntryNumber ?? ""),
                el("JournalDate", p.JournalDate ?? ""),
                el("Journal", p.Journal ?? ""),
                el("PaymentReference", p.PaymentReference ?? ""),
                el("TrnValue", p.TrnValue ?? ""),
                el("TrnType", p.TrnType ?? ""),
                el("PostValue", p.PostValue ?? ""),
                el("PostCurrency", p.PostCurrency ?? ""),
                el("PostConvRate", "1.000000"),
                el("PostMulDiv", "M"),
              ]),
            ),
          ),
        ]),
  ]);
}

export function runApsqry(ctx: ObjectContext, xmlIn: string): string {
  const { state, variants } = ctx;
  const body = readXml(xmlIn, "XmlIn", "Query", "APSQRY");
  const code = text(child(body, "Key"), "Supplier")?.trim() ?? "";
  if (code === "") {
    throw new EnetError("A supplier key is required");
  }
  const supplier = state.supplier(code);
  if (supplier === undefined) {
    throw new EnetError(`Supplier '${code}' not found`);
  }
  const option = child(body, "Option");
  const terms = state.find(state.tables.TblApTerms, { TermsCode: supplier.TermsCode ?? "" })?.[1];
  const invoices = state.findAll(state.tables.ApInvoice, { Supplier: code }).map(([, r]) => r);
  const balance = invoices.reduce((sum, r) => sum + (toCents(r.MthInvBal1) ?? 0), 0);
  const withPayments = flag(option, "IncludeInvoicePayments", "N") === "Y";
  const details =
    flag(option, "IncludeInvoices", "Y") === "Y"
      ? invoices
          .filter((r) => r.MthInvBal1 !== "0.00")
          .map((r) =>
            invoiceDetail(
              r,
              withPayments
                ? state
                    .findAll(state.tables.ApInvoicePay, {
                      Supplier: code,
                      Invoice: r.Invoice ?? "",
                    })
                    .map(([, p]) => p)
                : undefined,
            ),
          )
      : [];
  const fields = [
    "Supplier",
    "SupplierName",
    "SupplierType",
    "Telephone",
    "Contact",
    "OnHold",
    "Bank",
    "Currency",
    "Branch",
    "SupplierClass",
    "SupAddr1",
    "SupAddr2",
    "SupAddr3",
    "SupAddr4",
    "SupAddr5",
    "SupPostalCode",
    "MerchGlCode",
    "FreightGlCode",
    "Email",
    "TermsCode",
  ];
  const out = queryRoot("ApQuery", [
    systemInformation(ctx),
    el("Supplier", [
      ...fields.map((f) => el(f, supplier[f] ?? "")),
      el("EnquiryDate", state.clock.today()),
      el("TBLAPT_Description", terms?.Description ?? ""),
      el("CurrentBalance", (balance / 100).toFixed(2)),
      ...details,
    ]),
  ]);
  return document(out, variants);
}
