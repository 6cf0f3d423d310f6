/**
 * Reading a response for the HTTP policy (`http.ts`): bounded body reads, flattened headers, and the
 * `HttpResponse` object handed to connectors.
 */
import { AppError } from "../errors.js";

import type { HttpResponse } from "./http.js";

export function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) {
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return out;
}

export async function readBody(
  body: AsyncIterable<Buffer | Uint8Array>,
  limit: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}

/** Internal marker, turned into a non-transient `HttpTransportError` by the classifier. */
export class ResponseTooLargeError extends AppError {
  override readonly name = "ResponseTooLargeError";
  constructor(limit: number) {
    super("HTTP_RESPONSE_TOO_LARGE", `response body larger than ${limit} bytes`);
  }
}

export function makeResponse(
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  attempts: number,
): HttpResponse {
  return {
    status,
    headers,
    body,
    attempts,
    text() {
      const charset = /charset=([^;]+)/i.exec(headers["content-type"] ?? "")?.[1]?.trim();
      try {
        return new TextDecoder(charset ?? "utf-8").decode(body);
      } catch {
        return body.toString("utf8");
      }
    },
    json<T>() {
      return JSON.parse(this.text()) as T;
    },
  };
}
