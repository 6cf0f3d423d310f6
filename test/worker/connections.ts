import { createConnection } from "../../src/sync/commands/connections.js";

import type { Db } from "../../src/db/client.js";

/** A connection whose endpoints are never called: these tests run stand-in tasks, not connectors. */
export function createOfflineConnection(db: Db, name: string) {
  return createConnection(
    db,
    {
      name,
      sysproEnetBaseUrl: "https://erp.example.com/SYSPROWCFService/Rest",
      sysproOdataBaseUrl: "https://erp.example.com/SYSPRO8Odata/SYSPROOData/EDU1",
      sysproCompanyId: "EDU1",
      sysproOperator: "MLCONNECT",
      sysproOdataUser: "odata",
      avidBaseUrl: "https://api.avidxchange.example.com",
      avidTokenUrl: "https://api.avidxchange.example.com/token",
      avidClientId: "client-1",
      avidCompanyId: "10001",
    },
    "test-admin",
  );
}
