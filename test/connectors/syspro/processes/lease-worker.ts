/**
 * A worker process for the two-process session test: a SYSPRO connector whose session lives in
 * Postgres, making `calls` concurrent e.net queries and printing the outcome (JSON on stdout).
 * argv[2] is a JSON `WorkerArgs`.
 */
import postgres from "postgres";
import { Agent } from "undici";

import { createPgEnetSessionStore } from "../../../../src/connector-state/enet-session-lease.js";
import {
  createSysproConnector,
  type SysproCredentials,
} from "../../../../src/connectors/syspro/index.js";
import { createVault } from "../../../../src/secrets/vault.js";

export interface WorkerArgs {
  dbUrl: string;
  enetUrl: string;
  odataUrl: string;
  credentials: SysproCredentials;
  keyHex: string;
  calls: number;
  ledgerCode: string;
}

const args = JSON.parse(process.argv[2] ?? "{}") as WorkerArgs;
const sql = postgres(args.dbUrl, {
  max: 2,
  onnotice: () => {},
  connection: { application_name: "lease-worker" },
});
const dispatcher = new Agent();
const vault = createVault({
  keys: [{ id: "test", key: Buffer.from(args.keyHex, "hex") }],
  currentKeyId: "test",
});
const syspro = createSysproConnector({
  enet: { baseUrl: args.enetUrl },
  odata: { baseUrl: args.odataUrl },
  credentials: args.credentials,
  dispatcher,
  sessionStore: createPgEnetSessionStore({ sql, vault }),
});

let ok = 0;
const errors: string[] = [];
await Promise.all(
  Array.from({ length: args.calls }, async () => {
    try {
      await syspro.enet.queryLedgerCode(args.ledgerCode);
      ok++;
    } catch (e) {
      errors.push(String(e));
    }
  }),
);
await dispatcher.close();
await sql.end();
process.stdout.write(JSON.stringify({ ok, errors }));
