import { createHash } from "node:crypto";

import { contentHash } from "../content-hash.js";

import type { Invoice } from "../domain.js";

/**
 * What an invoice was evaluated against: its content, whether its vendor existed, and the mapping
 * set with the AvidXchange codes. Stored on an invoice held by that evaluation, so an unchanged held
 * invoice inside the lookback window is not evaluated (and held) again on every run; a change to any
 * of these evaluates it again.
 */
export function evaluationHash(
  invoice: Invoice,
  vendorSynced: boolean,
  mappingKey: string,
): string {
  return contentHash({ invoice, vendorSynced, mappingKey });
}

/** A key of the mapping inputs the resolver is built from: any change gives another key. */
export function mappingFingerprint(inputs: unknown): string {
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex");
}
