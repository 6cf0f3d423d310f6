import { decodeGlobalID } from "@pothos/plugin-relay";
import { isObjectType } from "graphql";

import { ValidationError } from "../errors.js";
import { isUuid } from "../read-models/ids.js";
import { isTransactionId } from "../sync/transaction-id.js";

import type { GraphQLSchema } from "graphql";

/** Long or binary input is cut before it is echoed back in an error message. */
export function shown(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable;
}

function invalidId(value: string, expected?: string): ValidationError {
  const what = expected ? `a ${expected} id` : "an id of this API";
  return new ValidationError([
    {
      path: [],
      message: `"${shown(value)}" is not ${what}. Use the \`id\` field of a record this API returned.`,
    },
  ]);
}

/** The shapes of the ids inside our global ids: UUIDs, audit event numbers, transaction ULIDs. */
const isRecordId = (id: string): boolean =>
  isUuid(id) || /^[1-9]\d{0,18}$/.test(id) || isTransactionId(id);

/**
 * Decodes a Relay global id, refusing a malformed one (not base64 of `Type:id`, or an id no
 * record of ours can have) as a ValidationError, a typed and explained failure, rather than the
 * plugin's plain error, which result unions cannot catch.
 */
export function decodeGlobalId(value: string): { typename: string; id: string } {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(value);
  } catch {
    throw invalidId(value);
  }
  if (!isRecordId(decoded.id)) {
    throw invalidId(value);
  }
  return decoded;
}

/** Refuses a well-formed global id whose type is not a record `node(id)` can fetch. */
export function assertNodeTypename(schema: GraphQLSchema, value: { typename: string }): void {
  const type = schema.getType(value.typename);
  if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === "Node")) {
    throw new ValidationError([
      { path: [], message: `"${shown(value.typename)}" is not a kind of record this API has.` },
    ]);
  }
}

/**
 * The database id behind an ID argument that may be a Relay global ID of `typename` or already a
 * raw id. For arguments whose type has no Node yet; once it has, use
 * `t.arg.globalID({ for: TypeRef })` instead.
 */
export function rawIdOf(value: string, typename: string): string {
  try {
    const decoded = decodeGlobalID(value);
    return decoded.typename === typename ? decoded.id : value;
  } catch {
    return value;
  }
}

/**
 * The UUID behind an argument that takes a `typename` global id or the raw UUID (as events carry
 * it); anything else is a ValidationError, so a typo fails loudly instead of matching nothing.
 */
export function uuidOf(value: string, typename: string): string {
  const raw = rawIdOf(value, typename);
  if (!isUuid(raw)) {
    throw invalidId(value, typename);
  }
  return raw;
}
