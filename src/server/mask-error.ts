import { createGraphQLError, maskError as yogaMaskError } from "graphql-yoga";

import { isPublicError, isValidationError } from "../errors.js";

import type { GraphQLError } from "graphql";
import type { MaskError } from "graphql-yoga";
import type { Logger } from "pino";

export const UNEXPECTED_ERROR_MESSAGE = "Unexpected error.";

/**
 * `instanceof GraphQLError` without trusting module identity: graphql ships CommonJS and ESM
 * builds, and a bundler or test runner may load both (the "dual package hazard"). GraphQLError
 * and its subclasses report this tag whichever copy made them.
 */
export function isGraphQLError(value: unknown): value is GraphQLError {
  return Object.prototype.toString.call(value) === "[object GraphQLError]";
}

/** The innermost thrown value under GraphQL's wrapping. */
function originalOf(error: unknown): unknown {
  let current = error;
  while (isGraphQLError(current) && current.originalError) {
    current = current.originalError;
  }
  return current;
}

/**
 * Decides what of an error reaches the client:
 * - GraphQL errors we raised on purpose (401, FORBIDDEN, syntax and validation) pass unchanged;
 * - PublicError (NotFound, Validation, …) thrown outside a result union keeps its message and code;
 * - anything else is logged with its cause and replaced by "Unexpected error.", so connector
 *   messages, hostnames and SQL never leave the process.
 */
export function createMaskError(logger: Logger): MaskError {
  return (error, message) => {
    const original = originalOf(error);
    if (isGraphQLError(original)) {
      return error as Error;
    }
    const located = isGraphQLError(error) ? error : undefined;
    if (isPublicError(original)) {
      return createGraphQLError(original.message, {
        ...(located?.nodes ? { nodes: located.nodes } : {}),
        ...(located?.path ? { path: located.path } : {}),
        extensions: {
          code: original.code,
          ...(isValidationError(original) ? { issues: original.issues } : {}),
        },
      });
    }
    logger.error(
      { err: original, path: located?.path?.join(".") },
      "unexpected error in a GraphQL operation",
    );
    // isDev=false: never attach the original error, whatever NODE_ENV says.
    return yogaMaskError(error, message, false);
  };
}
