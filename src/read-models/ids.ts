const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed UUID; a malformed id is "not found", never an SQL error. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** The distinct well-formed UUIDs among `ids`, for `in (…)` lookups. */
export function validUuids(ids: readonly string[]): string[] {
  return [...new Set(ids.filter(isUuid))];
}
