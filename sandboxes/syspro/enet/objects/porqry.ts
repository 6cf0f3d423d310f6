/**
 * PORQRY — purchase order query (contract §2.6): `PorDetail` with the header fields, then one
 * `StockLine` per detail line [I: the contract's sample is cut before the lines].
 */
import { child, text } from "../../xml-in.js";
import { document, el } from "../../xml-out.js";
import { EnetError, queryRoot, readXml } from "./common.js";
import type { ObjectContext } from "./common.js";

const STATUS: Record<string, string> = {
  "0": "In process",
  "1": "Ready to print",
  "4": "Partially received",
  "9": "Complete",
  "*": "Cancelled",
};

export function runPorqry(ctx: ObjectContext, xmlIn: string): string {
  const { state, variants } = ctx;
  const body = readXml(xmlIn, "XmlIn", "Query", "PORQRY");
  const po = text(child(body, "Key"), "PurchaseOrder")?.trim() ?? "";
  const found =
    po === "" ? undefined : state.find(state.tables.PorMasterHdr, { PurchaseOrder: po });
  if (found === undefined) {
    throw new EnetError(`Purchase order '${po}' not found`);
  }
  const hdr = found[1];
  const supplier = state.supplier(hdr.Supplier ?? "");
  const lines = state
    .findAll(state.tables.PorMasterDetail, { PurchaseOrder: po })
    .map(([, r]) => r);
  const out = queryRoot("PorDetail", [
    el("PurchaseOrder", po),
    el("Supplier", hdr.Supplier ?? ""),
    el("SupplierName", supplier?.SupplierName ?? ""),
    el("SupplierClass", supplier?.SupplierClass ?? ""),
    el("SupplierAddr1", supplier?.SupAddr1 ?? ""),
    el("SupplierAddr2", supplier?.SupAddr2 ?? ""),
    el("SupplierAddr3", supplier?.SupAddr3 ?? ""),
    el("SupplierAddr4", supplier?.SupAddr4 ?? ""),
    el("SupplierAddr5", supplier?.SupAddr5 ?? ""),
    el("SupPostalCode", supplier?.SupPostalCode ?? ""),
    el("Currency", supplier?.Currency ?? ""),
    el("OrderStatus", hdr.OrderStatus ?? ""),
    el("OrderStatusDescription", STATUS[hdr.OrderStatus ?? ""] ?? ""),
    el("OrderEntryDate", hdr.OrderEntryDate ?? ""),
    el("OrderDueDate", hdr.OrderDueDate ?? ""),
    el("CompletedDate", hdr.DatePoCompleted ?? ""),
    el("Buyer", hdr.Buyer ?? ""),
    el("ApInvoiceTerms", supplier?.TermsCode ?? ""),
    el("Warehouse", hdr.Warehouse ?? ""),
    ...lines.map((l) =>
      el("StockLine", [
        el("Line", l.Line ?? ""),
        el("StockCode", l.MStockCode ?? ""),
        el("StockDescription", l.MStockDes ?? ""),
        el("Warehouse", l.MWarehouse ?? ""),
        el("OrderQty", l.MOrderQty ?? ""),
        el("ReceivedQty", l.MReceivedQty ?? ""),
        el("Price", l.MPrice ?? ""),
        el("GlCode", l.MGlCode ?? ""),
        el("LatestDueDate", l.MLatestDueDate ?? ""),
      ]),
    ),
  ]);
  return document(out, variants);
}
