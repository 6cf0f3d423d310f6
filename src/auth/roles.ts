import { ROLES } from "../glossary.js";

import type { Role } from "../glossary.js";

/**
 * API key roles, weakest first (declared in the glossary, shared with the database enum). Each
 * role includes everything the roles before it may do: `viewer` reads, `operator` also drives
 * syncs, replays and exceptions, `admin` also manages connections, credentials and API keys.
 */
export { ROLES };
export type { Role };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` grants at least what `required` grants. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
