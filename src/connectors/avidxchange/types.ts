/**
 * AvidXchange wire types, named as AvidXchange names them (contract §7.6, §9). Two differences from
 * the raw JSON, both made at the edge (`wire-json.ts`, `schemas.ts`): amounts are decimal strings
 * (`"1150.00"`, never floats), and `Results` / `Successful` variants are normalised away.
 * Records keep members we do not model (`[member: string]: unknown`) so the raw payload survives.
 */

/** A decimal amount as text, e.g. `"1150.00"`: exactly the digits AvidXchange sent. */
export type DecimalString = string;

/** AvidXchange's `{ Id, Description }` status object; only `Description` is reliable (§2.4). */
export interface AvidStatus {
  readonly Id?: number | null | undefined;
  readonly Description: string;
}

/** An identifier object (`ExternalPaymentIds: [{ Value }]`, `Payee.ExternalId`). */
export interface AvidIdentifier {
  readonly Value: string;
}

export interface AvidAddress {
  readonly Line1?: string | undefined;
  readonly Line2?: string | undefined;
  readonly City?: string | undefined;
  readonly State?: string | undefined;
  readonly Country?: string | undefined;
  readonly PostalCode?: string | undefined;
}

// ── Vendors (§7.6, §9.3) ─────────────────────────────────────────────────────────────────────

/** What we send: upsert by `ExternalVendorCode` (the SYSPRO supplier code). */
export interface AvidVendorInput {
  readonly ExternalVendorCode: string;
  readonly Name: string;
  readonly NameOnCheck?: string | undefined;
  readonly FedTaxId?: string | undefined;
  readonly Address?: AvidAddress | undefined;
  readonly Telephone1?: string | undefined;
  readonly Email?: string | undefined;
  readonly Website?: string | undefined;
  readonly Active?: boolean | undefined;
}

export interface AvidVendor {
  readonly ExternalVendorCode: string;
  readonly VendorId?: number | undefined;
  readonly Name?: string | undefined;
  readonly LastModifiedDate?: string | undefined;
  readonly [member: string]: unknown;
}

// ── Enterprise codes: GL accounts and dimension values in one list (§3, §9.3) ───────────────

export interface AvidEnterpriseCode {
  readonly GroupName: string;
  readonly CodeValue: string;
  readonly Description?: string | null | undefined;
  readonly IsActive: boolean;
  readonly LastModifiedDate?: string | undefined;
  readonly [member: string]: unknown;
}

// ── Purchase orders (§3, §9.3) ───────────────────────────────────────────────────────────────

export interface AvidPurchaseOrderLineInput {
  readonly ExternalCode: string;
  readonly Item?:
    | {
        readonly ProductCode?: string | undefined;
        readonly ProductDesc?: string | undefined;
        readonly Quantity?: DecimalString | undefined;
        readonly UOM?: string | undefined;
      }
    | undefined;
  readonly Amount: DecimalString;
  readonly PricePer?: DecimalString | undefined;
}

/** Upsert by `ExternalCode` (the SYSPRO PO number). */
export interface AvidPurchaseOrderInput {
  readonly ExternalCode: string;
  readonly OrderNumber?: string | undefined;
  readonly RequisitionName?: string | undefined;
  readonly VendorExternalCode: string;
  readonly BillToCompanyExternalCode?: string | undefined;
  readonly ShipToCompanyExternalCode?: string | undefined;
  readonly EndDate?: string | undefined;
  readonly ShippingMethod?: string | undefined;
  readonly Taxes?: DecimalString | undefined;
  readonly Discount?: DecimalString | undefined;
  readonly TotalAmount?: DecimalString | undefined;
  readonly LineItems?: readonly AvidPurchaseOrderLineInput[] | undefined;
}

export interface AvidPurchaseOrder {
  readonly ExternalCode: string;
  readonly [member: string]: unknown;
}

// ── Invoices into approval (§9.4) ────────────────────────────────────────────────────────────

export interface AvidDimensionValue {
  readonly GroupName: string;
  readonly CodeValue: string;
}

export interface AvidInvoiceLine {
  readonly LineNumber: number;
  readonly Amount: DecimalString;
  readonly Description?: string | undefined;
  readonly GLCode: { readonly CodeValue: string };
  readonly Dimensions?: readonly AvidDimensionValue[] | undefined;
}

