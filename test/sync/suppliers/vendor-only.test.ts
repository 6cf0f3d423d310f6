import { describe, expect, it } from "vitest";

import {
  planVendorOnlyInAvid,
  validateSupplierSetup,
  vendorToSupplierSetup,
} from "../../../src/sync/suppliers/vendor-only.js";

import type { Vendor } from "../../../src/sync/domain.js";

const vendor: Vendor = {
  externalVendorCode: "V100",
  name: "Acme Supplies",
  nameOnCheck: "Acme Supplies Inc",
  address: {
    line1: "1 Main St",
    city: "Chicago",
    state: "IL",
    country: "USA",
    postalCode: "60601",
  },
  email: "ap@acme.example",
  active: true,
};

describe("vendor only in AvidXchange", () => {
  it("is held as VENDOR_NOT_IN_SYSPRO by default policy", () => {
    const decision = planVendorOnlyInAvid(vendor, "HOLD");
    expect(decision.action).toBe("hold");
    expect(decision.action === "hold" && decision.exception.reason).toBe("VENDOR_NOT_IN_SYSPRO");
  });

  it("becomes an APSSSP supplier plan under CREATE_IN_SYSPRO", () => {
    const decision = planVendorOnlyInAvid(vendor, "CREATE_IN_SYSPRO", {
      currency: "$",
      termsCode: "30",
    });
    expect(decision).toEqual({
      action: "create",
      plan: {
        kind: "APSSSP",
        supplier: "V100",
        supplierName: "Acme Supplies",
        currency: "$",
        termsCode: "30",
        email: "ap@acme.example",
        supAddr: ["1 Main St", "", "Chicago", "IL", "USA"],
        supPostalCode: "60601",
        remitName: "Acme Supplies Inc",
        onHold: false,
      },
    });
  });

  it("validates before creating: code length, required fields, e-mail", () => {
    const decision = planVendorOnlyInAvid(
      { ...vendor, externalVendorCode: "VENDOR-CODE-TOO-LONG", email: "not-an-email" },
      "CREATE_IN_SYSPRO",
      {},
    );
    expect(decision.action).toBe("invalid");
    if (decision.action !== "invalid") {
      return;
    }
    expect(decision.exception.reason).toBe("SUPPLIER_SETUP_INVALID");
    const errors = decision.exception.details.errors as string[];
    expect(errors.some((e) => e.includes("longer than 15"))).toBe(true);
    expect(errors.some((e) => e.includes("currency is missing"))).toBe(true);
    expect(errors.some((e) => e.includes("e-mail"))).toBe(true);
  });

  it("refuses a vendor with no code, or a code with spaces: never invents a supplier code", () => {
    expect(
      validateSupplierSetup(
        vendorToSupplierSetup({ ...vendor, externalVendorCode: " " }, { currency: "$" }),
      ),
    ).toEqual(["supplier code is missing (the vendor has no ExternalVendorCode)"]);
    expect(
      validateSupplierSetup(
        vendorToSupplierSetup({ ...vendor, externalVendorCode: "V 1" }, { currency: "$" }),
      )[0],
    ).toMatch(/spaces/);
  });

  it("skips an inactive vendor under either policy", () => {
    expect(planVendorOnlyInAvid({ ...vendor, active: false }, "HOLD").action).toBe("skip");
    expect(planVendorOnlyInAvid({ ...vendor, active: false }, "CREATE_IN_SYSPRO").action).toBe(
      "skip",
    );
  });
});
