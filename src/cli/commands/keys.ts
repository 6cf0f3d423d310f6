import { issueApiKey, listApiKeys, revokeApiKey } from "../../auth/api-keys.js";
import { ROLES } from "../../auth/roles.js";
import { NotFoundError } from "../../errors.js";
import { EXIT } from "./exit-codes.js";
import { JSON_OPTION, isUuid, table, withRuntime } from "./shared.js";

import type { Role } from "../../auth/roles.js";
import type { Command } from "../command.js";

/**
 * `keys create <name> [--role viewer|operator|admin]`, `keys revoke <id>`, `keys list`. The plain
 * key is printed once at creation; only its hash is stored.
 */
export const keysCommand: Command = {
  name: "keys",
  summary: "create, revoke or list API keys",
  usage: "create <name> [--role viewer|operator|admin] | revoke <key id> | list  [--json]",
  options: { ...JSON_OPTION, role: { type: "string", default: "viewer" } },
  allowPositionals: true,
  run: (ctx) =>
    withRuntime(ctx, "keys", async (runtime, out) => {
      const [action, arg] = ctx.positionals;
      if (action === "list") {
        const keys = await listApiKeys(runtime.db);
        out.result(keys, () =>
          table(
            ["id", "name", "role", "prefix", "created"],
            keys.map((k) => [k.id, k.name, k.role, k.prefix, k.createdAt.toISOString()]),
          ),
        );
        return EXIT.OK;
      }
      if (action === "create" && arg) {
        const role = ctx.values.role;
        if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
          return out.fail(new Error(`--role must be one of ${ROLES.join(", ")}`), EXIT.USAGE);
        }
        const issued = await issueApiKey(runtime.db, { name: arg, role: role as Role });
        out.result({ key: issued.key, apiKey: issued.apiKey }, () => [
          `Created ${issued.apiKey.role} key "${issued.apiKey.name}" (id ${issued.apiKey.id}).`,
          `  ${issued.key}`,
          "Store it now: it cannot be shown again. Send it as Authorization: Bearer <key>.",
        ]);
        return EXIT.OK;
      }
      if (action === "revoke" && arg) {
        if (!isUuid(arg)) {
          throw new NotFoundError(`API key ${arg}`);
        }
        const { apiKey, changed } = await revokeApiKey(runtime.db, arg);
        out.result({ apiKey, changed }, () =>
          changed
            ? `Revoked key "${apiKey.name}" (id ${apiKey.id}).`
            : `Key "${apiKey.name}" (id ${apiKey.id}) was already revoked.`,
        );
        return EXIT.OK;
      }
      return out.fail(
        new Error("usage: keys create <name> [--role …] | keys revoke <key id> | keys list"),
        EXIT.USAGE,
      );
    }),
};
