import type { PublicError } from "../errors.js";

type ErrorClass = abstract new (...args: never[]) => PublicError;

/**
 * `errors` options of a mutation: its expected failures, plus descriptions of the generated
 * result union and success type so GraphiQL documents them.
 */
export function outcome<T extends ErrorClass[]>(action: string, types: [...T]) {
  return {
    types,
    union: {
      description: `The outcome of ${action}: the result, or the expected failure that stopped it (then nothing was changed).`,
    },
    result: { description: `${action.charAt(0).toUpperCase()}${action.slice(1)} worked.` },
    dataField: { description: "The result." },
  };
}
