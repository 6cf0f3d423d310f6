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
 * Pothos refuses some input itself (an id of the wrong type, a negative `first`) with a GraphQL
 * error that has no code. Those are bad input like any other, so they get ValidationError's code
 * and shape; the wrong-type message is reworded because it prints the opaque id and a type name.
 */
function pothosInputError(original: GraphQLError, located: GraphQLError | undefined) {
  const wrongType = /^ID: (.*) is not of type: (.*)$/s.exec(original.message);
  const message = wrongType
    ? `"${wrongType[1]}" is the id of another kind of record; this takes a ${wrongType[2]} id.`
    : original.message;
  return createGraphQLError(`Invalid input: ${message}`, {
    ...(located?.nodes ? { nodes: located.nodes } : {}),
    ...(located?.path ? { path: located.path } : {}),
    extensions: { code: "VALIDATION_FAILED", issues: [{ path: [], message }] },
  });
}

/**
 * Decides what of an error reaches the client:
 * - GraphQL errors we raised on purpose (401, FORBIDDEN, syntax and validation) pass unchanged,
 *   except Pothos's own input refusals, which become VALIDATION_FAILED;
 * - PublicError (NotFound, Validation, …) thrown outside a result union keeps its message and code;
 * - anything else is logged with its cause and replaced by "Unexpected error.", so connector
 *   messages, hostnames and SQL never leave the process.
 */
export function createMaskError(logger: Logger): MaskError {
  return (error, message) => {
    const original = originalOf(error);
    const located = isGraphQLError(error) ? error : undefined;
    if (isGraphQLError(original)) {
      return original.name === "PothosValidationError"
        ? pothosInputError(original, located)
        : (error as Error);
    }
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
