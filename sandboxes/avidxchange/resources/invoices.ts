/**
 * `/v1/invoices` (§9.4): POST sends invoices into approval with per-item validation inside HTTP 200 and
 * idempotency on `ExternalInvoiceId`; GET lists by lastModified window, external ids or invoice ids.
 * The validation messages are the contract's, word for word.
 */
import { codeKey, vendorNumberKey } from "../dataset.js";
import { isoDate } from "../dates.js";
import type { ItemResult } from "../envelopes.js";
import { pagedReply, resultsReply } from "../envelopes.js";
import {
  batchItems,
  isObject,
  listParam,
  parseJsonObject,
  str,
  validationError,
} from "../http-io.js";
import { startInvoiceLifecycle } from "../lifecycle/invoices.js";
import type { Dimension, Invoice, InvoiceLine } from "../model.js";
import { invoiceStatus, renderInvoice } from "../model.js";
import type { MoneyProblem } from "../money.js";
import { formatCents, parseCents } from "../money.js";
import type { ApiCall, Handler } from "./call.js";
import { byWindow, pageRequest, windowOf } from "./call.js";

const SOURCE = "invoices";
const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

function moneyMessage(field: string, problem: MoneyProblem): string {
  switch (problem) {
    case "missing":
      return `${field} is required`;
    case "not-a-number":
      return `${field} must be a number`;
    case "too-many-decimals":
      return `${field} must have at most 2 decimal places`;
  }
}

/** Collects messages once each, in first-seen order. */
class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    if (!this.list.includes(message)) {
      this.list.push(message);
    }
  }
}

function readLines(
  call: ApiCall,
  raw: unknown,
  problems: Problems,
): { lines: InvoiceLine[]; valid: boolean } {
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.add("Lines are required");
    return { lines: [], valid: false };
  }
  const lines: InvoiceLine[] = [];
  let valid = true;
  const glGroup = call.world.options.glGroupName;
  raw.forEach((item: unknown, index) => {
    if (!isObject(item)) {
      problems.add(`Line ${index + 1} must be an object`);
      valid = false;
      return;
    }
    const lineNumber = typeof item.LineNumber === "number" ? item.LineNumber : index + 1;
    const amount = parseCents(item.Amount);
    if (typeof amount !== "number") {
      problems.add(`Line ${lineNumber}: ${moneyMessage("Amount", amount)}`);
      valid = false;
    }
    const gl = isObject(item.GLCode)
      ? str(item.GLCode, "CodeValue").trim()
      : str(item, "GLCode").trim();
    if (!gl) {
      problems.add(`Line ${lineNumber}: GLCode is required`);
      valid = false;
    } else {
      const code = call.ds.codes.get(codeKey(glGroup, gl));
      if (!code) {
        problems.add(`GL code ${gl} not found`);
      } else if (!code.IsActive) {
        problems.add(`GL code ${gl} is not active`);
      }
    }
    const dimensions: Dimension[] = [];
    for (const d of Array.isArray(item.Dimensions) ? (item.Dimensions as unknown[]) : []) {
      const group = isObject(d) ? str(d, "GroupName").trim() : "";
      const value = isObject(d) ? str(d, "CodeValue").trim() : "";
      const code = call.ds.codes.get(codeKey(group, value));
      if (!code) {
        problems.add(`Dimension ${group}/${value} not found`);
      } else if (!code.IsActive) {
        problems.add(`Dimension ${group}/${value} is not active`);
      }
      dimensions.push({ GroupName: group, CodeValue: value });
    }
    lines.push({
      LineNumber: lineNumber,
      amountCents: typeof amount === "number" ? amount : 0,
      Description: str(item, "Description"),
      GLCode: gl,
      Dimensions: dimensions,
    });
  });
  return { lines, valid };
}

