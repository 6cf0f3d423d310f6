/**
 * The WSO2 API Manager gateway's own error replies (§4.3, §4.4, §7.3), byte for byte where the contract
 * gives them. These come from the gateway, before any application code runs.
 */
import { wso2Time } from "./dates.js";
import type { Reply } from "./http-io.js";
import type { Variants } from "./options.js";

const INVALID_TOKEN_CHALLENGE =
  'Bearer realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid"';

function gatewayBody(
  style: Variants["gatewayErrors"],
  code: number,
  message: string,
  description: string,
): unknown {
  return style === "fault"
    ? { fault: { code, message, description } }
    : { code: String(code), message, description };
}

/** 401 900902: no `Authorization: Bearer …` on a resource call. */
export function missingCredentials(variants: Variants): Reply {
  return {
    status: 401,
    headers: { "WWW-Authenticate": 'Bearer realm="WSO2 API Manager"' },
    json: gatewayBody(
      variants.gatewayErrors,
      900902,
      "Missing Credentials",
      "Invalid Credentials. Make sure your API invocation call has a header: 'Authorization : Bearer ACCESS_TOKEN'",
    ),
  };
}

/** 401 900901: unknown, expired or revoked token, or a key type with no endpoint. */
export function invalidCredentials(variants: Variants): Reply {
  return {
    status: 401,
    headers: { "WWW-Authenticate": INVALID_TOKEN_CHALLENGE },
    json: gatewayBody(
      variants.gatewayErrors,
      900901,
      "Invalid Credentials",
      "Access failure for API: /v1, version: v1 status: (900901) - Invalid Credentials. Make sure you have provided the correct security credentials",
    ),
  };
}

/** 900906: no API resource matches the method and path (status 404 by default, WSO2's 403 as a variant). */
export function noMatchingResource(variants: Variants): Reply {
  return {
    status: variants.noMatchStatus,
    json: gatewayBody(
      variants.gatewayErrors,
      900906,
      "No matching resource found for given API Request",
      "The requested resource is not available.",
    ),
  };
}

/** 429 throttled: 900800 (quota) or 900807 (burst); the body keeps the `fault` wrapper even in 4.x. */
export function throttled(
  variants: Variants,
  code: number,
  retryAtMs: number,
  realNowMs: number,
): Reply {
  const retryAtWhole = Math.ceil(retryAtMs / 1000) * 1000;
  const retryAfter =
    variants.retryAfter === "seconds"
      ? String(Math.max(1, Math.ceil((retryAtMs - realNowMs) / 1000)))
      : // An HTTP-date has whole seconds: round up, so waiting until it is always long enough.
        new Date(retryAtWhole).toUTCString();
  return {
    status: 429,
    headers: { "Retry-After": retryAfter },
    json: {
      fault: {
        code,
        message: "Message throttled out",
        description: "You have exceeded your quota",
        nextAccessTime: wso2Time(retryAtWhole),
      },
    },
  };
}
