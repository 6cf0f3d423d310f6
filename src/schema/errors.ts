import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PublicError,
  ValidationError,
} from "../errors.js";
import { builder } from "./builder.js";

import type { ValidationIssue } from "../errors.js";

/**
 * GraphQL types for expected outcomes (`@pothos/plugin-errors` result unions). Every union has
 * `BaseError` and `ValidationError` (the builder's `defaultTypes`); a field lists more with
 * `errors: { types: [NotFoundError] }`. The classes live in `src/errors.ts` so sync code can throw
 * them without knowing GraphQL.
 */

export const ErrorInterface = builder.interfaceRef<PublicError>("Error").implement({
  description: "An expected failure, explained for the person using the API.",
  fields: (t) => ({
    message: t.exposeString("message", { description: "What went wrong, in plain words." }),
    code: t.exposeString("code", {
      description: "Stable machine-readable reason, e.g. NOT_FOUND or VALIDATION_FAILED.",
    }),
  }),
});

builder.objectType(PublicError, {
  name: "BaseError",
  description: "An expected failure without a more specific type.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof PublicError,
});

export const ValidationIssueRef = builder.objectRef<ValidationIssue>("ValidationIssue").implement({
  description: "One problem with the input.",
  fields: (t) => ({
    path: t.exposeStringList("path", {
      description: 'Where in the input, e.g. ["input", "name"].',
    }),
    message: t.exposeString("message", { description: "What is wrong there, in plain words." }),
  }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "The input was refused; nothing was changed.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    issues: t.field({
      type: [ValidationIssueRef],
      description: "Every problem found, not only the first.",
      resolve: (error) => [...error.issues],
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  description: "The record asked for does not exist.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
});

builder.objectType(ForbiddenError, {
  name: "ForbiddenError",
  description: "Refused for this record or its state, even though the role allows the operation.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  description: "The request conflicts with the current state, e.g. a duplicate or a repeat.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
});
