import { createHash } from "node:crypto";

/**
 * Our idempotency key for an invoice on AvidXchange: `ERP-<connection>-<supplier>-<invoice>`.
 *
 * It must be deterministic (a re-run sends the same key, and AvidXchange returns the invoice it
 * already has) and injective (two invoices never share a key). Joining raw parts with `-` is not:
 * supplier `A-B` + invoice `C` and supplier `A` + invoice `B-C` would collide, and SYSPRO invoice
 * numbers often contain dashes. So the connection and supplier parts escape `-` (and anything but
 * letters, digits, `_` and `.`) as `%XX`; the invoice is the remainder after the third dash and only
 * escapes `%`, spaces and non-printable characters, so `INV-1001` stays readable.
 *
 * AvidXchange publishes no length limit; we keep keys within `EXTERNAL_INVOICE_ID_MAX` by replacing
 * the tail of an over-long key with a hash of the whole key (still deterministic, and a collision
 * with a readable key would need an invoice number ending in that exact hash).
 */
export const EXTERNAL_INVOICE_ID_MAX = 64;

const HASH_LENGTH = 16;

export function externalInvoiceId(connection: string, supplier: string, invoice: string): string {
  const readable = `ERP-${escapeCode(connection)}-${escapeCode(supplier)}-${escapeInvoice(invoice)}`;
  if (readable.length <= EXTERNAL_INVOICE_ID_MAX) {
    return readable;
  }
  const digest = createHash("sha256").update(readable).digest("hex").slice(0, HASH_LENGTH);
  return `${readable.slice(0, EXTERNAL_INVOICE_ID_MAX - HASH_LENGTH - 1)}~${digest}`;
}

function escapeCode(part: string): string {
  return percentEncode(part, (char) => /^[A-Za-z0-9_.]$/.test(char));
}

function escapeInvoice(part: string): string {
  return percentEncode(part, (char) => char !== "%" && /^[\x21-\x7e]$/.test(char));
}

function percentEncode(text: string, keep: (char: string) => boolean): string {
  let out = "";
  for (const char of text) {
    if (keep(char)) {
      out += char;
    } else {
      for (const byte of Buffer.from(char, "utf8")) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      }
    }
  }
  return out;
}
