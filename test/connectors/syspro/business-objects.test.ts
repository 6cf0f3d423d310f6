import { describe, expect, it } from "vitest";

import {
  buildSetupApSupplier,
  parseSetupApSupplier,
} from "../../../src/connectors/syspro/business-objects/apsssp.js";
import {
  buildPostApInvoice,
  parsePostApInvoice,
} from "../../../src/connectors/syspro/business-objects/apstin.js";
import {
  buildPostApManualPay,
  parsePostApManualPay,
} from "../../../src/connectors/syspro/business-objects/apstpm.js";
import {
  buildComfnd,
  parseComfnd,
} from "../../../src/connectors/syspro/business-objects/comfnd.js";
import {
  buildPostGlJournal,
  parsePostGlJournal,
} from "../../../src/connectors/syspro/business-objects/gentjl.js";
import {
  buildApSupplierQuery,
  parseApSupplierQuery,
  parseLedgerQuery,
  parsePurchaseOrderQuery,
} from "../../../src/connectors/syspro/business-objects/queries.js";
import {
  isSysproBusinessRejectionError,
  isSysproInvalidDocumentError,
  isSysproMalformedResponseError,
} from "../../../src/connectors/syspro/errors.js";
import { child, parseXml, textOf } from "../../../src/connectors/syspro/xml.js";
import { fixture } from "./fixtures.js";

const invoice = {
  Supplier: "0000001",
  Invoice: "INV-1001",
  TransactionValue: "115.00",
  TaxCode: "A",
  TaxValue: "15",
  InvoiceDate: "2026-10-01",
  TransactionReference: "PO 000419",
  LedgerDistribution: [
    { LedgerCode: "00-4100", LedgerValue: "60.5", LedgerNotation: "Office & supplies" },
    { LedgerCode: "00-4200", LedgerValue: "39.50" },
  ],
};

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
};

describe("APSTIN", () => {
  it("builds parameters and one item in XSD order with exact amounts", () => {
    const doc = buildPostApInvoice(invoice, { validateOnly: true });
    expect(doc.businessObject).toBe("APSTIN");
    expect(doc.xmlParameters).toContain(
      "<ApplyIfEntireDocumentValid>Y</ApplyIfEntireDocumentValid>",
    );
    expect(doc.xmlParameters).toContain("<ValidateOnly>Y</ValidateOnly>");
    expect(doc.xmlIn).toBe(
      '<PostApInvoice xmlns:xsd="http://www.w3.org/2001/XMLSchema-instance" xsd:noNamespaceSchemaLocation="APSTINDOC.XSD"><Item>' +
        "<Supplier>0000001</Supplier><TransactionCode>I</TransactionCode><Invoice>INV-1001</Invoice>" +
        "<TransactionValue>115.00</TransactionValue><TransactionReference>PO 000419</TransactionReference>" +
        "<InvoiceDate>2026-10-01</InvoiceDate><TaxCode>A</TaxCode><TaxValue>15.00</TaxValue>" +
        "<LedgerDistribution><LedgerCode>00-4100</LedgerCode><LedgerNotation>Office &amp; supplies</LedgerNotation><LedgerValue>60.50</LedgerValue></LedgerDistribution>" +
        "<LedgerDistribution><LedgerCode>00-4200</LedgerCode><LedgerValue>39.50</LedgerValue></LedgerDistribution>" +
        "</Item></PostApInvoice>",
    );
    expect(buildPostApInvoice(invoice).xmlParameters).toContain("<ValidateOnly>N</ValidateOnly>");
  });

  it("refuses what SYSPRO would silently drop or misread, before sending", () => {
    const cases: [unknown, string][] = [
      [{ ...invoice, Telephone: "x" }, ""],
      [{ ...invoice, TransactionValue: 115 }, "TransactionValue"],
      [{ ...invoice, TransactionValue: "115.001" }, "TransactionValue"],
      [{ ...invoice, TransactionValue: "1e3" }, "TransactionValue"],
      [{ ...invoice, InvoiceDate: "2026-02-30" }, "InvoiceDate"],
      [{ ...invoice, Supplier: " 0000001" }, "Supplier"],
      [
        { ...invoice, LedgerDistribution: [{ LedgerCode: "00-4100", LedgerValue: "99.99" }] },
        "LedgerDistribution",
      ],
    ];
    for (const [input, path] of cases) {
      const err = thrown(() => buildPostApInvoice(input as typeof invoice));
      expect(isSysproInvalidDocumentError(err) && err.issues.map((i) => i.path)).toContain(path);
    }
  });

  it("parses the journal key of SYSPRO's sample output", () => {
    expect(parsePostApInvoice(fixture("apstin-out-success.xml"), false)).toEqual({
      validateOnly: false,
      warnings: [],
      counters: { ItemsProcessed: 2, ItemsInvalid: 0 },
      Supplier: "AZT001",
      Invoice: "1",
      TrnYear: 2006,
      TrnMonth: 12,
      Journal: 17,
      EntryNumber: 1,
      GlJournal: { GlYear: 2006, GlPeriod: 2, GlJournal: 268 },
    });
  });

  it("keeps warnings on success and turns every error into one typed rejection", () => {
    expect(parsePostApInvoice(fixture("sortoi-warnings.xml"), false).warnings).toEqual([
      "Supplier '0000001' is on hold",
    ]);
    const err = thrown(() => parsePostApInvoice(fixture("comtcd-error-message.xml"), true));
    expect(isSysproBusinessRejectionError(err)).toBe(true);
    if (isSysproBusinessRejectionError(err)) {
      expect(err.validateOnly).toBe(true);
      expect(err.messages.map((m) => [m.number, m.text])).toEqual([
        ["100156", "Tax code '0E' not found"],
        ["110012", "Supplier 'ZZZ' not found"],
      ]);
      expect(err.message).toContain("110012: Supplier 'ZZZ' not found");
    }
  });

  it("refuses a response for another object", () => {
    const err = thrown(() => parsePostApInvoice(fixture("gentjl-out-success.xml"), false));
    expect(isSysproMalformedResponseError(err) && err.reason).toBe("unexpected_shape");
  });
});

