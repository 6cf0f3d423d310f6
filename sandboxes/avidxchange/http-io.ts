/**
 * Small HTTP helpers: reading bodies, the reply value handlers return, and the AvidException error
 * (`{exception:{avidMessageId, reason, detail, source}}`, §7.4) that application handlers throw.
 */
import type { IncomingMessage } from "node:http";

/** What a route handler answers; the server writes it (and faults may bend it). */
export interface Reply {
  status: number;
  /** Serialised as JSON unless `body` is set. */
  json?: unknown;
  body?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** An application error (§7.4). `reason` is a stable code; `detail` the human text. */
export class AvidHttpError extends Error {
  override readonly name = "AvidHttpError";
  readonly code = "AVID_SANDBOX_HTTP_ERROR";
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 415,
    readonly reason: string,
    readonly detail: string,
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    super(`${status} ${reason}: ${detail}`, options);
  }
}

export function isAvidHttpError(error: unknown): error is AvidHttpError {
  return error instanceof AvidHttpError;
}

export function exceptionReply(
  status: number,
  messageId: string,
  reason: string,
  detail: string,
  source: string,
): Reply {
  return {
    status,
    json: { exception: { avidMessageId: messageId, reason, detail, source } },
  };
}

/** A 400 ValidationFailed for `source`. */
export function validationError(detail: string, source: string): AvidHttpError {
  return new AvidHttpError(400, "ValidationFailed", detail, source);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new AvidHttpError(
        400,
        "RequestTooLarge",
        `Request body exceeds ${limit} bytes`,
        "gateway",
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The JSON object a POST carries; anything else is a 400 the client can read. */
export function parseJsonObject(body: Buffer, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new AvidHttpError(400, "MalformedRequest", "Request body is not valid JSON", source, {
      cause: error,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AvidHttpError(400, "MalformedRequest", "Request body must be a JSON object", source);
  }
  return value as Record<string, unknown>;
}

/** The array under `key` in a batch body, non-empty and at most `max` items. */
export function batchItems(
  body: Record<string, unknown>,
  key: string,
  max: number,
  source: string,
): unknown[] {
  const items = body[key];
  if (!Array.isArray(items)) {
    throw validationError(`${key} is required and must be an array`, source);
  }
  if (items.length === 0) {
    throw validationError(`${key} must contain at least one item`, source);
  }
  if (items.length > max) {
    throw validationError(`${key} may contain at most ${max} items, got ${items.length}`, source);
  }
  return items;
}

/** A comma-separated query list (`externalVendorCodes=a,b`), or null when absent. */
export function listParam(query: URLSearchParams, name: string): string[] | null {
  const raw = query.getAll(name);
  if (raw.length === 0) {
    return null;
  }
  return raw
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Reads an optional string field of a wire object. */
export function str(item: Record<string, unknown>, key: string): string {
  const v = item[key];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
