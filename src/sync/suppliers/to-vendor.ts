import { contentHash } from "../content-hash.js";

import type { PostalAddress, Supplier, Vendor } from "../domain.js";

/**
 * SYSPRO supplier → AvidXchange vendor, and the decision whether (and what) to send.
 *
 * A vendor is re-sent only when the content hash of the SYSPRO-derived vendor differs from the hash
 * stored when we last sent it. When it must be sent and AvidXchange's copy was also edited since, the
 * fields merge three ways against the baseline (the SYSPRO-derived vendor as of our last send):
 * a field only SYSPRO changed takes SYSPRO's value; a field only AvidXchange changed keeps
 * AvidXchange's value (a person edited it there and SYSPRO has nothing newer to say); a field both
 * changed to different values takes SYSPRO's value, and the difference is reported for audit.
 */

export function supplierToVendor(supplier: Supplier): Vendor {
  return {
    externalVendorCode: supplier.code.trim(),
    name: supplier.name.trim(),
    nameOnCheck: (supplier.remitName?.trim() || supplier.name).trim(),
    ...optional("fedTaxId", supplier.taxRegistration),
    address: trimAddress(supplier.address),
    ...optional("telephone", supplier.telephone),
    ...optional("email", supplier.email),
    // On hold in SYSPRO means "do not pay this supplier"; an inactive vendor is AvidXchange's way of
    // saying the same, so AvidPay cannot pay around the hold.
    active: !supplier.onHold,
  };
}

/** The vendor fields we own and compare. `website` is AvidXchange's alone: SYSPRO has no such field. */
export const VENDOR_FIELDS = [
  "externalVendorCode",
  "name",
  "nameOnCheck",
  "fedTaxId",
  "address",
  "telephone",
  "email",
  "active",
] as const satisfies readonly (keyof Vendor)[];

export type VendorField = (typeof VENDOR_FIELDS)[number];

export function vendorHash(vendor: Vendor): string {
  return contentHash(vendor, { fields: VENDOR_FIELDS });
}

export interface FieldConflict {
  readonly field: VendorField;
  readonly baseline: unknown;
  readonly syspro: unknown;
  readonly avidxchange: unknown;
}

export interface VendorPlanInput {
  readonly supplier: Supplier;
  /** What SYSPRO said when we last sent this vendor, and its hash; absent if never sent. */
  readonly lastSent?: { readonly hash: string; readonly baseline: Vendor };
  /** AvidXchange's current copy, when it was read (only needed when the hash changed). */
  readonly remote?: Vendor;
}

export type VendorPlan =
  | { readonly action: "unchanged"; readonly hash: string }
  /** SYSPRO changed, but AvidXchange already holds the merged result: record `hash` and `baseline`
   * as sent, send nothing. */
  | {
      readonly action: "in-sync";
      readonly hash: string;
      readonly baseline: Vendor;
      readonly keptRemote: readonly VendorField[];
    }
  | {
      readonly action: "create" | "update";
      /** The vendor to POST (upsert by `ExternalVendorCode`). */
      readonly vendor: Vendor;
      /** Store as `lastSent` once the upsert succeeded. */
      readonly hash: string;
      readonly baseline: Vendor;
      /** Fields whose value on AvidXchange changes with this send. */
      readonly changedFields: readonly VendorField[];
      /** Both sides changed: SYSPRO won. Audit these. */
      readonly conflicts: readonly FieldConflict[];
      /** Only AvidXchange changed: its value was kept. */
      readonly keptRemote: readonly VendorField[];
    };

export function planVendorUpsert(input: VendorPlanInput): VendorPlan {
  const desired = supplierToVendor(input.supplier);
  const hash = vendorHash(desired);
  if (input.lastSent?.hash === hash) {
    return { action: "unchanged", hash };
  }
  const { remote } = input;
  if (!remote) {
    return {
      action: "create",
      vendor: desired,
      hash,
      baseline: desired,
      changedFields: [...VENDOR_FIELDS],
      conflicts: [],
      keptRemote: [],
    };
  }
  // Never sent (or the record of it is lost): every difference counts as a conflict SYSPRO wins.
  const baseline = input.lastSent?.baseline;
  const merged: Record<string, unknown> = { ...remote };
  const conflicts: FieldConflict[] = [];
  const keptRemote: VendorField[] = [];
  const changedFields: VendorField[] = [];
  for (const field of VENDOR_FIELDS) {
    const sysproValue = desired[field];
    const remoteValue = remote[field];
    if (same(field, sysproValue, remoteValue)) {
      merged[field] = sysproValue;
      continue;
    }
    const sysproChanged = !baseline || !same(field, baseline[field], sysproValue);
    const remoteChanged = !baseline || !same(field, baseline[field], remoteValue);
    if (!sysproChanged && remoteChanged) {
      merged[field] = remoteValue;
      keptRemote.push(field);
      continue;
    }
    merged[field] = sysproValue;
    changedFields.push(field);
    if (remoteChanged) {
      conflicts.push({
        field,
        baseline: baseline?.[field],
        syspro: sysproValue,
        avidxchange: remoteValue,
      });
    }
  }
  if (changedFields.length === 0) {
    return { action: "in-sync", hash, baseline: desired, keptRemote };
  }
  return {
    action: "update",
    vendor: merged as unknown as Vendor,
    hash,
    baseline: desired,
    changedFields,
    conflicts,
    keptRemote,
  };
}

/** Field equality under the content-hash rules (trimmed, blank = absent, key order free). */
function same(field: VendorField, a: unknown, b: unknown): boolean {
  return contentHash({ [field]: a }) === contentHash({ [field]: b });
}

function trimAddress(address: PostalAddress): PostalAddress {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(address)) {
    if (typeof value === "string" && value.trim()) {
      out[key] = value.trim();
    }
  }
  return out;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  const text = value?.trim();
  return (text ? { [key]: text } : {}) as { [P in K]?: string };
}