describe("GENTJL", () => {
  const journal = {
    JournalReference: "AVP-123",
    JournalDate: "2026-10-05",
    JournalDetails: [
      { LedgerCode: "00-2100", EntryAmount: "100.00", Reference: "AVP-123" },
      { LedgerCode: "00-1010", EntryAmount: "-100" },
    ],
  };

  it("builds a balanced journal, debits positive and credits negative", () => {
    const { xmlIn, xmlParameters } = buildPostGlJournal(journal);
    expect(xmlIn).toContain(
      "<JournalDetails><LedgerCode>00-2100</LedgerCode><Reference>AVP-123</Reference><EntryAmount>100.00</EntryAmount><DeleteEntry>N</DeleteEntry></JournalDetails>",
    );
    expect(xmlIn).toContain("<EntryAmount>-100.00</EntryAmount>");
    expect(xmlIn).toContain("<JournalReference>AVP-123</JournalReference>");
    expect(xmlParameters).toContain("<ApplyIfEntireDocumentValid>Y</ApplyIfEntireDocumentValid>");
  });

  it("refuses an unbalanced journal", () => {
    const err = thrown(() =>
      buildPostGlJournal({
        ...journal,
        JournalDetails: [
          journal.JournalDetails[0]!,
          { LedgerCode: "00-1010", EntryAmount: "-99.99" },
        ],
      }),
    );
    expect(isSysproInvalidDocumentError(err) && err.message).toContain("does not balance");
  });

  it("parses SYSPRO's sample output (yyyymmdd date, padded counts)", () => {
    expect(parsePostGlJournal(fixture("gentjl-out-success.xml"), false)).toMatchObject({
      GlYear: 2007,
      GlPeriod: 2,
      GlJournal: 117,
      JournalDate: "2006-09-12",
      NumOfEntries: 2,
      DebitAmount: "100.00",
      CreditAmount: "100.00",
      counters: {
        JournalsProcessed: 1,
        JournalsInvalid: 0,
        PostingsProcessed: 1,
        PostingsInvalid: 0,
      },
    });
  });
});

describe("APSTPM", () => {
  const payment = {
    Supplier: "0000001",
    Cheque: "AVP-123",
    ChequeDate: "2026-10-06",
    ChequeValue: "100.00",
    ReleasedInvoice: [{ Invoice: "INV-1001", GrossPayValue: "110", DiscPayValue: "10" }],
  };

  it("builds a manual payment whose cheque value equals gross minus discount", () => {
    const { xmlIn } = buildPostApManualPay(payment);
    expect(xmlIn).toContain(
      "<Cheque>AVP-123</Cheque><ChequeValue>100.00</ChequeValue><ReleasedInvoice><Invoice>INV-1001</Invoice><GrossPayValue>110.00</GrossPayValue><DiscPayValue>10.00</DiscPayValue></ReleasedInvoice>",
    );
  });

  it("refuses a cheque value that does not add up, and an invoice released twice", () => {
    const bad = thrown(() => buildPostApManualPay({ ...payment, ChequeValue: "110.00" }));
    expect(isSysproInvalidDocumentError(bad) && bad.issues[0]?.path).toBe("ChequeValue");
    const twice = thrown(() =>
      buildPostApManualPay({
        ...payment,
        ChequeValue: "200.00",
        ReleasedInvoice: [payment.ReleasedInvoice[0]!, payment.ReleasedInvoice[0]!],
      }),
    );
    expect(isSysproInvalidDocumentError(twice) && twice.message).toContain("released twice");
  });

  it("parses SYSPRO's sample output with space-padded values", () => {
    expect(parsePostApManualPay(fixture("apstpm-out-success.xml"), false)).toMatchObject({
      PaymentNumber: "MANLOCAL",
      NumberOfInvoicesReleased: 1,
      GrossValueReleased: "110.00",
      NetValueReleased: "100.00",
    });
  });
});

