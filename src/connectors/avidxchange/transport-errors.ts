import { isHttpAbortedError, isHttpStatusError, isHttpTransportError } from "../http.js";
import { classifyHttpFailure } from "./classify.js";
import { AvidMalformedResponseError, AvidTransientError, isAvidError } from "./errors.js";
import { retryAfterMs } from "./retry-after.js";

import type { ClassifySettings } from "./classify.js";
import type { AvidError } from "./errors.js";

/**
 * Turns what `http.ts` threw into one `AvidError`. The HTTP error is deliberately not kept as the
 * cause of a status error: it holds the body snippet and headers, and an error logger would print
 * them (a 503 body may echo credentials). An abort by the caller is rethrown unchanged.
 */
export function toAvidError(
  thrown: unknown,
  request: string,
  phase: "token" | "resource",
  settings: ClassifySettings,
  nowMs: number,
): unknown {
  if (isAvidError(thrown) || isHttpAbortedError(thrown)) {
    return thrown;
  }
  if (isHttpStatusError(thrown)) {
    const body = thrown.status === 503 ? undefined : thrown.bodySnippet;
    return classifyHttpFailure(
      {
        status: thrown.status,
        body,
        request,
        phase,
        retryAfterMs: thrown.status === 429 ? retryAfterMs(thrown.headers, body, nowMs) : undefined,
      },
      settings,
    );
  }
  if (isHttpTransportError(thrown)) {
    return transportError(thrown.kind, request, thrown.lowLevelCode);
  }
  return thrown;
}

function transportError(
  kind: string,
  request: string,
  lowLevelCode: string | undefined,
): AvidError {
  const details = { request, avidCode: lowLevelCode };
  switch (kind) {
    case "dns":
    case "refused":
      return new AvidTransientError(
        "AVID_UNREACHABLE",
        `AvidXchange is unreachable (${lowLevelCode ?? kind}) on ${request}`,
        details,
      );
    case "timeout":
      return new AvidTransientError("AVID_TIMEOUT", `AvidXchange timed out on ${request}`, details);
    case "protocol":
    case "too_large":
      return new AvidMalformedResponseError(
        `the answer to ${request} was not a usable HTTP response (${kind})`,
        details,
      );
    default:
      return new AvidTransientError(
        "AVID_NETWORK",
        `network failure talking to AvidXchange on ${request} (${lowLevelCode ?? kind})`,
        details,
      );
  }
}
