import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAvidSandbox } from "../../sandboxes/avidxchange/index.js";
import { createSysproSandbox } from "../../sandboxes/syspro/index.js";
import { silentLogger } from "../../src/logger.js";
import { diagnoseConnection } from "../../src/sync/diagnose-connection.js";
import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";

import type { AvidSandbox } from "../../sandboxes/avidxchange/index.js";
import type { SysproSandbox } from "../../sandboxes/syspro/index.js";

guardLeaks();

let syspro: SysproSandbox;
let avid: AvidSandbox;
const dispatcher = new Agent({ connect: { timeout: 2_000 } });

beforeAll(async () => {
  syspro = createSysproSandbox({ freezeClock: true });
  avid = createAvidSandbox({ rateLimit: false });
  await syspro.listen(0);
  await avid.listen(0);
});
afterAll(async () => {
  await Promise.all([syspro?.close(), avid?.close()]);
  await dispatcher.close();
});

// The real connection test: both connectors against both sandboxes over HTTP.
const gateway = useSchemaGateway({
  diagnose: (deps) => (connectionId, signal) =>
    diagnoseConnection(
      {
        ...deps,
        logger: silentLogger(),
        dispatcher,
        sysproTuning: {
          retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 10 },
          timeouts: { headersMs: 2_000, bodyMs: 2_000, totalMs: 3_000 },
          leaseWaitMs: 2_000,
        },
        avidSettings: {
          retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 100 },
          timeouts: { headersMs: 2_000, bodyMs: 2_000, totalMs: 3_000 },
        },
      },
      connectionId,
      signal,
    ),
});

const TEST = /* GraphQL */ `
  mutation ($id: ID!) {
    testConnection(id: $id) {
      __typename
      ... on MutationTestConnectionSuccess {
        data {
          ok
          syspro {
            ok
            code
            message
          }
          avidxchange {
            ok
            code
            message
            details
          }
          connection {
            credentials {
              kind
              isSet
              verifiedAt
            }
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

type TestResult = {
  testConnection: {
    __typename: string;
    data: {
      ok: boolean;
      syspro: { ok: boolean; code: string; message: string };
      avidxchange: { ok: boolean; code: string; message: string };
      connection: { credentials: { kind: string; isSet: boolean; verifiedAt: string | null }[] };
    };
  };
};

async function connectionWithSecrets(name: string, avidSecret: string): Promise<string> {
  const { data } = gateway();
  const client = avid.clients[0]!;
  const created = await data<{ createConnection: { data: { id: string } } }>(
    `mutation ($input: CreateConnectionInput!) { createConnection(input: $input) { ... on MutationCreateConnectionSuccess { data { id } } } }`,
    {
      input: {
        name,
        sysproEnetBaseUrl: syspro.url,
        sysproOdataBaseUrl: syspro.odataUrl,
        sysproCompanyId: syspro.credentials.companyId,
        sysproOperator: syspro.credentials.operator,
        sysproOdataUser: syspro.credentials.odataUser,
        avidBaseUrl: avid.gatewayUrl,
        avidTokenUrl: avid.tokenUrl,
        avidClientId: client.clientId,
        avidCompanyId: client.companies[0],
      },
    },
  );
  const id = created.createConnection.data.id;
  await data(
    `mutation ($input: SetCredentialsInput!) { setCredentials(input: $input) { __typename } }`,
    {
      input: {
        connectionId: id,
        sysproOperatorPassword: syspro.credentials.operatorPassword,
        sysproCompanyPassword: syspro.credentials.companyPassword,
        sysproOdataPassword: syspro.credentials.odataPassword,
        avidClientSecret: avidSecret,
      },
    },
  );
  return id;
}

describe("testConnection against both sandboxes", () => {
  it("passes with the right credentials and marks every credential verified", async () => {
    const { data } = gateway();
    const id = await connectionWithSecrets("Sandbox OK", avid.clients[0]!.clientSecret);
    const result = await data<TestResult>(TEST, { id });
    expect(result.testConnection.data).toMatchObject({
      ok: true,
      syspro: { ok: true, code: "OK" },
      avidxchange: { ok: true, code: "OK" },
    });
    const credentials = result.testConnection.data.connection.credentials;
    expect(credentials.filter((c) => c.isSet).every((c) => c.verifiedAt !== null)).toBe(true);
  });

  it("names the AvidXchange problem precisely, verifies only SYSPRO's credentials, and audits both verdicts", async () => {
    const { data, database } = gateway();
    const id = await connectionWithSecrets("Sandbox wrong secret", "not-the-secret");
    const result = await data<TestResult>(TEST, { id });
    const test = result.testConnection.data;
    expect(test.ok).toBe(false);
    expect(test.syspro.ok).toBe(true);
    expect(test.avidxchange).toMatchObject({ ok: false, code: "WRONG_SECRET" });
    expect(test.avidxchange.message).not.toContain("not-the-secret");
    expect(test.connection.credentials.map((c) => [c.kind, c.verifiedAt !== null])).toEqual([
      ["SYSPRO_OPERATOR_PASSWORD", true],
      ["SYSPRO_COMPANY_PASSWORD", true],
      ["SYSPRO_ODATA_PASSWORD", true],
      ["AVID_CLIENT_SECRET", false],
    ]);
    const events = await database.sql<{ data: unknown; actor: string }[]>`
      select data, actor from audit_events where type = 'connection.tested' order by id desc limit 1`;
    expect(events[0]).toEqual({
      actor: "test-admin",
      data: {
        ok: false,
        syspro: { ok: true, code: "OK" },
        avidxchange: { ok: false, code: "WRONG_SECRET" },
      },
    });
  });
});
