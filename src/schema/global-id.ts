import { decodeGlobalID } from "@pothos/plugin-relay";

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
