/**
 * Each business object over real HTTP against the SYSPRO sandbox: the happy path changes SYSPRO's
 * tables (read back through OData), each rejection surfaces as a typed error with SYSPRO's number and
 * text, and writes whose outcome is unknown are never reported as failures or successes.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  collectAll,
  isSysproAmbiguousWriteError,
  isSysproBusinessRejectionError,
  isSysproInvalidDocumentError,
  isSysproMalformedResponseError,
  isSysproTransientError,
  type SysproConnector,
} from "../../../src/connectors/syspro/index.js";
import { startHarness, type Harness } from "./harness.js";
import { guardLeaks } from "../../setup/leaks.js";

guardLeaks();

let h: Harness;
let c: SysproConnector;
let supplier: string;
let glA: string;
let glB: string;
const onHoldGl = "6600-230";
let seq = 0;

beforeAll(async () => {
  h = await startHarness();
  c = h.connector();
  const s = h.sandbox.control.rows("ApSupplier", { OnHold: "N" }, 1)[0]!;
  supplier = s.Supplier!;
  const gls = h.sandbox.control.rows("GenMaster", { AccOnHldFlag: "N" }, 50).map((r) => r.GlCode!);
  glA = gls.find((g) => g.startsWith("5"))!;
  glB = gls.find((g) => g.startsWith("1"))!;
});

afterEach(() => {
  h.sandbox.control.clearFaults();
  h.assertNoSecretsLogged();
});

afterAll(async () => {
  await h?.close();
});

const invoice = (over: Record<string, unknown> = {}) => ({
  Supplier: supplier,
  Invoice: `OBJ-${++seq}`,
  TransactionValue: "115.00",
  TaxValue: "15.00",
  TaxCode: "A",
  InvoiceDate: "2026-10-30",
  LedgerDistribution: [
    { LedgerCode: glA, LedgerValue: "60.00" },
    { LedgerCode: glA, LedgerValue: "40.00" },
  ],
  ...over,
});

const rejection = async (p: Promise<unknown>) => {
  const err = await p.catch((e: unknown) => e);
  if (!isSysproBusinessRejectionError(err)) {
    throw new Error(`expected a rejection, got ${String(err)}`);
  }
  return err;
};

describe("APSTIN", () => {
  it("posts an invoice: ApInvoice, ApJnlSummary and ApJnlDistrib change", async () => {
    const doc = invoice();
    const result = await c.enet.postApInvoice(doc);
    expect(result).toMatchObject({ Supplier: supplier, Invoice: doc.Invoice, validateOnly: false });
    expect(result.Journal).toBeGreaterThan(0);
    const [row] = await c.odata.apInvoicesByKey([{ Supplier: supplier, Invoice: doc.Invoice }]);
    expect(row).toMatchObject({ OrigInvValue: "115.00", MthInvBal1: "115.00" });
    const [summary] = await c.odata.apJnlSummariesFor([
      { Supplier: supplier, Invoice: doc.Invoice },
    ]);
    expect(summary).toMatchObject({ TrnYear: result.TrnYear, Journal: result.Journal });
    const lines = await c.odata.apJnlDistribsFor([summary!]);
    expect(lines.map((l) => l.DistrValue).sort()).toEqual(["40.00", "60.00"]);
    // COMFND finds it too (the check after an ambiguous failure).
    const found = await c.enet.find({
      TableName: "ApInvoice",
      Columns: ["Supplier", "Invoice", "MthInvBal1"],
      Where: [
        { Column: "Supplier", Value: supplier },
        { Column: "Invoice", Value: doc.Invoice },
      ],
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.Invoice).toBe(doc.Invoice);
  });

  it("validates only on a dry run: nothing changes", async () => {
    const doc = invoice();
    const result = await c.enet.postApInvoice(doc, { validateOnly: true });
    expect(result.validateOnly).toBe(true);
    expect(
      h.sandbox.control.rows("ApInvoice", { Supplier: supplier, Invoice: doc.Invoice }),
    ).toHaveLength(0);
    const dry = await rejection(
      c.enet.postApInvoice({ ...doc, Supplier: "NOSUCH" }, { validateOnly: true }),
    );
    expect(dry.validateOnly).toBe(true);
  });

  it("rejects unknown supplier, duplicate invoice, unknown and on-hold GL codes with SYSPRO's texts", async () => {
    const unknown = await rejection(c.enet.postApInvoice(invoice({ Supplier: "NOSUCH" })));
    expect(unknown.messages[0]).toMatchObject({
      field: "Supplier",
      value: "NOSUCH",
      text: "Supplier 'NOSUCH' not found",
    });
    expect(unknown.messages[0]?.number).toMatch(/^\d+$/);

    const doc = invoice();
    await c.enet.postApInvoice(doc);
    const dup = await rejection(c.enet.postApInvoice(doc));
    expect(dup.messages.map((m) => m.text)).toContain(
      `Invoice '${doc.Invoice}' already exists for supplier '${supplier}'`,
    );

    const badGl = await rejection(
      c.enet.postApInvoice(
        invoice({ LedgerDistribution: [{ LedgerCode: "9999-999", LedgerValue: "100.00" }] }),
      ),
    );
    expect(badGl.messages[0]).toMatchObject({
      number: "200101",
      text: "Ledger code '9999-999' not found",
    });

    const held = await rejection(
      c.enet.postApInvoice(
        invoice({ LedgerDistribution: [{ LedgerCode: onHoldGl, LedgerValue: "100.00" }] }),
      ),
    );
    expect(held.messages[0]).toMatchObject({
      number: "200102",
      text: `Ledger code '${onHoldGl}' is on hold`,
    });
  });

  it("refuses an undistributed amount locally: nothing is sent", async () => {
    const before = h.count("Transaction/Post");
    const err = await c.enet
      .postApInvoice(invoice({ LedgerDistribution: [{ LedgerCode: glA, LedgerValue: "99.00" }] }))
      .catch((e: unknown) => e);
    expect(isSysproInvalidDocumentError(err)).toBe(true);
    expect(h.count("Transaction/Post")).toBe(before);
  });

  it("sends a long document through Transaction/PostLD", async () => {
    const long = h.connector({ options: { maxGetQueryBytes: 2_000 } });
    const lines = Array.from({ length: 40 }, () => ({
      LedgerCode: glA,
      LedgerValue: "2.50",
      LedgerNotation: "long line",
    }));
    const doc = invoice({
      TransactionValue: "100.00",
      TaxValue: "0.00",
      LedgerDistribution: lines,
    });
    const result = await long.enet.postApInvoice(doc);
    expect(result.Invoice).toBe(doc.Invoice);
    const last = h.sandbox.control
      .requests()
      .filter((r) => r.businessObject === "APSTIN")
      .at(-1);
    expect(last?.operation).toBe("Transaction/PostLD");
    expect(last?.method).toBe("POST");
  });
});

describe("GENTJL", () => {
  it("posts a balanced journal and rejects an on-hold ledger code", async () => {
    const journal = {
      JournalReference: `AVP-J-${++seq}`,
      JournalDate: "2026-10-30",
      JournalDetails: [
        { LedgerCode: glA, EntryAmount: "250.00", Reference: "re-code" },
        { LedgerCode: glB, EntryAmount: "-250.00" },
      ],
    };
    const result = await c.enet.postGlJournal(journal);
    expect(result).toMatchObject({ DebitAmount: "250.00", CreditAmount: "250.00" });
    expect(result.GlJournal).toBeGreaterThan(0);
    const held = await rejection(
      c.enet.postGlJournal({
        ...journal,
        JournalDetails: [
          { LedgerCode: onHoldGl, EntryAmount: "1.00" },
          { LedgerCode: glB, EntryAmount: "-1.00" },
        ],
      }),
    );
    expect(held.messages[0]?.text).toBe(`Ledger code '${onHoldGl}' is on hold`);
  });
});

describe("APSTPM", () => {
  it("pays an invoice: the open balance drops and ApInvoicePay carries our reference", async () => {
    const doc = invoice();
    await c.enet.postApInvoice(doc);
    const reference = `AVP-P-${++seq}`;
    const paid = await c.enet.postApManualPay({
      Supplier: supplier,
      Cheque: reference,
      ChequeDate: "2026-10-31",
      ChequeValue: "100.00",
      ReleasedInvoice: [{ Invoice: doc.Invoice, GrossPayValue: "100.00" }],
    });
    expect(paid.validateOnly).toBe(false);
    const [row] = await c.odata.apInvoicesByKey([{ Supplier: supplier, Invoice: doc.Invoice }]);
    expect(row?.MthInvBal1).toBe("15.00");
    expect(await c.odata.apInvoicePaysByReference(reference)).toEqual([
      {
        Supplier: supplier,
        Invoice: doc.Invoice,
        PaymentReference: reference,
        PostValue: "100.00",
      },
    ]);

    const over = await rejection(
      c.enet.postApManualPay({
        Supplier: supplier,
        Cheque: `AVP-P-${++seq}`,
        ChequeValue: "50.00",
        ReleasedInvoice: [{ Invoice: doc.Invoice, GrossPayValue: "50.00" }],
      }),
    );
    expect(over.messages[0]?.text).toMatch(/exceeds its outstanding balance/);
    const reused = await rejection(
      c.enet.postApManualPay({
        Supplier: supplier,
        Cheque: reference,
        ChequeValue: "1.00",
        ReleasedInvoice: [{ Invoice: doc.Invoice, GrossPayValue: "1.00" }],
      }),
    );
    expect(reused.messages[0]?.text).toMatch(/already been used/);
  });
});

describe("APSSSP", () => {
  it("adds and updates a supplier, and rejects a duplicate add", async () => {
    const code = `S${String(900000 + ++seq)}`;
    const added = await c.enet.addSupplier({
      Supplier: code,
      SupplierName: "Sandbox & Sons",
      Currency: "USD",
      TermsCode: "30",
    });
    expect(added.Supplier).toBe(code);
    await c.enet.updateSupplier({ Supplier: code, SupplierName: "Sandbox & Daughters" });
    const [row] = await collectAll(c.odata.apSuppliers()).then((all) =>
      all.filter((s) => s.Supplier === code),
    );
    expect(row?.SupplierName).toBe("Sandbox & Daughters");
    const dup = await rejection(c.enet.addSupplier({ Supplier: code, SupplierName: "Again" }));
    expect(dup.messages[0]?.text).toMatch(/Duplicate key|already exists/);
  });
});

describe("queries", () => {
  it("APSQRY, PORQRY, GENQRY and COMFND answer from SYSPRO's tables", async () => {
    const s = await c.enet.querySupplier(supplier);
    expect(s.Supplier).toBe(supplier);
    expect(s.InvoiceDetail.length).toBeGreaterThan(0);
    const po = h.sandbox.control.rows("PorMasterHdr", {}, 1)[0]!;
    expect((await c.enet.queryPurchaseOrder(po.PurchaseOrder!)).Supplier).toBe(po.Supplier);
    expect((await c.enet.queryLedgerCode(glA)).GlCode).toBe(glA);
    const terms = await c.enet.find({
      TableName: "TblApTerms",
      Columns: ["TermsCode", "Description"],
    });
    expect(terms.length).toBeGreaterThan(0);
    const missing = await rejection(c.enet.queryLedgerCode("0000-000"));
    expect(missing.messages[0]?.text).toMatch(/not found/);
  });

  it("surfaces each query's ERROR text as a typed rejection (APSQRY, PORQRY, GENQRY, COMFND)", async () => {
    const texts = await Promise.all([
      rejection(c.enet.querySupplier("ZZNOSUP")),
      rejection(c.enet.queryPurchaseOrder("999999")),
      rejection(c.enet.queryLedgerCode("9999-999")),
      rejection(c.enet.find({ TableName: "ApBank", Columns: ["Bank"] })),
      rejection(c.enet.find({ TableName: "TblApTerms", Columns: ["NoSuchColumn"] })),
    ]).then((errors) => errors.map((e) => e.messages.map((m) => m.text).join(" | ")));
    // SYSPRO's text verbatim, prefix included.
    expect(texts).toEqual([
      "ERROR: Supplier 'ZZNOSUP' not found",
      "ERROR: Purchase order '999999' not found",
      "ERROR: Ledger code '9999-999' not found",
      "ERROR: Table 'ApBank' is not available for COMFND",
      "ERROR: Column 'NoSuchColumn' not found on table 'TblApTerms'",
    ]);
  });
});

describe("every contract variant parses", () => {
  const wrappings = ["plain", "json", "string-element"] as const;
  const roots = ["lower", "original"] as const;
  const counters = ["zero", "space", "plain"] as const;
  const declarations = ["windows-1252", "utf-8", "none"] as const;
  it.each(
    wrappings.flatMap((w) =>
      roots.flatMap((r) => counters.flatMap((n) => declarations.map((d) => [w, r, n, d] as const))),
    ),
  )(
    "wrapping %s, root %s, counters %s, declaration %s",
    async (wrapping, rootCase, counter, declaration) => {
      h.sandbox.control.setVariants({ wrapping, rootCase, counters: counter, declaration });
      try {
        const v = h.connector({ store: h.store() });
        const dry = await v.enet.postApInvoice(invoice(), { validateOnly: true });
        expect(dry.counters).toMatchObject({ ItemsProcessed: 1, ItemsInvalid: 0 });
        expect((await v.enet.queryLedgerCode(glA)).GlCode).toBe(glA);
        const err = await rejection(
          v.enet.postApInvoice(invoice({ Supplier: "NOSUCH" }), { validateOnly: true }),
        );
        expect(err.messages[0]?.text).toBe("Supplier 'NOSUCH' not found");
        await v.close();
      } finally {
        h.sandbox.control.setVariants({
          wrapping: "plain",
          rootCase: "lower",
          counters: "zero",
          declaration: "windows-1252",
        });
      }
    },
  );
});

describe("faults", () => {
  // The variant tests logged other connectors on with the same operator: start on a live session,
  // so each fault hits the call it is meant for rather than a re-logon.
  beforeEach(async () => {
    await c.enet.getLogonProfile();
  });

  it("refuses malformed, truncated and DOCTYPE responses to a query", async () => {
    for (const kind of ["malformed-xml", "truncated-xml", "doctype-xml"] as const) {
      h.sandbox.control.addFault({ kind, operation: "Query/Query" });
      const err = await c.enet.queryLedgerCode(glA).catch((e: unknown) => e);
      expect(isSysproMalformedResponseError(err) && err.reason, String(err)).toBe(
        kind === "doctype-xml" ? "doctype" : "invalid_xml",
      );
    }
  });

  it("reports a post whose answer was spoiled after it ran as ambiguous (it did post)", async () => {
    for (const fault of [
      { kind: "truncated-xml" } as const,
      { kind: "doctype-xml" } as const,
      { kind: "reset", phase: "after" } as const,
      { kind: "status", status: 502, phase: "after" } as const,
    ]) {
      const doc = invoice();
      h.sandbox.control.addFault({
        ...fault,
        operation: "Transaction/Post",
        businessObject: "APSTIN",
      });
      const before = h.count("Transaction/Post");
      const err = await c.enet.postApInvoice(doc).catch((e: unknown) => e);
      expect(isSysproAmbiguousWriteError(err)).toBe(true);
      expect(h.count("Transaction/Post")).toBe(before + 1); // never retried
      expect(
        h.sandbox.control.rows("ApInvoice", { Supplier: supplier, Invoice: doc.Invoice }),
      ).toHaveLength(1);
    }
  });

  it("retries a query through a 503, but never a post", async () => {
    h.sandbox.control.addFault({ kind: "status", status: 503, operation: "Query/Query" });
    expect((await c.enet.queryLedgerCode(glA)).GlCode).toBe(glA);
    h.sandbox.control.addFault({ kind: "status", status: 503, operation: "Transaction/Post" });
    const before = h.count("Transaction/Post");
    const err = await c.enet.postApInvoice(invoice()).catch((e: unknown) => e);
    expect(isSysproAmbiguousWriteError(err) && err.reason).toBe("server_error");
    expect(h.count("Transaction/Post")).toBe(before + 1);
  });

  it("times out a hung query as transient", async () => {
    const quick = h.connector({
      options: { timeouts: { headersMs: 300, totalMs: 300 }, retry: { maxAttempts: 1 } },
    });
    h.sandbox.control.addFault({ kind: "hang", operation: "Query/Query" });
    const err = await quick.enet.queryLedgerCode(glA).catch((e: unknown) => e);
    expect(isSysproTransientError(err)).toBe(true);
  });
});
