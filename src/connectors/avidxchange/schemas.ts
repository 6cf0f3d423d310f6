import { z } from "zod";

import { AvidMalformedResponseError } from "./errors.js";
import { isDecimalText } from "./wire-json.js";

import type {
  AvidEnterpriseCode,
  AvidInvoice,
  AvidInvoicePosted,
  AvidPayment,
  AvidPaymentHistoryEntry,
  AvidPurchaseOrder,
  AvidTokenResponse,
  AvidVendor,
  AvidVoidedPayment,
} from "./types.js";

/**
 * Response validation at the edge: checks the members the connector and the sync engine rely on and
 * keeps every other member untouched (loose objects), so the raw payload survives for the mirror.
 */

const decimal = z.string().refine(isDecimalText, "not a decimal amount");
/** Some ids and numbers arrive as strings in one resource and numbers in another. */
const textual = z.union([z.string(), z.number().transform(String)]);
const id = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);
const opt = <T extends z.ZodType>(t: T) => t.nullish().transform((v) => v ?? undefined);

const status = z.looseObject({ Id: id.nullish(), Description: z.string() });
const identifier = z.looseObject({ Value: textual });

const line = z.looseObject({
  LineNumber: z.number().int(),
  Amount: decimal,
  Description: opt(z.string()),
  // §7.6's export shows GLCode as a bare string; §9.4 as `{ CodeValue }`. Accept both, hand on one.
  GLCode: z.union([
    z.looseObject({ CodeValue: textual }),
    textual.transform((v) => ({ CodeValue: v })),
  ]),
  Dimensions: opt(z.array(z.looseObject({ GroupName: z.string(), CodeValue: textual }))),
});

export const vendorSchema: z.ZodType<AvidVendor> = z.looseObject({
  ExternalVendorCode: textual,
  VendorId: opt(id),
  Name: opt(z.string()),
  LastModifiedDate: opt(z.string()),
});

export const enterpriseCodeSchema: z.ZodType<AvidEnterpriseCode> = z.looseObject({
  GroupName: z.string(),
  CodeValue: textual,
  Description: z.string().nullish(),
  IsActive: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
  LastModifiedDate: opt(z.string()),
});

export const purchaseOrderSchema: z.ZodType<AvidPurchaseOrder> = z.looseObject({
  ExternalCode: textual,
});

export const invoicePostedSchema: z.ZodType<AvidInvoicePosted> = z.looseObject({
  InvoiceId: id,
  ExternalInvoiceId: opt(z.string()),
  Status: opt(status),
});

export const invoiceSchema: z.ZodType<AvidInvoice> = z.looseObject({
  InvoiceId: id,
  ExternalInvoiceId: z.string().nullish(),
  InvoiceNumber: textual,
  VendorExternalCode: opt(textual),
  Amount: decimal,
  TaxAmount: opt(decimal),
  Currency: opt(z.string()),
  Status: status,
  Lines: opt(z.array(line)).transform((v) => v ?? []),
  ApprovalHistory: opt(
    z.array(
      z.looseObject({
        Step: opt(z.number()),
        Approver: opt(z.string()),
        Action: z.string(),
        Comment: z.string().nullish(),
        DateTime: opt(z.string()),
      }),
    ),
  ).transform((v) => v ?? []),
  LastModifiedDate: opt(z.string()),
});

export const paymentSchema: z.ZodType<AvidPayment> = z.looseObject({
  PaymentId: id,
  BatchId: z.string().nullish(),
  ExternalPaymentIds: opt(z.array(identifier)),
  CheckNumber: textual.nullish(),
  AvidPayChecknumber: textual.nullish(),
  Amount: decimal,
  Currency: opt(z.string()),
  PaymentDate: opt(z.string()),
  PaymentMethod: opt(status),
  Status: status,
  ClearedDate: z.string().nullish(),
  Payee: opt(z.looseObject({ ExternalId: opt(identifier), Name: opt(z.string()) })),
  Remittance: opt(
    z.array(
      z.looseObject({
        InvoiceId: id.nullish(),
        ExternalInvoiceId: z.string().nullish(),
        InvoiceNumber: opt(textual),
        GrossAmount: opt(decimal),
        DiscountAmount: opt(decimal),
        Amount: decimal,
      }),
    ),
  ).transform((v) => v ?? []),
  Exceptions: opt(z.array(z.looseObject({ ReasonCode: status }))).transform((v) => v ?? []),
  LastModifiedDate: opt(z.string()),
});

export const paymentHistorySchema: z.ZodType<AvidPaymentHistoryEntry> = z.looseObject({
  Id: opt(id),
  PaymentID: opt(id),
  PaymentProcessName: z.string().nullish(),
  Description: z.string().nullish(),
  Comment: z.string().nullish(),
  InsertDateTime: opt(z.string()),
});

export const voidedPaymentSchema: z.ZodType<AvidVoidedPayment> = z.looseObject({
  PaymentId: opt(id),
  Status: opt(status),
});

export const tokenResponseSchema: z.ZodType<AvidTokenResponse> = z.looseObject({
  access_token: z.string().min(1),
  token_type: opt(z.string()),
  expires_in: z.union([z.number().positive(), z.string().regex(/^\d+$/).transform(Number)]),
  scope: opt(z.string()),
});

/** Validates one value or throws a malformed-response error naming what and where (no values). */
export function parseWire<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
  request: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  // Paths and messages only: issue inputs could be a token or a customer's data.
  const issues = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  throw new AvidMalformedResponseError(
    `unexpected ${what} in the response to ${request}: ${issues}`,
    {
      request,
    },
  );
}

/** Curried `parseWire` for item parsers. */
export const wireParser =
  <T>(schema: z.ZodType<T>, what: string, request: string) =>
  (value: unknown): T =>
    parseWire(schema, value, what, request);
