import { describe, expect, it } from "vitest";

import {
  planVendorUpsert,
  supplierToVendor,
  vendorHash,
} from "../../../src/sync/suppliers/to-vendor.js";
import { supplier } from "../fixtures.js";

import type { Vendor } from "../../../src/sync/domain.js";

describe("supplier → vendor", () => {
  it("maps a SYSPRO supplier to the AvidXchange vendor payload", () => {
    expect(
      supplierToVendor(
        supplier({ remitName: "Bicycles Unltd (Remit)", taxRegistration: " 12-345 " }),
      ),
    ).toEqual({
      externalVendorCode: "0000001",
      name: "Bicycles Unlimited",
      nameOnCheck: "Bicycles Unltd (Remit)",
      fedTaxId: "12-345",
      address: { line1: "P O Box 3469", city: "Richmond", state: "Ontario", country: "Canada" },
      telephone: "416-555-9865",
      email: "ap@bicycles.example",
      active: true,
    });
  });

  it("makes a supplier on hold an inactive vendor, so AvidPay cannot pay around the hold", () => {
    expect(supplierToVendor(supplier({ onHold: true })).active).toBe(false);
  });

  it("creates a vendor never sent", () => {
    const plan = planVendorUpsert({ supplier: supplier() });
    expect(plan.action).toBe("create");
  });

  it("sends nothing when the content hash equals the last one sent", () => {
    const first = planVendorUpsert({ supplier: supplier() });
    if (first.action !== "create") {
      throw new Error("expected create");
    }
    // Whitespace and blank fields from SYSPRO's padded columns do not count as changes.
    const again = planVendorUpsert({
      supplier: supplier({ name: "Bicycles Unlimited  ", contact: "", shortName: "BU" }),
      lastSent: { hash: first.hash, baseline: first.baseline },
    });
    expect(again).toEqual({ action: "unchanged", hash: first.hash });
  });

  it("re-sends when a field changed in SYSPRO", () => {
    const first = planVendorUpsert({ supplier: supplier() });
    if (first.action !== "create") {
      throw new Error("expected create");
    }
    const plan = planVendorUpsert({
      supplier: supplier({ email: "billing@bicycles.example" }),
      lastSent: { hash: first.hash, baseline: first.baseline },
      remote: first.vendor,
    });
    expect(plan.action).toBe("update");
    expect(plan.action === "update" && plan.changedFields).toEqual(["email"]);
    expect(plan.action === "update" && plan.vendor.email).toBe("billing@bicycles.example");
  });

  it("when both sides changed the same field, SYSPRO wins and the conflict is reported", () => {
    const first = planVendorUpsert({ supplier: supplier() });
    if (first.action !== "create") {
      throw new Error("expected create");
    }
    const remote: Vendor = { ...first.vendor, telephone: "312-555-0000", website: "bikes.example" };
    const plan = planVendorUpsert({
      supplier: supplier({ telephone: "416-555-1111" }),
      lastSent: { hash: first.hash, baseline: first.baseline },
      remote,
    });
    if (plan.action !== "update") {
      throw new Error("expected update");
    }
    expect(plan.vendor.telephone).toBe("416-555-1111");
    expect(plan.conflicts).toEqual([
      {
        field: "telephone",
        baseline: "416-555-9865",
        syspro: "416-555-1111",
        avidxchange: "312-555-0000",
      },
    ]);
    // AvidXchange-only data survives the upsert.
    expect(plan.vendor.website).toBe("bikes.example");
  });

  it("keeps a field only AvidXchange changed, and reports it", () => {
    const first = planVendorUpsert({ supplier: supplier() });
    if (first.action !== "create") {
      throw new Error("expected create");
    }
    const remote: Vendor = { ...first.vendor, email: "edited@bicycles.example" };
    const plan = planVendorUpsert({
      supplier: supplier({ name: "Bicycles Unlimited Ltd" }),
      lastSent: { hash: first.hash, baseline: first.baseline },
      remote,
    });
    if (plan.action !== "update") {
      throw new Error("expected update");
    }
    expect(plan.vendor.name).toBe("Bicycles Unlimited Ltd");
    expect(plan.vendor.email).toBe("edited@bicycles.example");
    expect(plan.keptRemote).toEqual(["email"]);
    expect(plan.conflicts).toEqual([]);
    // The baseline stays SYSPRO's view, so the next SYSPRO change to email is seen as a change.
    expect(plan.baseline.email).toBe("ap@bicycles.example");
    expect(plan.hash).toBe(
      vendorHash(supplierToVendor(supplier({ name: "Bicycles Unlimited Ltd" }))),
    );
  });

  it("treats every difference as a conflict SYSPRO wins when we have no baseline", () => {
    const remote: Vendor = { ...supplierToVendor(supplier()), name: "Bicycles (typed by hand)" };
    const plan = planVendorUpsert({ supplier: supplier(), remote });
    if (plan.action !== "update") {
      throw new Error("expected update");
    }
    expect(plan.vendor.name).toBe("Bicycles Unlimited");
    expect(plan.conflicts.map((c) => c.field)).toEqual(["name"]);
  });

  it("records without sending when AvidXchange already has SYSPRO's new values", () => {
    const first = planVendorUpsert({ supplier: supplier() });
    if (first.action !== "create") {
      throw new Error("expected create");
    }
    const changed = supplier({ email: "new@bicycles.example" });
    const plan = planVendorUpsert({
      supplier: changed,
      lastSent: { hash: first.hash, baseline: first.baseline },
      remote: supplierToVendor(changed),
    });
    expect(plan.action).toBe("in-sync");
  });
});
