/**
 * Raw-HTTP helpers for the AvidXchange sandbox tests. Deliberately not the connector: these tests pin
 * the sandbox to the contract on their own.
 */
import { afterEach } from "vitest";

import type { AvidSandbox, AvidSandboxOptions } from "../../../sandboxes/avidxchange/index.js";
import { createAvidSandbox, DEFAULT_COMPANY_ID } from "../../../sandboxes/avidxchange/index.js";

export const CLIENT_ID = "med-avid-client";
export const CLIENT_SECRET = "med-avid-secret";
export const COMPANY = DEFAULT_COMPANY_ID;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const started: AvidSandbox[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

/** A small, unthrottled sandbox on port 0, closed after the test. */
export async function startSandbox(options: AvidSandboxOptions = {}): Promise<AvidSandbox> {
  const sandbox = createAvidSandbox({
    reference: { suppliers: 12, invoices: 300, purchaseOrders: 40 },
    rateLimit: false,
    ...options,
  });
  started.push(sandbox);
  await sandbox.listen();
  return sandbox;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary wire JSON
  json: any;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function requestToken(
  sandbox: AvidSandbox,
  body = "grant_type=client_credentials",
  headers: Record<string, string> = { authorization: basic(CLIENT_ID, CLIENT_SECRET) },
  path = "/token",
): Promise<Answer> {
  const res = await fetch(`${sandbox.gatewayUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
  return answer(res);
}

export async function token(
  sandbox: AvidSandbox,
  id = CLIENT_ID,
  secret = CLIENT_SECRET,
): Promise<string> {
  const res = await requestToken(sandbox, "grant_type=client_credentials", {
    authorization: basic(id, secret),
  });
  if (res.status !== 200) {
    throw new Error(`token request failed: ${res.status} ${res.text}`);
  }
  return (res.json as { access_token: string }).access_token;
}

export interface CallOptions {
  token?: string | null;
  company?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A resource call: Bearer token and company header unless set to null. */
export async function call(
  sandbox: AvidSandbox,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  const bearer = options.token === undefined ? await token(sandbox) : options.token;
  if (bearer !== null) {
    headers.authorization = `Bearer ${bearer}`;
  }
  const company = options.company === undefined ? COMPANY : options.company;
  if (company !== null) {
    headers[sandbox.companyHeader] = company;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(`${sandbox.gatewayUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return answer(res);
}

/**
 * A client for one company. It fetches a fresh token for every call, so tests can move the simulated
 * clock past token expiry without caring.
 */
export async function client(sandbox: AvidSandbox, company = COMPANY) {
  return (method: string, path: string, options: CallOptions = {}) =>
    call(sandbox, method, path, { company, ...options });
}

export type Client = Awaited<ReturnType<typeof client>>;

/** A vendor upsert body item. */
export function vendor(code: string, name = `Vendor ${code}`): Record<string, unknown> {
  return {
    ExternalVendorCode: code,
    Name: name,
    NameOnCheck: name,
    Address: {
      Line1: "1 Main St",
      Line2: "",
      City: "Chicago",
      State: "IL",
      Country: "USA",
      PostalCode: "60601",
    },
    Active: true,
  };
}

/** A valid invoice for `vendorCode`: lines total 1000.00 + tax 150.00 = 1150.00 unless overridden. */
export function invoice(
  externalId: string,
  vendorCode: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ExternalInvoiceId: externalId,
    InvoiceNumber: `INV-${externalId}`,
    VendorExternalCode: vendorCode,
    InvoiceDate: "2026-10-20",
    DueDate: "2026-11-19",
    Currency: "USD",
    Amount: 1150.0,
    TaxAmount: 150.0,
    TransactionId: `TX-${externalId}`,
    Lines: [
      {
        LineNumber: 1,
        Amount: 600.0,
        Description: "Office supplies",
        GLCode: { CodeValue: "6100" },
        Dimensions: [{ GroupName: "Department", CodeValue: "210" }],
      },
      {
        LineNumber: 2,
        Amount: 400.0,
        Description: "Packaging",
        GLCode: { CodeValue: "7100" },
        Dimensions: [{ GroupName: "Department", CodeValue: "220" }],
      },
    ],
    ...overrides,
  };
}

/** Simulated-clock start of every test sandbox. */
export const START = "2026-11-02T08:00:00.000Z";

/** Polls `condition` (every 5 ms, for up to 5 s) — for events on the server side of a hung request. */
export async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("waitFor: condition never became true");
}
