import { GraphQLError } from "graphql";
import { createGraphQLError, maskError as yogaMaskError } from "graphql-yoga";

import { isPublicError, isValidationError } from "../errors.js";

import type { MaskError } from "graphql-yoga";
import type { Logger } from "pino";

export const UNEXPECTED_ERROR_MESSAGE = "Unexpected error.";

/** The innermost thrown value under GraphQL's wrapping. */
function originalOf(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) {
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
    if (original instanceof GraphQLError) {
      return error as Error;
    }
    const located = error instanceof GraphQLError ? error : undefined;
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
