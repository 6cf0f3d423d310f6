import { Decimal } from "decimal.js";

/**
 * JSON at the AvidXchange edge, without floats. AvidXchange sends money as JSON numbers
 * (`"Amount": 1150.00`, or `1150.1` from a server that prints shortest numbers); `JSON.parse` would
 * turn them into doubles. This parser keeps the literal digits of every number under a decimal
 * field as a decimal string (`"1150.00"`, `"1150.10"`), and the writer emits decimal strings under
 * those fields as bare JSON numbers again.
 */

/** Members whose numeric values are money or quantities: decimal strings on our side of the edge. */
export const DECIMAL_FIELDS: ReadonlySet<string> = new Set([
  "Amount",
  "TaxAmount",
  "GrossAmount",
  "DiscountAmount",
  "TotalAmount",
  "BatchTotal",
  "Taxes",
  "Discount",
  "PricePer",
  "Quantity",
  "InvoiceAmount",
  "PaymentAmount",
]);

const DECIMAL_TEXT = /^-?\d+(?:\.\d+)?$/;
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_DEPTH = 64;

/** Thrown for text that is not JSON; callers turn it into a malformed-response error. */
export class WireJsonError extends Error {
  override readonly name = "WireJsonError";
}

/** Is `text` a plain decimal (`-12`, `1150.00`), the only form we put on the wire or hand on? */
export const isDecimalText = (text: string): boolean => DECIMAL_TEXT.test(text);

/**
 * The literal's exact value with at least two decimal places (`1150.1` → `1150.10`, `150` →
 * `150.00`, `1.5e3` → `1500.00`); more places are kept as sent (`0.125`). Only digits are moved,
 * no arithmetic in binary floating point.
 */
function decimalFromLiteral(literal: string): string {
  const plain = isDecimalText(literal) ? literal : new Decimal(literal).toFixed();
  const dot = plain.indexOf(".");
  const places = dot < 0 ? 0 : plain.length - dot - 1;
  return places >= 2 ? plain : `${plain}${dot < 0 ? "." : ""}${"0".repeat(2 - places)}`;
}

/** Parses JSON; numbers under `decimalFields` members come back as decimal strings. */
export function parseWireJson(text: string, decimalFields = DECIMAL_FIELDS): unknown {
  let i = 0;

  const fail = (what: string): never => {
    throw new WireJsonError(`invalid JSON: ${what} at offset ${i}`);
  };
  const skipWhitespace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        return;
      }
      i++;
    }
  };
  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let escaped = false;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === 0x22) {
        i++;
        const raw = text.slice(start, i);
        return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      }
      if (c < 0x20) {
        fail("control character in string");
      }
      i++;
    }
    return fail("unterminated string");
  };
  const parseValue = (decimal: boolean, depth: number): unknown => {
    if (depth > MAX_DEPTH) {
      fail("nesting too deep");
    }
    skipWhitespace();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      skipWhitespace();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') {
          fail("expected a member name");
        }
        const key = parseString();
        skipWhitespace();
        if (text[i] !== ":") {
          fail("expected ':'");
        }
        i++;
        // Plain assignment could hit Object.prototype's __proto__ setter.
        Object.defineProperty(obj, key, {
          value: parseValue(decimalFields.has(key), depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skipWhitespace();
        if (text[i] === ",") {
          i++;
        } else if (text[i] === "}") {
          i++;
          return obj;
        } else {
          fail("expected ',' or '}'");
        }
      }
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      skipWhitespace();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(decimal, depth + 1));
        skipWhitespace();
        if (text[i] === ",") {
          i++;
        } else if (text[i] === "]") {
          i++;
          return arr;
        } else {
          fail("expected ',' or ']'");
        }
      }
    }
    if (c === '"') {
      return parseString();
    }
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER_TOKEN.lastIndex = i;
    const match = NUMBER_TOKEN.exec(text);
    if (!match) {
      return fail("unexpected token");
    }
    i += match[0].length;
    return decimal ? decimalFromLiteral(match[0]) : Number(match[0]);
  };

  try {
    const value = parseValue(false, 0);
    skipWhitespace();
    if (i !== text.length) {
      fail("trailing characters");
    }
    return value;
  } catch (e) {
    // A bad escape inside a string surfaces as JSON.parse's SyntaxError.
    throw e instanceof WireJsonError ? e : new WireJsonError("invalid JSON string", { cause: e });
  }
}

/**
 * Serialises a request body. Values under `decimalFields` must be decimal strings or decimal.js
 * values (a JS number there is a float that already lost its text: refused) and go out as bare JSON
 * numbers with their digits unchanged.
 */
export function stringifyWireJson(value: unknown, decimalFields = DECIMAL_FIELDS): string {
  const marker = `\u0001${Math.random().toString(36).slice(2)}:`;
  const json = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (!decimalFields.has(key) || v === null || v === undefined) {
      return v;
    }
    const text = Decimal.isDecimal(v) ? v.toFixed() : v;
    if (typeof text !== "string" || !isDecimalText(text)) {
      throw new TypeError(`${key} must be a decimal string, got ${typeof v}`);
    }
    return `${marker}${text}`;
  });
  // JSON.stringify writes the control character as the six characters \u0001.
  const escapedMarker = JSON.stringify(marker).slice(1, -1);
  return json.replaceAll(
    new RegExp(`"${escapedMarker.replace(/\\/g, "\\\\")}(-?\\d+(?:\\.\\d+)?)"`, "g"),
    "$1",
  );
}
