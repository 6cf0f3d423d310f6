import { describe, expect, it } from "vitest";

import { isSysproMalformedResponseError } from "../../../src/connectors/syspro/errors.js";
import {
  collectMessages,
  decodeBody,
  parseXml,
  readStatusOfItems,
  textOf,
  child,
  unwrapBody,
  escapeXml,
} from "../../../src/connectors/syspro/xml.js";
import { fixture } from "./fixtures.js";

const catchErr = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
};

describe("response bodies", () => {
  const xml = "<postapinvoice><Item/></postapinvoice>";

  it("unwraps plain, JSON-quoted and <string>-wrapped bodies alike", () => {
    expect(unwrapBody(` ${xml}\r\n`)).toBe(xml);
    expect(unwrapBody(JSON.stringify(xml))).toBe(xml);
    const wrapped = `<string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">${escapeXml(xml)}</string>`;
    expect(unwrapBody(wrapped)).toBe(xml);
    expect(unwrapBody('"A1B2C3D4E5F6"')).toBe("A1B2C3D4E5F6");
    expect(unwrapBody("<string>A1B2</string>")).toBe("A1B2");
    expect(unwrapBody("\uFEFFA1B2 ")).toBe("A1B2");
  });

  it("refuses a JSON-quoted body that is not JSON", () => {
    const err = catchErr(() => unwrapBody('"unterminated'));
    expect(isSysproMalformedResponseError(err) && err.reason).toBe("invalid_json");
  });

  it("reads Windows-1252 bytes, and UTF-8 bytes despite a Windows-1252 declaration", () => {
    const decl = '<?xml version="1.0" encoding="Windows-1252"?>';
    const cp1252 = Buffer.concat([
      Buffer.from(`${decl}<a><n>Caf`, "latin1"),
      Buffer.from([0xe9, 0x20, 0x80]), // é, space, € in Windows-1252
      Buffer.from("</n></a>", "latin1"),
    ]);
    expect(textOf(child(parseXml(decodeBody(cp1252)).root, "n"))).toBe("Café €");
    const utf8 = Buffer.from(`${decl}<a><n>Café €</n></a>`, "utf8");
    expect(textOf(child(parseXml(decodeBody(utf8)).root, "n"))).toBe("Café €");
  });
});

describe("parseXml", () => {
  it("matches element names case-insensitively, whatever the root case", () => {
    for (const root of ["postapinvoice", "PostApInvoice", "POSTAPINVOICE"]) {
      const doc = parseXml(`<${root}><ITEM><supplier>S1</supplier></ITEM></${root}>`);
      expect(textOf(child(child(doc.root, "Item"), "Supplier"))).toBe("S1");
    }
  });

  it("decodes the predefined entities and character references, keeps CDATA verbatim", () => {
    const doc = parseXml(
      "<a><n>Smith &amp; Sons &lt;Ltd&gt; &#233;&#x20AC;</n><c><![CDATA[a&amp;<b>]]></c></a>",
    );
    expect(textOf(child(doc.root, "n"))).toBe("Smith & Sons <Ltd> é€");
    expect(textOf(child(doc.root, "c"))).toBe("a&amp;<b>");
  });

  it("refuses a DOCTYPE or ENTITY declaration instead of expanding it", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;">]><a>&y;</a>`;
    const err = catchErr(() => parseXml(bomb));
    expect(isSysproMalformedResponseError(err) && err.reason).toBe("doctype");
    const external = `<!doctype a SYSTEM "file:///etc/passwd"><a/>`;
    expect(isSysproMalformedResponseError(catchErr(() => parseXml(external)))).toBe(true);
  });

  it("refuses truncated and malformed XML", () => {
    const truncated = fixture("apstin-out-success.xml").slice(0, 200);
    const err = catchErr(() => parseXml(truncated));
    expect(isSysproMalformedResponseError(err) && err.reason).toBe("invalid_xml");
    expect(isSysproMalformedResponseError(catchErr(() => parseXml("not xml at all")))).toBe(true);
    expect(isSysproMalformedResponseError(catchErr(() => parseXml("<a></b>")))).toBe(true);
  });
});

describe("messages and counters", () => {
  it("collects a field-level error with its number, value and field (CSHSMB sample)", () => {
    const doc = parseXml(fixture("cshsmb-field-error.xml"));
    expect(collectMessages(doc).errors).toEqual([
      { text: "Duplicate key 'FB' on 'ApBank'", number: "120001", field: "bank", value: "FB" },
    ]);
    expect(readStatusOfItems(doc)).toMatchObject({ processed: 1, invalid: 1 });
  });

  it("collects every ErrorDescription anywhere, ErrorMessage containers included", () => {
    const doc = parseXml(fixture("comtcd-error-message.xml"));
    expect(collectMessages(doc).errors).toEqual([
      { text: "Tax code '0E' not found", number: "100156", value: "0E" },
      { text: "Supplier 'ZZZ' not found", number: "110012", field: "Supplier", value: "ZZZ" },
    ]);
  });

  it("collects warnings and reads zero-padded counters", () => {
    const doc = parseXml(fixture("sortoi-warnings.xml"));
    expect(collectMessages(doc)).toEqual({
      errors: [],
      warnings: ["Supplier '0000001' is on hold"],
    });
    expect(readStatusOfItems(doc)).toEqual({
      processed: 1,
      invalid: 0,
      counters: { ItemsProcessed: 1, ItemsInvalid: 0 },
    });
  });

  it("reads unpadded, space-padded and empty counters", () => {
    const doc = parseXml(
      "<x><StatusOfItems><ItemsProcessed>   2</ItemsProcessed><ItemsInvalid/></StatusOfItems></x>",
    );
    expect(readStatusOfItems(doc)).toMatchObject({ processed: 2, invalid: 0 });
  });

  it("ignores empty GlJournalError / GlJournalMessage, reports filled ones", () => {
    expect(collectMessages(parseXml(fixture("apstin-out-success.xml")))).toEqual({
      errors: [],
      warnings: [],
    });
    const doc = parseXml(
      "<postapinvoice><StatusOfItems><GlJournal><GlJournalError>Period closed</GlJournalError><GlJournalMessage>Journal 12 created</GlJournalMessage></GlJournal></StatusOfItems></postapinvoice>",
    );
    expect(collectMessages(doc)).toEqual({
      errors: [{ text: "Period closed", field: "GlJournal" }],
      warnings: ["Journal 12 created"],
    });
  });
});

describe("escapeXml", () => {
  it("escapes markup (so ]]> can never appear) and refuses control characters", () => {
    expect(escapeXml(`a<b>&"c'`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
    expect(escapeXml("x]]>y")).toBe("x]]&gt;y");
    expect(() => escapeXml("bell\u0007")).toThrow();
  });
});
