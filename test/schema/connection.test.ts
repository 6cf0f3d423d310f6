import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import {
  auditEvents,
  connections,
  credentials,
  remoteSessions,
} from "../../src/db/schema/index.js";
import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { seedConnection } from "./seed.js";

guardLeaks();
const gateway = useSchemaGateway();

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateConnectionInput!) {
    createConnection(input: $input) {
      __typename
      ... on MutationCreateConnectionSuccess {
        data {
          id
          name
          status
          sysproCompanyId
          avidCompanyHeader
          postingMethod
          paymentPostingStatus
        }
      }
      ... on Error {
        code
        message
      }
      ... on ValidationError {
        issues {
          path
          message
        }
      }
    }
  }
`;

const validInput = (name: string) => ({
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
  postingMethod: "GENTJL",
});

type CreateResult = {
  createConnection: {
    __typename: string;
    data?: {
      id: string;
      name: string;
      status: string;
      avidCompanyHeader: string;
      postingMethod: string;
      paymentPostingStatus: string;
    };
    code?: string;
    message?: string;
    issues?: { path: string[]; message: string }[];
  };
};

async function create(name: string) {
  const result = await gateway().data<CreateResult>(CREATE, { input: validInput(name) });
  const created = result.createConnection.data;
  if (!created) {
    throw new Error(JSON.stringify(result));
  }
  return created;
}

describe("createConnection", () => {
  it("creates a connection with defaults and audits it under the key's name", async () => {
    const { data, database } = gateway();
    const result = await data<CreateResult>(CREATE, { input: validInput("Acme US") });
    expect(result.createConnection).toMatchObject({
      __typename: "MutationCreateConnectionSuccess",
      data: {
        name: "Acme US",
        status: "ACTIVE",
        avidCompanyHeader: "X-Avid-Company-Id",
        postingMethod: "GENTJL",
        paymentPostingStatus: "Funds Received",
      },
    });
    const [row] = await database.db
      .select()
      .from(connections)
      .where(eq(connections.name, "Acme US"));
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, row!.id));
    expect(events.map((e) => [e.type, e.actor])).toEqual([["connection.created", "test-admin"]]);
  });

  it("refuses a duplicate name with a ConflictError", async () => {
    const { data } = gateway();
    await create("Duplicate Co");
    const result = await data<CreateResult>(CREATE, { input: validInput("Duplicate Co") });
    expect(result.createConnection).toEqual({
      __typename: "ConflictError",
      code: "CONFLICT",
      message: 'A connection named "Duplicate Co" already exists.',
    });
  });

  it("refuses bad input with every problem listed, and changes nothing", async () => {
    const { data, database } = gateway();
    const before = await database.db.select().from(connections);
    const result = await data<CreateResult>(CREATE, {
      input: {
        ...validInput("  "),
        sysproEnetBaseUrl: "ftp://erp",
        avidCompanyHeader: "Bad Header!",
      },
    });
    expect(result.createConnection.__typename).toBe("ValidationError");
    expect(result.createConnection.issues?.map((i) => i.path.join("."))).toEqual([
      "input.name",
      "input.sysproEnetBaseUrl",
      "input.avidCompanyHeader",
    ]);
    expect(await database.db.select().from(connections)).toHaveLength(before.length);
  });
});

describe("connections and connection(id)", () => {
  it("pages by name forwards and backwards, with filters and a total", async () => {
    const { data, database } = gateway();
    const prefix = `Pager ${Date.now()}`;
    for (const letter of ["D", "B", "E", "A", "C"]) {
      await seedConnection(database.db, { name: `${prefix} ${letter}` });
    }
    await seedConnection(database.db, { name: `${prefix} Z`, status: "disabled" });
    type Page = {
      connections: {
        totalCount: number;
        edges: { node: { name: string } }[];
        pageInfo: {
          hasNextPage: boolean;
          hasPreviousPage: boolean;
          endCursor: string;
          startCursor: string;
        };
      };
    };
    const query = /* GraphQL */ `
      query ($first: Int, $last: Int, $after: String, $before: String, $search: String) {
        connections(
          first: $first
          last: $last
          after: $after
          before: $before
          search: $search
          status: [ACTIVE]
        ) {
          totalCount
          edges {
            node {
              name
            }
          }
          pageInfo {
            hasNextPage
            hasPreviousPage
            endCursor
            startCursor
          }
        }
      }
    `;
    const names = (page: Page) => page.connections.edges.map((e) => e.node.name.slice(-1));
    const first = await data<Page>(query, { first: 2, search: prefix.toLowerCase() });
    expect(names(first)).toEqual(["A", "B"]);
    expect(first.connections.totalCount).toBe(5);
    expect(first.connections.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await data<Page>(query, {
      first: 2,
      after: first.connections.pageInfo.endCursor,
      search: prefix,
    });
    expect(names(second)).toEqual(["C", "D"]);
    const third = await data<Page>(query, {
      first: 2,
      after: second.connections.pageInfo.endCursor,
      search: prefix,
    });
    expect(names(third)).toEqual(["E"]);
    expect(third.connections.pageInfo.hasNextPage).toBe(false);

    const back = await data<Page>(query, {
      last: 2,
      before: third.connections.pageInfo.startCursor,
      search: prefix,
    });
    expect(names(back)).toEqual(["C", "D"]);
    expect(back.connections.pageInfo.hasPreviousPage).toBe(true);
  });

  it("refuses a cursor from another list", async () => {
    const { gql } = gateway();
    const foreign = Buffer.from(JSON.stringify(["invoices:date-desc", "2025-01-01", "x"])).toString(
      "base64url",
    );
    const response = await gql(
      `query ($after: String) { connections(after: $after) { totalCount } }`,
      {
        after: foreign,
      },
    );
    expect(response.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining("This cursor does not belong to this list") as string,
      extensions: { code: "VALIDATION_FAILED" },
    });
  });

  it("reads one connection by id and as a node; null for an unknown id", async () => {
    const { data } = gateway();
    const created = await create("Lookup Ltd");
    const result = await data<{
      connection: { name: string };
      node: { __typename: string; name: string };
      missing: null;
    }>(
      `query ($id: ID!, $missing: ID!) {
        connection(id: $id) { name }
        node(id: $id) { __typename ... on Connection { name } }
        missing: connection(id: $missing) { name }
      }`,
      {
        id: created.id,
        missing: Buffer.from("Connection:00000000-0000-4000-8000-000000000000").toString("base64"),
      },
    );
    expect(result).toEqual({
      connection: { name: "Lookup Ltd" },
      node: { __typename: "Connection", name: "Lookup Ltd" },
      missing: null,
    });
  });
});

const SET_CREDENTIALS = /* GraphQL */ `
  mutation ($input: SetCredentialsInput!) {
    setCredentials(input: $input) {
      __typename
      ... on MutationSetCredentialsSuccess {
        data {
          credentials {
            kind
            isSet
            setAt
            verifiedAt
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

describe("setCredentials (write-only)", () => {
  it("stores secrets encrypted, shows only which are set, and never returns a value", async () => {
    const { gql, database } = gateway();
    const created = await create("Secretive Inc");
    const secret = "s3cr3t-Client-Secret-value";
    const response = await gql(SET_CREDENTIALS, {
      input: {
        connectionId: created.id,
        avidClientSecret: secret,
        sysproOdataPassword: "odata-pw",
      },
    });
    expect(JSON.stringify(response.body)).not.toContain(secret);
    const credentialStatus = (
      response.body.data as {
        setCredentials: {
          data: { credentials: { kind: string; isSet: boolean; verifiedAt: null }[] };
        };
      }
    ).setCredentials.data.credentials;
    expect(credentialStatus.map((c) => [c.kind, c.isSet, c.verifiedAt])).toEqual([
      ["SYSPRO_OPERATOR_PASSWORD", false, null],
      ["SYSPRO_COMPANY_PASSWORD", false, null],
      ["SYSPRO_ODATA_PASSWORD", true, null],
      ["AVID_CLIENT_SECRET", true, null],
    ]);

    const connectionId = Buffer.from(created.id, "base64").toString().split(":")[1]!;
    const rows = await database.db
      .select()
      .from(credentials)
      .where(eq(credentials.connectionId, connectionId));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.ciphertext.toString("utf8")).not.toContain(secret);
    }
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "credentials.set"));
    expect(event?.data).toEqual({
      set: ["syspro_odata_password", "avid_client_secret"],
      cleared: [],
    });
    expect(JSON.stringify(event)).not.toContain(secret);

    // There is no field that reads a secret back.
    const probe = await gql(`{ connections { edges { node { credentials { value } } } } }`);
    expect(probe.status).toBe(400);
  });

  it("clears a secret, and refuses an empty request", async () => {
    const { data } = gateway();
    const created = await create("Clearing Co");
    await data(SET_CREDENTIALS, { input: { connectionId: created.id, avidClientSecret: "x" } });
    const cleared = await data<{
      setCredentials: { data: { credentials: { kind: string; isSet: boolean }[] } };
    }>(SET_CREDENTIALS, { input: { connectionId: created.id, clear: ["AVID_CLIENT_SECRET"] } });
    expect(cleared.setCredentials.data.credentials.every((c) => !c.isSet)).toBe(true);

    const empty = await data<{ setCredentials: { __typename: string; message: string } }>(
      SET_CREDENTIALS,
      { input: { connectionId: created.id } },
    );
    expect(empty.setCredentials).toMatchObject({
      __typename: "ValidationError",
      message: expect.stringContaining("Give at least one secret to set or clear.") as string,
    });
  });

  it("answers NotFoundError for an unknown connection", async () => {
    const { data } = gateway();
    const result = await data<{ setCredentials: { __typename: string } }>(SET_CREDENTIALS, {
      input: {
        connectionId: Buffer.from("Connection:00000000-0000-4000-8000-000000000000").toString(
          "base64",
        ),
        avidClientSecret: "x",
      },
    });
    expect(result.setCredentials.__typename).toBe("NotFoundError");
  });
});

describe("updateConnection", () => {
  const UPDATE = /* GraphQL */ `
    mutation ($input: UpdateConnectionInput!) {
      updateConnection(input: $input) {
        __typename
        ... on MutationUpdateConnectionSuccess {
          data {
            name
            status
            bankCode
            sysproOperator
            credentials {
              kind
              verifiedAt
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

  it("changes only the given fields; a new identity voids verifications and cached sessions", async () => {
    const { data, database } = gateway();
    const created = await create("Updating Co");
    const id = Buffer.from(created.id, "base64").toString().split(":")[1]!;
    await data(SET_CREDENTIALS, {
      input: { connectionId: created.id, sysproOperatorPassword: "pw", avidClientSecret: "x" },
    });
    await database.db
      .update(credentials)
      .set({ verifiedAt: new Date() })
      .where(eq(credentials.connectionId, id));
    await database.db
      .insert(remoteSessions)
      .values({ key: `syspro:enet:${id}`, connectionId: id, system: "syspro" });

    const policyOnly = await data<{
      updateConnection: {
        data: { bankCode: string; credentials: { verifiedAt: string | null }[] };
      };
    }>(UPDATE, { input: { id: created.id, bankCode: "BANK1", status: "PAUSED" } });
    expect(policyOnly.updateConnection.data).toMatchObject({ bankCode: "BANK1", status: "PAUSED" });
    expect(policyOnly.updateConnection.data.credentials.filter((c) => c.verifiedAt)).toHaveLength(
      2,
    );

    const identity = await data<{
      updateConnection: {
        data: { sysproOperator: string; credentials: { verifiedAt: string | null }[] };
      };
    }>(UPDATE, { input: { id: created.id, sysproOperator: "NEWOP" } });
    expect(identity.updateConnection.data.sysproOperator).toBe("NEWOP");
    expect(identity.updateConnection.data.credentials.every((c) => c.verifiedAt === null)).toBe(
      true,
    );
    expect(
      await database.db.select().from(remoteSessions).where(eq(remoteSessions.connectionId, id)),
    ).toEqual([]);
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "connection.updated"))
      .orderBy(auditEvents.id)
      .limit(1);
    expect(event?.data).toEqual({
      changed: { bankCode: "BANK1", status: "paused" },
      verificationsReset: false,
    });
  });

  it("answers NotFoundError and ConflictError as typed results", async () => {
    const { data } = gateway();
    const a = await create("Taken Name");
    const b = await create("Other Name");
    const conflict = await data<{ updateConnection: { __typename: string } }>(UPDATE, {
      input: { id: b.id, name: "Taken Name" },
    });
    expect(conflict.updateConnection.__typename).toBe("ConflictError");
    const missing = await data<{ updateConnection: { __typename: string } }>(UPDATE, {
      input: {
        id: Buffer.from("Connection:00000000-0000-4000-8000-000000000000").toString("base64"),
        name: "x",
      },
    });
    expect(missing.updateConnection.__typename).toBe("NotFoundError");
    expect(a.name).toBe("Taken Name");
  });
});
