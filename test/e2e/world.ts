/**
 * The world of the end-to-end scenario: both sandboxes seeded from one small reference customer,
 * a test database, and a connection pointing at them with its credentials stored encrypted. The
 * AvidXchange lifecycle is made deterministic (no random rejections, holds, re-codes, voids or
 * payment errors; the test plans those) and quick: approvals within the hour, one payment run at
 * 15:00, and payments that then wait at `Funds Received` for days, so the scenario decides when a
 * payment is posted and when it is voided.
 */
import { randomBytes } from "node:crypto";

import { Agent } from "undici";

import { createAvidSandbox } from "../../sandboxes/avidxchange/index.js";
import { createSysproSandbox } from "../../sandboxes/syspro/index.js";
import { connections } from "../../src/db/schema/index.js";
import { seedDemoMappings } from "../../src/demo/mappings.js";
import { silentLogger } from "../../src/logger.js";
import { setCredentials } from "../../src/secrets/credential-store.js";
import { createVault } from "../../src/secrets/vault.js";
import { createTestDatabase } from "../setup/db.js";

import type { AvidSandbox } from "../../sandboxes/avidxchange/index.js";
import type { SysproSandbox } from "../../sandboxes/syspro/index.js";
import type { Config } from "../../src/config.js";
import type { AvidSettingsInput } from "../../src/connectors/avidxchange/settings.js";
import type { SysproTuning } from "../../src/connectors/syspro/index.js";
import type { JobDeps } from "../../src/jobs/deps.js";
import type { TestDatabase } from "../setup/db.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The AvidXchange sandbox's clock at the start (its default) and the SYSPRO clock, frozen. */
export const AVID_START = "2026-11-02T08:00:00.000Z";
const SYSPRO_NOW = "2026-11-02T23:00:00.000Z";
export const VAULT_KEY_ID = "e2e";

/** Connector timeouts and retries: short, so a hang or a spent retry budget costs little. */
export interface ConnectorTuning {
  readonly sysproTuning: SysproTuning;
  readonly avidSettings: AvidSettingsInput;
}

export const QUICK_TUNING: ConnectorTuning = {
  sysproTuning: {
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
    timeouts: { headersMs: 1_500, bodyMs: 1_500, totalMs: 2_500 },
    leaseWaitMs: 5_000,
  },
  avidSettings: {
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 2_500 },
    timeouts: { headersMs: 1_500, bodyMs: 1_500, totalMs: 2_500 },
  },
};

export interface E2eWorld {
  readonly t: TestDatabase;
  readonly syspro: SysproSandbox;
  readonly avid: AvidSandbox;
  readonly connectionId: string;
  /** The credential encryption key, hex; a worker child process needs it to read the secrets. */
  readonly vaultKeyHex: string;
  readonly tuning: ConnectorTuning;
  /** What an in-process worker's tasks get. */
  readonly deps: JobDeps;
  close(): Promise<void>;
}

export async function createE2eWorld(tuning: ConnectorTuning = QUICK_TUNING): Promise<E2eWorld> {
  const t = await createTestDatabase();
  // 12 suppliers, 300 invoices over a month (≈10% already paid, ≈5% in CAD/EUR), 40 POs.
  const syspro = createSysproSandbox({ size: "small", freezeClock: true, now: SYSPRO_NOW });
  const avid = createAvidSandbox({
    rateLimit: false,
    startTime: AVID_START,
    referenceCustomer: syspro.state.customer,
    lifecycle: {
      probabilities: {
        reject: 0,
        hold: 0,
        recode: 0,
        paymentHeld: 0,
        paymentError: 0,
        paymentVoid: 0,
      },
      timings: {
        receivedMs: 60_000,
        approvalStepMs: 10 * 60_000,
        paymentRunEveryMs: DAY,
        paymentRunOffsetMs: 15 * HOUR,
        paymentStatusMs: {
          "Pending Approval": HOUR,
          Processing: HOUR,
          "Debit Requested": HOUR,
          "Funds Received": 10 * DAY,
        },
      },
    },
  });
  await syspro.listen(0);
  await avid.listen(0);
  const key = randomBytes(32);
  const vault = createVault({ keys: [{ id: VAULT_KEY_ID, key }], currentKeyId: VAULT_KEY_ID });
  const client = avid.clients[0]!;
  const [connection] = await t.db
    .insert(connections)
    .values({
      name: "e2e",
      sysproEnetBaseUrl: syspro.url,
      sysproOdataBaseUrl: syspro.odataUrl,
      sysproCompanyId: syspro.credentials.companyId,
      sysproOperator: syspro.credentials.operator,
      sysproOdataUser: syspro.credentials.odataUser,
      avidBaseUrl: avid.gatewayUrl,
      avidTokenUrl: avid.tokenUrl,
      avidClientId: client.clientId,
      avidCompanyId: client.companies[0]!,
      recodePolicy: "JOURNAL",
      postingMethod: "APSTPM",
      bankCode: "FB",
      apControlGl: "2000-100",
      bankClearingGl: "1010-100",
      // The connection predates the sandboxes' activity (pollers start from its creation).
      createdAt: new Date(Date.parse(AVID_START) - HOUR),
    })
    .returning();
  const connectionId = connection!.id;
  await setCredentials(t.db, vault, connectionId, {
    syspro_operator_password: syspro.credentials.operatorPassword,
    syspro_company_password: syspro.credentials.companyPassword,
    syspro_odata_password: syspro.credentials.odataPassword,
    avid_client_secret: client.clientSecret,
  });
  // Segment rules (account → GL code, cost centre → Department) plus a few exact overrides. The
  // chart's 7250 and 7350 exist only in SYSPRO: the invoices that use them must stay behind.
  await seedDemoMappings(t.db, connectionId);

  const dispatcher = new Agent({ connect: { timeout: 1_000 } });
  const deps: JobDeps = {
    config: {} as Config,
    db: t.db,
    sql: t.sql,
    vault,
    logger: silentLogger(),
    connectors: { dispatcher, ...tuning },
  };
  return {
    t,
    syspro,
    avid,
    connectionId,
    vaultKeyHex: key.toString("hex"),
    tuning,
    deps,
    async close() {
      await dispatcher.close();
      await Promise.all([syspro.close(), avid.close()]);
      await t.close();
    },
  };
}
