import type { Role } from "./roles.js";

/** Who is calling: the API key that authenticated the request. */
export interface Principal {
  /** `api_keys.id`. */
  readonly keyId: string;
  /** The key's name; the actor on audit events. */
  readonly name: string;
  readonly role: Role;
  /** First characters of the key, for display. */
  readonly prefix: string;
}
