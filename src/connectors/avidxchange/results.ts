import { AvidMalformedResponseError } from "./errors.js";

/**
 * Per-item results of a batch call (contract §2.5, §9.2). A 200 is not success until each item
 * says so: `Results` may be an array or one object, `Successful` a boolean or its string, and a
 * failure's text is in `Errors[].Message`. Results are matched to inputs by position.
 */
export interface AvidItemSuccess<I, T> {
  readonly ok: true;
  /** Position in the caller's input array. */
  readonly index: number;
  readonly input: I;
  readonly item: T;
  /** Messages AvidXchange attached to a successful item, if any. */
  readonly messages: readonly string[];
}

export interface AvidItemFailure<I> {
  readonly ok: false;
  readonly index: number;
  readonly input: I;
  /** AvidXchange's own texts, e.g. `GL code 6100 is not active`. */
  readonly messages: readonly string[];
  /** Whatever `Item` AvidXchange returned with the failure. */
  readonly item: unknown;
}

export type AvidItemResult<I, T> = AvidItemSuccess<I, T> | AvidItemFailure<I>;

export const isItemSuccess = <I, T>(r: AvidItemResult<I, T>): r is AvidItemSuccess<I, T> => r.ok;

/** `true` / `"true"` / `false` / `"false"` (any case); anything else is not an answer. */
export function parseSuccessful(value: unknown): boolean | undefined {
  if (typeof value === "boolean") {
    return value;
  }
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    return v === "true" ? true : v === "false" ? false : undefined;
  }
  return undefined;
}

function messagesOf(errors: unknown): string[] {
  const list =
    errors === undefined || errors === null ? [] : Array.isArray(errors) ? errors : [errors];
  return list.flatMap((e): string[] => {
    if (typeof e === "string") {
      return [e];
    }
    if (typeof e === "object" && e !== null) {
      const o = e as Record<string, unknown>;
      const m = o["Message"] ?? o["message"] ?? o["ValidText"] ?? o["Description"];
      return typeof m === "string" ? [m] : [JSON.stringify(e)];
    }
    return [];
  });
}

/**
 * Normalises a `{ Results }` body into one typed result per input, in input order.
 * `parseItem` validates a successful item (and throws `AvidMalformedResponseError` if it cannot).
 */
export function normaliseResults<I, T>(
  body: unknown,
  inputs: readonly I[],
  parseItem: (item: unknown) => T,
  request: string,
): AvidItemResult<I, T>[] {
  const top = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const raw = top["Results"] ?? top["results"];
  if (raw === undefined || raw === null) {
    throw new AvidMalformedResponseError(`no Results in the response to ${request}`, { request });
  }
  const results = Array.isArray(raw) ? raw : [raw];
  if (results.length !== inputs.length) {
    // Matching is by position: with a different count no result can be trusted to its item.
    throw new AvidMalformedResponseError(
      `expected ${inputs.length} results from ${request}, got ${results.length}`,
      { request },
    );
  }
  return results.map((result, index): AvidItemResult<I, T> => {
    const input = inputs[index] as I;
    const r =
      typeof result === "object" && result !== null ? (result as Record<string, unknown>) : {};
    const successful = parseSuccessful(r["Successful"] ?? r["successful"]);
    if (successful === undefined) {
      throw new AvidMalformedResponseError(
        `result ${index} of ${request} has no readable Successful flag`,
        { request },
      );
    }
    const messages = messagesOf(r["Errors"] ?? r["errors"]);
    const item = r["Item"] !== undefined ? r["Item"] : r["item"];
    if (!successful) {
      return {
        ok: false,
        index,
        input,
        messages:
          messages.length > 0 ? messages : ["AvidXchange reported a failure without a message"],
        item,
      };
    }
    return { ok: true, index, input, item: parseItem(item), messages };
  });
}
