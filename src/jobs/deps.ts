import type { Config } from "../config.js";
import type { AvidSettingsInput } from "../connectors/avidxchange/settings.js";
import type { SysproTuning } from "../connectors/syspro/index.js";
import type { Db } from "../db/client.js";
import type { Vault } from "../secrets/vault.js";
import type { Logger } from "pino";
import type { Sql } from "postgres";
import type { Dispatcher } from "undici";

/**
 * What tasks are given. The composition root builds it once per worker process; extend it (and
 * `main.ts`) when a task needs something new, rather than reaching for a global.
 */
export interface JobDeps {
  readonly config: Config;
  readonly db: Db;
  readonly sql: Sql;
  readonly vault: Vault;
  readonly logger: Logger;
  /** Connector wiring shared by every sync task (tests shorten timeouts and retries here). */
  readonly connectors?: {
    readonly dispatcher?: Dispatcher;
    readonly sysproTuning?: SysproTuning;
    readonly avidSettings?: AvidSettingsInput;
  };
}
