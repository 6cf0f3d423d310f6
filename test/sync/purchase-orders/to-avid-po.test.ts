import { describe, expect, it } from "vitest";

import { toAvidPurchaseOrder } from "../../../src/sync/purchase-orders/to-avid-po.js";

import type { PurchaseOrder } from "../../../src/sync/domain.js";

const po: PurchaseOrder = {
  poNumber: "000419",
  supplier: "0000001",
  orderDate: "2026-01-05",
  dueDate: "2026-01-20",
  status: "1",
  lines: [
    {
      line: 1,
      stockCode: "B100",
      description: "Bicycle",
      quantity: "3",
      unitPrice: "199.99",
      uom: "EA",
    },
    { line: 2, description: "Freight", quantity: "1.5", unitPrice: "10.333" },
  ],
};

describe("SYSPRO PO → AvidXchange PO", () => {
  it("maps header and lines, extending quantity × price to cents", () => {
    const result = toAvidPurchaseOrder(po);
    expect(result.ok && result.purchaseOrder).toEqual({
      externalCode: "000419",
      orderNumber: "000419",
      vendorExternalCode: "0000001",
      orderDate: "2026-01-05",
      endDate: "2026-01-20",
      totalAmount: "615.47",
      lines: [
        {
          externalCode: "1",
          productCode: "B100",
          description: "Bicycle",
          quantity: "3",
          uom: "EA",
          pricePer: "199.99",
          amount: "599.97",
        },
        {
          externalCode: "2",
          description: "Freight",
          quantity: "1.5",
          pricePer: "10.333",
          amount: "15.50",
        },
      ],
    });
  });

  it("has a hash that ignores notation and changes with content", () => {
    const a = toAvidPurchaseOrder(po);
    const b = toAvidPurchaseOrder({
      ...po,
      lines: po.lines.map((l) => ({
        ...l,
        quantity: `${l.quantity}${l.quantity.includes(".") ? "0" : ".000"}`,
      })),
    });
    const c = toAvidPurchaseOrder({ ...po, dueDate: "2026-01-21" });
    expect(a.ok && b.ok && a.hash === b.hash).toBe(true);
    expect(a.ok && c.ok && a.hash !== c.hash).toBe(true);
  });

  it("is an exception for a malformed quantity or price", () => {
    const result = toAvidPurchaseOrder({
      ...po,
      lines: [{ line: 1, quantity: "three", unitPrice: "1" }],
    });
    expect(!result.ok && result.exceptions[0]?.reason).toBe("INVALID_AMOUNT");
  });
});
