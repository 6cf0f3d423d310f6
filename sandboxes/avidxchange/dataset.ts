/**
 * One data set per (key type, company): what a token of that key type sees for that company. Created
 * on first use and seeded from the reference customer, each with its own PRNG stream and event queue,
 * so touching one company never changes another's random draws.
 */
import type { SupplierRow } from "../reference-customer/types.js";
import type {
  EnterpriseCode,
  Invoice,
  Payment,
  PaymentBatch,
  PurchaseOrder,
  Vendor,
} from "./model.js";
import type { AvidSeedData, KeyType, ResolvedOptions, SandboxCompany } from "./options.js";
import { deriveSeed, mulberry32 } from "./prng.js";
import type { Rng } from "./prng.js";
import type { Scheduler } from "./scheduler.js";
import { createScheduler } from "./scheduler.js";
import type { PaymentStatus } from "./statuses.js";

/** A test's instruction for one invoice, applied when the lifecycle reaches it. */
export interface InvoicePlan {
  decision?: "approve" | "reject" | "hold" | "void";
  /** true = re-code a line of the approver's choosing; an object pins line and/or new codes. */
  recode?: boolean | { line?: number; glCode?: string; department?: string };
  /** What happens to the payment that settles this invoice. */
  payment?: PaymentPlan;
}

export interface PaymentPlan {
  outcome: "clear" | "void" | "error" | "held";
  /** The status after which the side exit happens (void: Funds Received, error: Processing, held: Pending Approval). */
  after?: PaymentStatus;
  /** Exception reason id for "error" (4, 5, 6 or 9). */
  reasonId?: number;
}

export interface Dataset {
  keyType: KeyType;
  company: SandboxCompany;
  rng: Rng;
  scheduler: Scheduler;
  vendors: Map<string, Vendor>;
  /** Keyed by `${GroupName}\u0000${CodeValue}`. */
  codes: Map<string, EnterpriseCode>;
  purchaseOrders: Map<string, PurchaseOrder>;
  invoices: Map<number, Invoice>;
  invoicesByExternalId: Map<string, Invoice>;
  /** Keyed by `${VendorExternalCode}\u0000${InvoiceNumber}`: AvidXchange's duplicate rule. */
  invoicesByVendorNumber: Map<string, Invoice>;
  payments: Map<number, Payment>;
  paymentsByExternalId: Map<string, Payment>;
  batches: Map<string, PaymentBatch>;
  accountingSystems: { ID: number; Name: string }[];
  /** Plans keyed by `ext:<ExternalInvoiceId>` or `id:<InvoiceId>`. */
  invoicePlans: Map<string, InvoicePlan>;
  paymentPlans: Map<number, PaymentPlan>;
  /** Approved invoices waiting for the next payment run, by InvoiceId. */
  approved: Set<number>;
  ids: {
    vendor: number;
    code: number;
    purchaseOrder: number;
    invoice: number;
    payment: number;
    history: number;
    check: number;
    avidCheck: number;
    run: number;
  };
}

export function codeKey(groupName: string, codeValue: string): string {
  return `${groupName}\u0000${codeValue}`;
}

export function vendorNumberKey(vendorCode: string, invoiceNumber: string): string {
  return `${vendorCode}\u0000${invoiceNumber}`;
}

function vendorFromSupplier(s: SupplierRow, id: number, at: number): Vendor {
  return {
    VendorId: id,
    ExternalVendorCode: s.Supplier,
    Name: s.SupplierName,
    NameOnCheck: s.SupplierName,
    FedTaxId: s.TaxRegnNum,
    Address: {
      Line1: s.SupAddr1,
      Line2: s.SupAddr2,
      City: s.SupAddr3,
      State: s.SupAddr4,
      Country: s.SupAddr5,
      PostalCode: s.SupPostalCode,
    },
    Telephone1: s.Telephone,
    Email: s.Email,
    Website: "",
    Active: s.OnHold !== "Y",
    createdMs: at,
    lastModifiedMs: at,
  };
}

export function createDataset(
  options: ResolvedOptions,
  seedData: AvidSeedData,
  keyType: KeyType,
  company: SandboxCompany,
): Dataset {
  const ds: Dataset = {
    keyType,
    company,
    rng: mulberry32(deriveSeed(options.seed, "dataset", keyType, company.id)),
    scheduler: createScheduler(),
    vendors: new Map(),
    codes: new Map(),
    purchaseOrders: new Map(),
    invoices: new Map(),
    invoicesByExternalId: new Map(),
    invoicesByVendorNumber: new Map(),
    payments: new Map(),
    paymentsByExternalId: new Map(),
    batches: new Map(),
    accountingSystems: [
      { ID: 1, Name: "SYSPRO" },
      { ID: 2, Name: "AvidSuite Import" },
    ],
    invoicePlans: new Map(),
    paymentPlans: new Map(),
    approved: new Set(),
    ids: {
      vendor: 5001,
      code: 1,
      purchaseOrder: 70001,
      invoice: 90001,
      payment: 4765360,
      history: 1,
      check: 10001,
      avidCheck: 7000001,
      run: 1,
    },
  };
  if (company.seeded === false) {
    return ds;
  }
  // Seeded records predate the simulation by a day, whenever the data set is first touched.
  const seededAt = options.startMs - 86_400_000;
  const addCode = (
    GroupName: string,
    CodeValue: string,
    Description: string,
    IsActive: boolean,
  ) => {
    ds.codes.set(codeKey(GroupName, CodeValue), {
      EnterpriseCodeId: ds.ids.code++,
      GroupName,
      CodeValue,
      Description,
      IsActive,
      lastModifiedMs: seededAt,
    });
  };
  for (const c of seedData.avidAccountingCodes) {
    addCode(options.glGroupName, c.CodeValue, c.Description, c.IsActive);
  }
  for (const d of seedData.avidDimensions) {
    addCode(d.GroupName, d.CodeValue, d.Description, d.IsActive);
  }
  for (const v of seedData.avidOnlyVendors) {
    ds.vendors.set(v.ExternalVendorCode, {
      ...v,
      Address: { ...v.Address },
      VendorId: ds.ids.vendor++,
      createdMs: seededAt,
      lastModifiedMs: seededAt,
    });
  }
  if (options.seedVendorsFromSuppliers) {
    for (const s of seedData.suppliers) {
      ds.vendors.set(s.Supplier, vendorFromSupplier(s, ds.ids.vendor++, seededAt));
    }
  }
  return ds;
}