export interface AvidInvoiceInput {
  /** Our idempotency key: `ERP-<connection>-<supplier>-<invoice>`. */
  readonly ExternalInvoiceId: string;
  readonly InvoiceNumber: string;
  readonly VendorExternalCode: string;
  readonly InvoiceDate: string;
  readonly DueDate?: string | undefined;
  readonly Currency: string;
  readonly Amount: DecimalString;
  readonly TaxAmount?: DecimalString | undefined;
  readonly PONumber?: string | undefined;
  readonly Memo?: string | undefined;
  /** Our transaction ID, echoed back for audit. */
  readonly TransactionId?: string | undefined;
  readonly Lines: readonly AvidInvoiceLine[];
}

/** The `Item` of a successful invoice post. */
export interface AvidInvoicePosted {
  readonly InvoiceId: number;
  readonly ExternalInvoiceId?: string | undefined;
  readonly Status?: AvidStatus | undefined;
  readonly [member: string]: unknown;
}

export interface AvidApprovalStep {
  readonly Step?: number | undefined;
  readonly Approver?: string | undefined;
  readonly Action: string;
  readonly Comment?: string | null | undefined;
  readonly DateTime?: string | undefined;
}

/** An invoice as AvidXchange reports it; `Lines` carry an approver's re-coding. */
export interface AvidInvoice {
  readonly InvoiceId: number;
  readonly ExternalInvoiceId?: string | null | undefined;
  readonly InvoiceNumber: string;
  readonly VendorExternalCode?: string | undefined;
  readonly Amount: DecimalString;
  readonly TaxAmount?: DecimalString | undefined;
  readonly Currency?: string | undefined;
  readonly Status: AvidStatus;
  readonly Lines: readonly AvidInvoiceLine[];
  readonly ApprovalHistory: readonly AvidApprovalStep[];
  readonly LastModifiedDate?: string | undefined;
  readonly [member: string]: unknown;
}

// ── Payments (§2.4, §7.6, §9.5) ──────────────────────────────────────────────────────────────

export interface AvidRemittanceLine {
  readonly InvoiceId?: number | null | undefined;
  readonly ExternalInvoiceId?: string | null | undefined;
  readonly InvoiceNumber?: string | undefined;
  readonly GrossAmount?: DecimalString | undefined;
  readonly DiscountAmount?: DecimalString | undefined;
  readonly Amount: DecimalString;
  readonly [member: string]: unknown;
}

export interface AvidPaymentException {
  readonly ReasonCode: AvidStatus;
}

export interface AvidPayment {
  readonly PaymentId: number;
  readonly BatchId?: string | null | undefined;
  readonly ExternalPaymentIds?: readonly AvidIdentifier[] | undefined;
  readonly CheckNumber?: string | null | undefined;
  readonly AvidPayChecknumber?: string | null | undefined;
  readonly Amount: DecimalString;
  readonly Currency?: string | undefined;
  readonly PaymentDate?: string | undefined;
  readonly PaymentMethod?: AvidStatus | undefined;
  readonly Status: AvidStatus;
  readonly ClearedDate?: string | null | undefined;
  readonly Payee?:
    | { readonly ExternalId?: AvidIdentifier | undefined; readonly Name?: string | undefined }
    | undefined;
  readonly Remittance: readonly AvidRemittanceLine[];
  readonly Exceptions: readonly AvidPaymentException[];
  readonly LastModifiedDate?: string | undefined;
  readonly [member: string]: unknown;
}

/** One row of `GET /v1/payments/{id}/paymenthistory` (a plain array, §2.4). */
export interface AvidPaymentHistoryEntry {
  readonly Id?: number | undefined;
  readonly PaymentID?: number | undefined;
  readonly PaymentProcessName?: string | null | undefined;
  readonly Description?: string | null | undefined;
  readonly Comment?: string | null | undefined;
  readonly InsertDateTime?: string | undefined;
  readonly [member: string]: unknown;
}

/** The `Item` of a void result (`DELETE /v1/payments`). */
export interface AvidVoidedPayment {
  readonly PaymentId?: number | undefined;
  readonly Status?: AvidStatus | undefined;
  readonly [member: string]: unknown;
}

// ── Tokens (§4.1, §7.2) ──────────────────────────────────────────────────────────────────────

export interface AvidTokenResponse {
  readonly access_token: string;
  readonly token_type?: string | undefined;
  readonly expires_in: number;
  readonly scope?: string | undefined;
}