function acceptInvoice(call: ApiCall, raw: unknown): ItemResult {
  if (!isObject(raw)) {
    return { ok: false, errors: ["Invoice must be an object"], item: null };
  }
  const transactionId = str(raw, "TransactionId") || null;
  const resultItem = (inv: Invoice) => ({
    InvoiceId: inv.InvoiceId,
    ExternalInvoiceId: inv.ExternalInvoiceId,
    Status: invoiceStatus(inv.status),
    TransactionId: transactionId,
  });
  const problems = new Problems();
  const externalId = str(raw, "ExternalInvoiceId").trim();
  if (!externalId) {
    problems.add("ExternalInvoiceId is required");
  } else {
    const existing = call.ds.invoicesByExternalId.get(externalId);
    if (existing) {
      return { ok: true, errors: [], item: resultItem(existing) };
    }
  }
  const number = str(raw, "InvoiceNumber").trim();
  if (!number) {
    problems.add("InvoiceNumber is required");
  }
  const vendor = str(raw, "VendorExternalCode").trim();
  if (!vendor) {
    problems.add("VendorExternalCode is required");
  } else if (!call.ds.vendors.has(vendor)) {
    problems.add(`Vendor ${vendor} not found`);
  }
  const amount = parseCents(raw.Amount);
  if (typeof amount !== "number") {
    problems.add(moneyMessage("Amount", amount));
  }
  const tax = raw.TaxAmount === undefined || raw.TaxAmount === null ? 0 : parseCents(raw.TaxAmount);
  if (typeof tax !== "number") {
    problems.add(moneyMessage("TaxAmount", tax));
  }
  const currency = (str(raw, "Currency").trim() || "USD").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    problems.add("Currency must be a 3-letter ISO code");
  }
  for (const field of ["InvoiceDate", "DueDate"] as const) {
    const value = str(raw, field);
    if (value && !DATE_PREFIX.test(value)) {
      problems.add(`${field} is not a valid date`);
    }
  }
  const { lines, valid } = readLines(call, raw.Lines, problems);
  if (valid && typeof amount === "number" && typeof tax === "number") {
    const total = lines.reduce((sum, l) => sum + l.amountCents, 0);
    if (total !== amount - tax) {
      problems.add(
        `Lines total ${formatCents(total)} does not equal Amount less TaxAmount ${formatCents(amount - tax)}`,
      );
    }
  }
  if (number && vendor && call.ds.invoicesByVendorNumber.has(vendorNumberKey(vendor, number))) {
    problems.add(`Duplicate invoice ${number} for vendor ${vendor}`);
  }
  if (problems.list.length > 0 || typeof amount !== "number" || typeof tax !== "number") {
    return { ok: false, errors: problems.list, item: null };
  }
  const inv: Invoice = {
    InvoiceId: call.ds.ids.invoice++,
    ExternalInvoiceId: externalId,
    InvoiceNumber: number,
    VendorExternalCode: vendor,
    InvoiceDate: str(raw, "InvoiceDate").slice(0, 10) || isoDate(call.now),
    DueDate: str(raw, "DueDate").slice(0, 10),
    Currency: currency,
    amountCents: amount,
    taxCents: tax,
    PONumber: str(raw, "PONumber"),
    Memo: str(raw, "Memo"),
    TransactionId: transactionId,
    status: "Received",
    lines,
    history: [],
    stepsRequired: 1,
    stepsDone: 0,
    recoded: false,
    paymentId: null,
    epoch: 0,
    createdMs: call.now,
    lastModifiedMs: call.now,
  };
  call.ds.invoices.set(inv.InvoiceId, inv);
  call.ds.invoicesByExternalId.set(externalId, inv);
  call.ds.invoicesByVendorNumber.set(vendorNumberKey(vendor, number), inv);
  startInvoiceLifecycle(call.world, call.ds, inv, call.now);
  return { ok: true, errors: [], item: resultItem(inv) };
}

export const postInvoices: Handler = (call) => {
  const body = parseJsonObject(call.body, SOURCE);
  const items = batchItems(body, "Invoices", call.world.options.maxBatchItems, SOURCE);
  return resultsReply(
    call.world.variants,
    items.map((raw) => acceptInvoice(call, raw)),
  );
};

function idList(call: ApiCall, name: string): number[] | null {
  const raw = listParam(call.query, name);
  if (raw === null) {
    return null;
  }
  return raw.map((v) => {
    if (!/^\d+$/.test(v)) {
      throw validationError(`${name} must be a comma-separated list of integers`, SOURCE);
    }
    return Number(v);
  });
}

export const listInvoices: Handler = (call) => {
  const externalIds = listParam(call.query, "externalInvoiceIds");
  const ids = idList(call, "invoiceIds");
  let items = byWindow([...call.ds.invoices.values()], windowOf(call, SOURCE));
  if (externalIds) {
    const wanted = new Set(externalIds);
    items = items.filter((inv) => wanted.has(inv.ExternalInvoiceId));
  }
  if (ids) {
    const wanted = new Set(ids);
    items = items.filter((inv) => wanted.has(inv.InvoiceId));
  }
  items.sort((a, b) => a.InvoiceId - b.InvoiceId);
  return pagedReply(pageRequest(call, "invoices", SOURCE), items, renderInvoice);
};