describe("APSSSP", () => {
  it("builds Setup/Add in XSD order and refuses unknown fields", () => {
    const { xmlIn } = buildSetupApSupplier("add", {
      Supplier: "0000009",
      Email: "ap@x.example",
      SupplierName: "O'Brien & Co",
      Currency: "$",
    });
    expect(xmlIn).toContain(
      "<Item><Key><Supplier>0000009</Supplier></Key><SupplierName>O&apos;Brien &amp; Co</SupplierName><Currency>$</Currency><Email>ap@x.example</Email></Item>",
    );
    expect(
      isSysproInvalidDocumentError(thrown(() => buildSetupApSupplier("add", { Supplier: "1" }))),
    ).toBe(true);
    expect(
      isSysproInvalidDocumentError(
        thrown(() =>
          buildSetupApSupplier("update", { Supplier: "1", SupplierNme: "typo" } as never),
        ),
      ),
    ).toBe(true);
  });

  it("parses the lower-cased sample output and the CSHSMB-style field error", () => {
    expect(parseSetupApSupplier(fixture("apsssp-out-success.xml"), false)).toMatchObject({
      Supplier: "0000001",
      counters: { RecordsRead: 1, RecordsInvalid: 0 },
    });
    const withError = fixture("cshsmb-field-error.xml").replaceAll("setupbank", "setupapsupplier");
    const err = thrown(() => parseSetupApSupplier(withError, false));
    expect(isSysproBusinessRejectionError(err) && err.messages).toEqual([
      { text: "Duplicate key 'FB' on 'ApBank'", number: "120001", field: "bank", value: "FB" },
    ]);
  });
});

describe("queries", () => {
  it("APSQRY: builds the key as text and parses supplier, invoices and payments", () => {
    const { xmlIn } = buildApSupplierQuery("A&B");
    expect(textOf(child(child(parseXml(xmlIn).root, "Key"), "Supplier"))).toBe("A&B");
    const s = parseApSupplierQuery(fixture("apsqry-out.xml"));
    expect(s).toMatchObject({
      Supplier: "0000002",
      TermsDescription: "30 days",
      CurrentBalance: "1250.50",
    });
    expect(s.InvoiceDetail[0]).toMatchObject({
      Invoice: "INV-1001",
      MthInvBal: "15.00",
      JournalDate: "2006-11-01",
    });
    expect(s.InvoiceDetail[0]?.Payments[0]).toMatchObject({
      PaymentReference: "AVP-123",
      PostValue: "100.00",
    });
  });

  it("PORQRY and GENQRY parse SYSPRO's samples", () => {
    expect(parsePurchaseOrderQuery(fixture("porqry-out.xml"))).toMatchObject({
      PurchaseOrder: "000419",
      Supplier: "0000004",
      Currency: "GBP",
      OrderStatus: "1",
      fields: { SupPostalCode: "M5 2GL" },
    });
    expect(parseLedgerQuery(fixture("genqry-out.xml"))).toMatchObject({
      GlCode: "00-1010",
      Description: "First United Bank",
    });
  });

  it("COMFND: values are escaped text, names must be identifiers; rows keyed by requested column", () => {
    const { xmlIn } = buildComfnd({
      TableName: "ApInvoice",
      Columns: ["Supplier", "Invoice"],
      Where: [
        { Column: "Supplier", Value: "</Value><Column>x" },
        { Column: "Invoice", Value: "INV-1'--" },
      ],
    });
    expect(xmlIn).toContain("<Value>&lt;/Value&gt;&lt;Column&gt;x</Value>");
    expect(xmlIn).toContain("<AndOr>And</AndOr>");
    expect(
      isSysproInvalidDocumentError(thrown(() => buildComfnd({ TableName: "ApInvoice; drop" }))),
    ).toBe(true);
    expect(
      parseComfnd(fixture("comfnd-out.xml"), {
        TableName: "InvWarehouse",
        Columns: ["stockcode", "Warehouse"],
      }),
    ).toEqual([
      { stockcode: "B100", Warehouse: "E" },
      { stockcode: "B100", Warehouse: "FG" },
      { stockcode: "BCL100", Warehouse: "E" },
    ]);
  });
});
