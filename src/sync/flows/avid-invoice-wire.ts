import type { AvidInvoiceInput } from "../../connectors/avidxchange/types.js";
import type { AvidInvoice } from "../domain.js";

/** The invoice as AvidXchange's invoice API takes it. */
export function avidInvoiceWire(a: AvidInvoice): AvidInvoiceInput {
  return {
    ExternalInvoiceId: a.externalInvoiceId,
    InvoiceNumber: a.invoiceNumber,
    VendorExternalCode: a.vendorExternalCode,
    InvoiceDate: a.invoiceDate,
    DueDate: a.dueDate,
    Currency: a.currency,
    Amount: a.amount,
    TaxAmount: a.taxAmount,
    PONumber: a.poNumber,
    Memo: a.memo,
    TransactionId: a.transactionId,
    Lines: a.lines.map((l) => ({
      LineNumber: l.lineNumber,
      Amount: l.amount,
      Description: l.description,
      GLCode: { CodeValue: l.glCode },
      Dimensions: l.dimensions.map((d) => ({ GroupName: d.group, CodeValue: d.value })),
    })),
  };
}
