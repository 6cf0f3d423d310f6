import { testConnection } from "../../sync/commands/connections.js";
import { diagnoseConnection } from "../../sync/diagnose-connection.js";
import { EXIT } from "./exit-codes.js";
import { CLI_ACTOR, JSON_OPTION, findConnection, withRuntime } from "./shared.js";

import type { Command } from "../command.js";

/**
 * `ping <connection>`: the connection test, exactly as the `testConnection` mutation runs it (e.net
 * logon, one OData row, an AvidXchange token and one page of vendors), recorded the same way.
 */
export const pingCommand: Command = {
  name: "ping",
  summary: "test a connection's SYSPRO and AvidXchange credentials (exit 2 if either fails)",
  usage: "<connection name or id> [--json]",
  options: { ...JSON_OPTION },
  allowPositionals: true,
  run: (ctx) =>
    withRuntime(ctx, "ping", async (runtime, out) => {
      const ref = ctx.positionals[0];
      if (!ref) {
        return out.fail(new Error("missing <connection>"), EXIT.USAGE);
      }
      const connection = await findConnection(runtime.db, ref);
      const deps = { db: runtime.db, sql: runtime.sql, vault: runtime.vault, logger: ctx.logger };
      const { diagnosis, testedAt } = await testConnection(
        runtime.db,
        (id, signal) => diagnoseConnection(deps, id, signal ?? ctx.signal),
        connection.id,
        CLI_ACTOR,
      );
      const ok = diagnosis.syspro.ok && diagnosis.avidxchange.ok;
      out.result({ connection: connection.name, ok, testedAt, ...diagnosis }, () => [
        `${connection.name}: ${ok ? "OK" : "FAILED"}`,
        `  SYSPRO       ${diagnosis.syspro.ok ? "ok  " : "FAIL"}  ${diagnosis.syspro.message}`,
        `  AvidXchange  ${diagnosis.avidxchange.ok ? "ok  " : "FAIL"}  ${diagnosis.avidxchange.message}`,
      ]);
      return ok ? EXIT.OK : EXIT.FAILED;
    }),
};
