import { contentHash } from "../content-hash.js";
import { syncException } from "../exceptions.js";
import { extendToCents, formatCents, isDecimalString, sumCents } from "../money.js";

import type { Amount, IsoDate, PurchaseOrder } from "../domain.js";
import type { SyncException } from "../exceptions.js";

/**
 * SYSPRO purchase order → AvidXchange purchase order (upsert by `ExternalCode` = PO number), for
 * invoice matching on the AvidXchange side. A PO is re-sent only when its hash changes.
 */

export interface AvidPurchaseOrderLine {
  readonly externalCode: string;
  readonly productCode?: string;
  readonly description?: string;
  readonly quantity: string;
  readonly uom?: string;
  readonly pricePer: Amount;
  readonly amount: Amount;
}

export interface AvidPurchaseOrder {
  readonly externalCode: string;
  readonly orderNumber: string;
  readonly vendorExternalCode: string;
  readonly orderDate: IsoDate;
  readonly endDate?: IsoDate;
  readonly totalAmount: Amount;
  readonly lines: readonly AvidPurchaseOrderLine[];
}

export type ToAvidPurchaseOrderResult =
  | { readonly ok: true; readonly purchaseOrder: AvidPurchaseOrder; readonly hash: string }
  | { readonly ok: false; readonly exceptions: readonly SyncException[] };

export function toAvidPurchaseOrder(po: PurchaseOrder): ToAvidPurchaseOrderResult {
  const invalid = po.lines.flatMap((line) => {
    const bad: string[] = [];
    if (!isDecimalString(line.quantity)) {
      bad.push(`line ${line.line} quantity "${line.quantity}"`);
    }
    if (!isDecimalString(line.unitPrice)) {
      bad.push(`line ${line.line} price "${line.unitPrice}"`);
    }
    return bad;
  });
  if (invalid.length > 0) {
    return {
      ok: false,
      exceptions: [
        syncException("INVALID_AMOUNT", invalid.join(", "), {
          purchaseOrder: po.poNumber,
          invalid,
        }),
      ],
    };
  }
  const lines = po.lines.map((line): AvidPurchaseOrderLine & { cents: bigint } => {
    const cents = extendToCents(line.quantity, line.unitPrice);
    return {
      externalCode: String(line.line),
      ...(line.stockCode?.trim() ? { productCode: line.stockCode.trim() } : {}),
      ...(line.description?.trim() ? { description: line.description.trim() } : {}),
      quantity: line.quantity.trim(),
      ...(line.uom?.trim() ? { uom: line.uom.trim() } : {}),
      // Unit prices may carry more than two decimals in SYSPRO; they are sent as written.
      pricePer: line.unitPrice.trim(),
      amount: formatCents(cents),
      cents,
    };
  });
  const purchaseOrder: AvidPurchaseOrder = {
    externalCode: po.poNumber.trim(),
    orderNumber: po.poNumber.trim(),
    vendorExternalCode: po.supplier.trim(),
    orderDate: po.orderDate,
    ...(po.dueDate ? { endDate: po.dueDate } : {}),
    totalAmount: formatCents(sumCents(lines.map((line) => line.cents))),
    lines: lines.map(({ cents: _cents, ...line }) => line),
  };
  const hash = contentHash(purchaseOrder, {
    decimalFields: ["quantity", "pricePer", "amount", "totalAmount"],
  });
  return { ok: true, purchaseOrder, hash };
}
