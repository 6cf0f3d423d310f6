import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { SysproSandbox } from "../../../sandboxes/syspro/index.js";
import { logon, params, post, qs, query, rootName, startSandbox, tag, tags } from "./helpers.js";

const APSTIN = "PostApInvoice";

function invoiceItem(fields: {
  supplier?: string;
  invoice: string;
  value: string;
  tax?: string;
  lines: [string, string][];
  extra?: string;
}): string {
  return (
    `<Item><Supplier>${fields.supplier ?? "0000002"}</Supplier><Invoice>${fields.invoice}</Invoice>` +
    `<TransactionValue>${fields.value}</TransactionValue><TaxValue>${fields.tax ?? "0.00"}</TaxValue>${fields.extra ?? ""}` +
    fields.lines
      .map(
        ([code, value]) =>
          `<LedgerDistribution><LedgerCode>${code}</LedgerCode><LedgerValue>${value}</LedgerValue></LedgerDistribution>`,
      )
      .join("") +
    "</Item>"
  );
}

describe("SYSPRO sandbox: business objects", () => {
  let sandbox: SysproSandbox;
  let userId: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    sandbox.control.reset();
    userId = await logon(sandbox);
  });

  const openInvoice = (): Record<string, string> =>
    sandbox.control
      .rows("ApInvoice", { Supplier: "0000002" })
      .find((r) => r.MthInvBal1 !== "0.00")!;

  describe("queries", () => {
    it("APSQRY returns the supplier with its open invoices", async () => {
      const out = await query(
        sandbox,
        userId,
        "APSQRY",
        "<Query><Key><Supplier><![CDATA[0000002]]></Supplier></Key><Option><IncludeInvoices>Y</IncludeInvoices></Option></Query>",
      );
      expect(rootName(out)).toBe("ApQuery");
      expect(tag(out, "CompanyId")).toBe("MED1");
      expect(tag(out, "SupplierName")).toBe(
        sandbox.control.rows("ApSupplier", { Supplier: "0000002" })[0]?.SupplierName,
      );
      expect(tags(out, "MthInvBal").every((v) => v !== "0.00")).toBe(true);
      expect(tags(out, "Invoice")).toContain(openInvoice().Invoice);
      expect(
        await query(
          sandbox,
          userId,
          "APSQRY",
          "<Query><Key><Supplier>0999999</Supplier></Key></Query>",
        ),
      ).toBe("ERROR: Supplier '0999999' not found");
    });

    it("PORQRY returns a purchase order with its lines", async () => {
      const out = await query(
        sandbox,
        userId,
        "PORQRY",
        "<Query><Key><PurchaseOrder>000419</PurchaseOrder></Key></Query>",
      );
      expect(rootName(out)).toBe("PorDetail");
      const hdr = sandbox.control.rows("PorMasterHdr", { PurchaseOrder: "000419" })[0]!;
      expect(tag(out, "Supplier")).toBe(hdr.Supplier);
      expect(tags(out, "StockCode").length).toBe(
        sandbox.control.rows("PorMasterDetail", { PurchaseOrder: "000419" }).length,
      );
    });

    it("COMFND finds ApInvoice by Supplier+Invoice and ApInvoicePay by PaymentReference", async () => {
      const inv = openInvoice();
      const out = await query(
        sandbox,
        userId,
        "COMFND",
        `<Query><TableName>ApInvoice</TableName><ReturnRows>10</ReturnRows><Columns><Column>Supplier</Column><Column>Invoice</Column><Column>MthInvBal1</Column></Columns>` +
          `<Where><Expression><OpenBracket>(</OpenBracket><Column>Supplier</Column><Condition>EQ</Condition><Value>${inv.Supplier}</Value><CloseBracket>)</CloseBracket></Expression>` +
          `<Expression><AndOr>And</AndOr><OpenBracket>(</OpenBracket><Column>Invoice</Column><Condition>EQ</Condition><Value>${inv.Invoice}</Value><CloseBracket>)</CloseBracket></Expression></Where></Query>`,
      );
      expect(rootName(out)).toBe("ApInvoice");
      expect(tag(out, "RowsReturned")).toBe("1");
      expect(out).toContain(
        `<Row><Supplier>${inv.Supplier}</Supplier><Invoice>${inv.Invoice}</Invoice><MthInvBal1>${inv.MthInvBal1}</MthInvBal1></Row>`,
      );

      const paid = sandbox.control.rows("ApInvoicePay", {}, 1)[0]!;
      const pay = await query(
        sandbox,
        userId,
        "COMFND",
        `<Query><TableName>ApInvoicePay</TableName><Where><Expression><Column>PaymentReference</Column><Condition>EQ</Condition><Value>${paid.PaymentReference}</Value></Expression></Where></Query>`,
      );
      expect(tag(pay, "RowsReturned")).toBe("1");
      expect(tag(pay, "Invoice")).toBe(paid.Invoice);
      const none = await query(
        sandbox,
        userId,
        "COMFND",
        "<Query><TableName>ApInvoicePay</TableName><Where><Expression><Column>PaymentReference</Column><Condition>EQ</Condition><Value>AVX-NOPE</Value></Expression></Where></Query>",
      );
      expect(tag(none, "RowsReturned")).toBe("0");
      expect(
        await query(sandbox, userId, "COMFND", "<Query><TableName>NoSuchTable</TableName></Query>"),
      ).toMatch(/^ERROR/);
    });

    it("GENQRY answers one ledger code", async () => {
      const out = await query(
        sandbox,
        userId,
        "GENQRY",
        "<Query><Key><LedgerCode>6600-230</LedgerCode></Key></Query>",
      );
      expect(rootName(out)).toBe("LedgerQuery");
      expect(tag(out, "OnHold")).toBe("Y");
      expect(
        await query(
          sandbox,
          userId,
          "GENQRY",
          "<Query><Key><LedgerCode>9999-999</LedgerCode></Key></Query>",
        ),
      ).toMatch(/^ERROR/);
    });

    it("refuses malformed XmlIn, a wrong root and an unknown business object with ERROR text", async () => {
      expect(await query(sandbox, userId, "APSQRY", "<Query><Key>")).toMatch(
        /^ERROR: XmlIn is not well-formed/,
      );
      expect(await query(sandbox, userId, "APSQRY", "<Nope/>")).toMatch(
        /^ERROR: XmlIn root element 'Nope'/,
      );
      expect(await query(sandbox, userId, "XXXQRY", "<Query/>")).toBe(
        "ERROR: Business object 'XXXQRY' not found",
      );
      expect(await query(sandbox, userId, "APSTIN", "<Query/>")).toMatch(
        /^ERROR: Business object APSTIN cannot be called through Query\/Query/,
      );
    });
  });

  describe("APSTIN", () => {
    const good = invoiceItem({
      invoice: "NEW-1001",
      value: "108.25",
      tax: "8.25",
      lines: [
        ["5100-210", "60.00"],
        ["5100-220", "40.00"],
      ],
    });

    it("posts an invoice: ApInvoice, ApJnlSummary and ApJnlDistrib rows, journal key returned", async () => {
      const out = await post(
        sandbox,
        userId,
        "APSTIN",
        params({ ValidateOnly: "N" }, APSTIN),
        `<${APSTIN}>${good}</${APSTIN}>`,
      );
      expect(out.startsWith('<?xml version="1.0" encoding="Windows-1252"?><postapinvoice ')).toBe(
        true,
      );
      expect(tag(out, "ItemsProcessed")).toBe("000001");
      expect(tag(out, "ItemsInvalid")).toBe("000000");
      expect(out).not.toContain("ErrorDescription");
      const journal = Number(tag(out, "Journal"));
      const inv = sandbox.control.rows("ApInvoice", {
        Supplier: "0000002",
        Invoice: "NEW-1001",
      })[0]!;
      expect(inv).toMatchObject({
        OrigInvValue: "108.25",
        MthInvBal1: "108.25",
        JournalDate: "2026-10-31",
        Journal: String(journal),
      });
      const summary = sandbox.control.rows("ApJnlSummary", {
        Supplier: "0000002",
        Invoice: "NEW-1001",
      });
      expect(summary).toEqual([
        expect.objectContaining({
          TrnYear: "2026",
          TrnMonth: "10",
          EntryNumber: "1",
          InvoiceValue: "108.25",
        }),
      ]);
      const lines = sandbox.control.rows("ApJnlDistrib", {
        TrnYear: "2026",
        TrnMonth: "10",
        Journal: String(journal),
      });
      expect(lines.map((l) => [l.ExpenseGlCode, l.DistrValue])).toEqual([
        ["5100-210", "60.00"],
        ["5100-220", "40.00"],
      ]);
    });

    it("ValidateOnly=Y validates and changes nothing", async () => {
      const before = sandbox.control.snapshot().tables;
      const out = await post(
        sandbox,
        userId,
        "APSTIN",
        params({ ValidateOnly: "Y" }, APSTIN),
        `<${APSTIN}>${good}</${APSTIN}>`,
      );
      expect(out).not.toContain("ErrorDescription");
      expect(out).not.toContain("<Key>");
      expect(sandbox.control.snapshot().tables).toEqual(before);
      expect(
        sandbox.control.rows("ApInvoice", { Supplier: "0000002", Invoice: "NEW-1001" }),
      ).toEqual([]);
    });

    it.each([
      [
        "unknown supplier",
        invoiceItem({
          supplier: "0999999",
          invoice: "X1",
          value: "10.00",
          lines: [["5100-210", "10.00"]],
        }),
        "Supplier",
        "Supplier '0999999' not found",
      ],
      [
        "unknown GL code",
        invoiceItem({ invoice: "X2", value: "10.00", lines: [["9999-999", "10.00"]] }),
        "LedgerCode",
        "Ledger code '9999-999' not found",
      ],
      [
        "GL code on hold",
        invoiceItem({ invoice: "X3", value: "10.00", lines: [["6600-230", "10.00"]] }),
        "LedgerCode",
        "Ledger code '6600-230' is on hold",
      ],
      [
        "not fully distributed",
        invoiceItem({ invoice: "X4", value: "10.00", lines: [["5100-210", "9.00"]] }),
        "TransactionValue",
        "Amount not fully distributed: distributed 9.00, required 10.00",
      ],
    ])("rejects %s with a field-level error", async (_name, item, field, description) => {
      const out = await post(
        sandbox,
        userId,
        "APSTIN",
        params({}, APSTIN),
        `<${APSTIN}>${item}</${APSTIN}>`,
      );
      expect(out).toMatch(
        new RegExp(
          `<${field}><Value>[^<]*</Value><ErrorNumber>\\d+</ErrorNumber><ErrorDescription>${description.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</ErrorDescription></${field}>`,
        ),
      );
      expect(tag(out, "ItemsInvalid")).toBe("000001");
      expect(sandbox.control.snapshot().tables.ApInvoice?.added).toBe(0);
    });

    it("rejects a duplicate invoice, from the seed and within one document", async () => {
      const seeded = openInvoice();
      const dup = invoiceItem({
        supplier: seeded.Supplier!,
        invoice: seeded.Invoice!,
        value: "10.00",
        lines: [["5100-210", "10.00"]],
      });
      const out = await post(
        sandbox,
        userId,
        "APSTIN",
        params({}, APSTIN),
        `<${APSTIN}>${dup}</${APSTIN}>`,
      );
      expect(tag(out, "ErrorDescription")).toBe(
        `Invoice '${seeded.Invoice}' already exists for supplier '${seeded.Supplier}'`,
      );
      const twice = await post(
        sandbox,
        userId,
        "APSTIN",
        params({ ApplyIfEntireDocumentValid: "N" }, APSTIN),
        `<${APSTIN}>${good}${good}</${APSTIN}>`,
      );
      expect(tags(twice, "ErrorDescription")).toEqual([
        "Invoice 'NEW-1001' already exists for supplier '0000002'",
      ]);
      expect(
        sandbox.control.rows("ApInvoice", { Supplier: "0000002", Invoice: "NEW-1001" }),
      ).toHaveLength(1);
    });

    it("ApplyIfEntireDocumentValid=Y posts nothing when one item is invalid; N posts the valid ones", async () => {
      const bad = invoiceItem({
        supplier: "0999999",
        invoice: "B1",
        value: "10.00",
        lines: [["5100-210", "10.00"]],
      });
      const all = await post(
        sandbox,
        userId,
        "APSTIN",
        params({ ApplyIfEntireDocumentValid: "Y" }, APSTIN),
        `<${APSTIN}>${good}${bad}</${APSTIN}>`,
      );
      expect(tag(all, "ItemsInvalid")).toBe("000001");
      expect(sandbox.control.snapshot().tables.ApInvoice?.added).toBe(0);
      await post(
        sandbox,
        userId,
        "APSTIN",
        params({ ApplyIfEntireDocumentValid: "N" }, APSTIN),
        `<${APSTIN}>${good}${bad}</${APSTIN}>`,
      );
      expect(sandbox.control.snapshot().tables.ApInvoice?.added).toBe(1);
    });

    it("ignores unknown elements silently", async () => {
      const item = good.replace("<Invoice>", "<Telephone>555</Telephone><Invoice>");
      const out = await post(
        sandbox,
        userId,
        "APSTIN",
        params({}, APSTIN),
        `<${APSTIN}>${item}</${APSTIN}>`,
      );
      expect(out).not.toContain("ErrorDescription");
    });

    it("accepts a long document through POST Transaction/PostLD", async () => {
      const body =
        `<TransactionPostLD xmlns="http://SYSPROWcfService"><UserId>${userId}</UserId><BusinessObject>APSTIN</BusinessObject>` +
        `<XmlParameters><![CDATA[${params({}, APSTIN)}]]></XmlParameters><XmlIn><![CDATA[<${APSTIN}>${good}</${APSTIN}>]]></XmlIn></TransactionPostLD>`;
      const res = await fetch(`${sandbox.url}/Transaction/PostLD`, {
        method: "POST",
        headers: { "content-type": "application/xml" },
        body,
      });
      const out = await res.text();
      expect(tag(out, "ItemsInvalid")).toBe("000000");
      expect(
        sandbox.control.rows("ApInvoice", { Supplier: "0000002", Invoice: "NEW-1001" }),
      ).toHaveLength(1);
      expect(JSON.stringify(sandbox.control.requests())).not.toContain(userId);
    });
  });

  describe("GENTJL", () => {
    const journal = (lines: [string, string][]): string =>
      `<PostGlJournal><Item><JournalType>N</JournalType><JournalReference>AVX-PAY-77</JournalReference>` +
      lines
        .map(
          ([c, a]) =>
            `<JournalDetails><LedgerCode>${c}</LedgerCode><EntryAmount>${a}</EntryAmount></JournalDetails>`,
        )
        .join("") +
      "</Item></PostGlJournal>";

    it("posts a balanced journal", async () => {
      const out = await post(
        sandbox,
        userId,
        "GENTJL",
        params({}, "PostGlJournal"),
        journal([
          ["2000-100", "250.00"],
          ["1010-100", "-250.00"],
        ]),
      );
      expect(rootName(out)).toBe("postgljournal");
      expect(tag(out, "GlJournal")).toBe("00001");
      expect(tag(out, "DebitAmount")).toBe("250.00");
      expect(tag(out, "JournalsInvalid")).toBe("000000");
      expect(
        sandbox.control.rows("GenJournalCtl", { JournalReference: "AVX-PAY-77" }),
      ).toHaveLength(1);
      expect(
        sandbox.control.rows("GenJournalDetail", { Journal: "1" }).map((r) => r.EntryValue),
      ).toEqual(["250.00", "-250.00"]);
    });

    it.each([
      [
        "unbalanced",
        [
          ["2000-100", "250.00"],
          ["1010-100", "-200.00"],
        ],
        "Journal does not balance: debits 250.00, credits 200.00",
      ],
      [
        "unknown account",
        [
          ["2000-100", "1.00"],
          ["9999-100", "-1.00"],
        ],
        "Ledger code '9999-100' not found",
      ],
      [
        "account on hold",
        [
          ["7000-220", "1.00"],
          ["1010-100", "-1.00"],
        ],
        "Ledger code '7000-220' is on hold",
      ],
    ] as const)("rejects an %s journal", async (_n, lines, description) => {
      const out = await post(
        sandbox,
        userId,
        "GENTJL",
        params({}, "PostGlJournal"),
        journal(lines as unknown as [string, string][]),
      );
      expect(tags(out, "ErrorDescription")).toContain(description);
      expect(sandbox.control.rows("GenJournalCtl")).toHaveLength(0);
    });

    it("refuses an operator not licensed for the GL functional area", async () => {
      const clerk = await logon(sandbox, { Operator: "APCLERK", OperatorPassword: "apclerk" });
      const out = await post(
        sandbox,
        clerk,
        "GENTJL",
        params({}, "PostGlJournal"),
        journal([
          ["2000-100", "1.00"],
          ["1010-100", "-1.00"],
        ]),
      );
      expect(out).toMatch(/^ERROR: Operator 'APCLERK' is not licensed for functional area 'GL'/);
    });
  });

  describe("APSTPM", () => {
    const payment = (
      inv: Record<string, string>,
      gross: string,
      disc = "0.00",
      cheque = "AVX-PAY-1",
      chequeValue?: string,
    ): string =>
      `<PostApManualPay><Item><Supplier>${inv.Supplier}</Supplier><Bank>FB</Bank><ChequeDate>2026-10-31</ChequeDate><Cheque>${cheque}</Cheque>` +
      `<ChequeValue>${chequeValue ?? (Number(gross) - Number(disc)).toFixed(2)}</ChequeValue>` +
      `<ReleasedInvoice><Invoice>${inv.Invoice}</Invoice><GrossPayValue>${gross}</GrossPayValue><DiscPayValue>${disc}</DiscPayValue></ReleasedInvoice></Item></PostApManualPay>`;

    it("pays an invoice: lowers MthInvBal1 and adds ApInvoicePay with the cheque as reference", async () => {
      const inv = openInvoice();
      const out = await post(
        sandbox,
        userId,
        "APSTPM",
        params({}, "PostApManualPay"),
        payment(inv, "10.00", "1.00"),
      );
      expect(rootName(out)).toBe("postapmanualpay");
      expect(out).not.toContain("ErrorDescription");
      expect(tag(out, "GrossValueReleased")).toBe("           10.00");
      const after = sandbox.control.rows("ApInvoice", {
        Supplier: inv.Supplier!,
        Invoice: inv.Invoice!,
      })[0]!;
      expect(Number(after.MthInvBal1)).toBeCloseTo(Number(inv.MthInvBal1) - 10, 2);
      expect(sandbox.control.rows("ApInvoicePay", { PaymentReference: "AVX-PAY-1" })).toEqual([
        expect.objectContaining({
          Supplier: inv.Supplier,
          Invoice: inv.Invoice,
          PostValue: "10.00",
          TrnValue: "9.00",
        }),
      ]);
    });

    it("refuses to pay more than the open balance, and a cheque value that does not add up", async () => {
      const inv = openInvoice();
      const over = (Number(inv.MthInvBal1) + 0.01).toFixed(2);
      const out = await post(
        sandbox,
        userId,
        "APSTPM",
        params({}, "PostApManualPay"),
        payment(inv, over),
      );
      expect(tag(out, "ErrorDescription")).toBe(
        `Payment ${over} for invoice '${inv.Invoice}' exceeds its outstanding balance ${inv.MthInvBal1}`,
      );
      const mismatch = await post(
        sandbox,
        userId,
        "APSTPM",
        params({}, "PostApManualPay"),
        payment(inv, "10.00", "0.00", "AVX-PAY-2", "11.00"),
      );
      expect(tag(mismatch, "ErrorDescription")).toBe(
        "Cheque value 11.00 does not equal the value released 10.00",
      );
      expect(
        sandbox.control.rows("ApInvoice", { Supplier: inv.Supplier!, Invoice: inv.Invoice! })[0]
          ?.MthInvBal1,
      ).toBe(inv.MthInvBal1);
    });

    it("ValidateOnly=Y changes nothing", async () => {
      const inv = openInvoice();
      await post(
        sandbox,
        userId,
        "APSTPM",
        params({ ValidateOnly: "Y" }, "PostApManualPay"),
        payment(inv, "10.00"),
      );
      expect(sandbox.control.rows("ApInvoicePay", { PaymentReference: "AVX-PAY-1" })).toEqual([]);
      expect(
        sandbox.control.rows("ApInvoice", { Supplier: inv.Supplier!, Invoice: inv.Invoice! })[0]
          ?.MthInvBal1,
      ).toBe(inv.MthInvBal1);
    });
  });

  describe("APSSSP", () => {
    const supplier = (
      code: string,
      extra = "<SupplierName>Clearwater Calibration Labs</SupplierName>",
    ): string =>
      `<SetupApSupplier><Item><Key><Supplier>${code}</Supplier></Key>${extra}<TermsCode>30</TermsCode></Item></SetupApSupplier>`;
    const setup = async (op: string, xml: string): Promise<string> =>
      (
        await fetch(
          `${sandbox.url}/Setup/${op}?${qs({ UserId: userId, BusinessObject: "APSSSP", XmlParameters: params({}, "SetupApSupplier"), XmlIn: xml })}`,
        )
      ).text();

    it("adds, refuses a duplicate, updates and deletes a supplier", async () => {
      const added = await setup("Add", supplier("AVX0001"));
      expect(added).toContain("<setupapsupplier ");
      expect(added).toContain("<item><key><supplier>AVX0001</supplier></key></item>");
      expect(tag(added, "RecordsRead")).toBe("000001");
      expect(tag(added, "RecordsInvalid")).toBe("000000");
      expect(sandbox.control.rows("ApSupplier", { Supplier: "AVX0001" })[0]?.SupplierName).toBe(
        "Clearwater Calibration Labs",
      );

      const dup = await setup("Add", supplier("AVX0001"));
      expect(dup).toContain(
        "<ErrorNumber>120001</ErrorNumber><ErrorDescription>Duplicate key 'AVX0001' on 'ApSupplier'</ErrorDescription>",
      );

      await setup("Update", supplier("AVX0001", "<Email>ap@clearwater.example.com</Email>"));
      expect(sandbox.control.rows("ApSupplier", { Supplier: "AVX0001" })[0]).toMatchObject({
        SupplierName: "Clearwater Calibration Labs",
        Email: "ap@clearwater.example.com",
      });
      expect(tag(await setup("Delete", supplier("0000001", "")), "ErrorDescription")).toBe(
        "Supplier '0000001' has transactions and cannot be deleted",
      );
      await setup("Delete", supplier("AVX0001", ""));
      expect(sandbox.control.rows("ApSupplier", { Supplier: "AVX0001" })).toEqual([]);
    });

    it("keeps the input's root case when the variant says so, and pads counters as configured", async () => {
      sandbox.control.setVariants({
        rootCase: "original",
        counters: "space",
        declaration: "utf-8",
      });
      const out = await setup("Add", supplier("AVX0002"));
      expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?><SetupApSupplier ')).toBe(true);
      expect(tag(out, "RecordsRead")).toBe("     1");
      sandbox.control.setVariants({ counters: "plain" });
      expect(tag(await setup("Add", supplier("AVX0003")), "RecordsRead")).toBe("1");
    });
  });
});
