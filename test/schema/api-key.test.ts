import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { apiKeys } from "../../src/db/schema/api-keys.js";
import { auditEvents } from "../../src/db/schema/audit.js";
import { guardLeaks } from "../setup/leaks.js";
import { useGateway } from "../server/harness.js";

guardLeaks();
const gateway = useGateway();

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on MutationCreateApiKeySuccess {
        data {
          key
          apiKey {
            id
            name
            role
            prefix
            active
          }
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

const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on MutationRevokeApiKeySuccess {
        data {
          apiKey {
            id
            active
            revokedAt
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

type CreateResult = {
  __typename: string;
  code?: string;
  message?: string;
  issues?: { path: string[]; message: string }[];
  data?: { key: string; apiKey: { id: string; name: string; role: string; prefix: string } };
};

async function createKey(name: string, role: string, key: string) {
  const response = await gateway().gql(CREATE, { key, variables: { input: { name, role } } });
  return { response, result: response.body.data?.["createApiKey"] as CreateResult | undefined };
}

describe("createApiKey is admin-only", () => {
  it.each(["viewer", "operator"] as const)(
    "refuses a %s key with FORBIDDEN and no data",
    async (role) => {
      const { keys, database } = gateway();
      const { response } = await createKey(`made-by-${role}`, "VIEWER", keys[role]);
      expect(response.body.data).toBeNull();
      expect(response.body.errors).toEqual([
        {
          message: `Forbidden: Mutation.createApiKey needs the admin role; this API key has ${role}.`,
          extensions: { code: "FORBIDDEN" },
          locations: expect.any(Array) as unknown,
          path: ["createApiKey"],
        },
      ]);
      const rows = await database.db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.name, `made-by-${role}`));
      expect(rows).toEqual([]);
    },
  );

  it("lets an admin create a key, shown once, stored only as a hash, audited", async () => {
    const { keys, database, gql } = gateway();
    const { result } = await createKey("finance-portal", "OPERATOR", keys.admin);
    expect(result?.__typename).toBe("MutationCreateApiKeySuccess");
    const created = result?.data;
    expect(created?.key).toMatch(/^mlc_[A-Za-z0-9_-]{43}$/);
    expect(created?.apiKey).toMatchObject({
      name: "finance-portal",
      role: "OPERATOR",
      prefix: created?.key.slice(0, 12),
      active: true,
    });

    const [row] = await database.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.name, "finance-portal"));
    expect(row?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created?.key);

    const [audit] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "api_key.created"))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(audit).toMatchObject({
      actor: "test-admin",
      subjectType: "api_key",
      subjectId: row?.id,
      data: { name: "finance-portal", role: "operator", prefix: created?.key.slice(0, 12) },
    });
    expect(JSON.stringify(audit)).not.toContain(created?.key);

    // The new key works, with its role.
    const viewer = await gql("{ viewer { apiKeyName role } }", { key: created?.key ?? "" });
    expect(viewer.body.data).toEqual({
      viewer: { apiKeyName: "finance-portal", role: "OPERATOR" },
    });
  });

  it("checks the role before the input: bad input from a viewer is still FORBIDDEN", async () => {
    const { keys } = gateway();
    const { response } = await createKey("  ", "VIEWER", keys.viewer);
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: "FORBIDDEN" });
  });

  it("returns ValidationError for a bad name, and changes nothing", async () => {
    const { keys, database } = gateway();
    const before = await database.db.select().from(apiKeys);
    const { result } = await createKey("  ", "VIEWER", keys.admin);
    expect(await database.db.select().from(apiKeys)).toEqual(before);
    expect(result).toEqual({
      __typename: "ValidationError",
      code: "VALIDATION_FAILED",
      message: "Invalid input: input.name: Give the key a name.",
      issues: [{ path: ["input", "name"], message: "Give the key a name." }],
    });
  });

  it("returns ConflictError for a name an active key already has", async () => {
    const { keys } = gateway();
    const { result } = await createKey("test-viewer", "VIEWER", keys.admin);
    expect(result).toEqual({
      __typename: "ConflictError",
      code: "CONFLICT",
      message: 'An active API key is already named "test-viewer".',
    });
  });
});

describe("revokeApiKey", () => {
  it("revokes a key (admin only), audits it, and the key is refused afterwards", async () => {
    const { keys, gql, database } = gateway();
    const { result } = await createKey("to-revoke", "VIEWER", keys.admin);
    const id = result?.data?.apiKey.id ?? "";
    const plaintext = result?.data?.key ?? "";

    const refused = await gql(REVOKE, { key: keys.operator, variables: { id } });
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: "FORBIDDEN" });

    const revoked = await gql(REVOKE, { key: keys.admin, variables: { id } });
    expect(revoked.body.data?.["revokeApiKey"]).toMatchObject({
      __typename: "MutationRevokeApiKeySuccess",
      data: { apiKey: { id, active: false, revokedAt: expect.any(String) as unknown } },
    });
    expect((await gql("{ __typename }", { key: plaintext })).status).toBe(401);

    const trail = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "api_key.revoked"));
    expect(trail).toEqual([
      expect.objectContaining({
        actor: "test-admin",
        data: expect.objectContaining({ name: "to-revoke" }) as unknown,
      }),
    ]);
  });

  it("refuses to revoke the last active admin key (typed ForbiddenError)", async () => {
    const { keys, gql } = gateway();
    const me = await gql("{ apiKeys { id name role } }", { key: keys.admin });
    const admins = (me.body.data?.["apiKeys"] as { id: string; role: string }[]).filter(
      (k) => k.role === "ADMIN",
    );
    expect(admins).toHaveLength(1);
    const response = await gql(REVOKE, { key: keys.admin, variables: { id: admins[0]?.id } });
    expect(response.body.data?.["revokeApiKey"]).toEqual({
      __typename: "ForbiddenError",
      code: "FORBIDDEN",
      message: "This is the last active admin key; create another admin key before revoking it.",
    });
  });

  it("answers NotFoundError for an id that is no key", async () => {
    const { keys, gql } = gateway();
    const id = Buffer.from("ApiKey:00000000-0000-4000-8000-000000000000").toString("base64");
    const response = await gql(REVOKE, { key: keys.admin, variables: { id } });
    expect(response.body.data?.["revokeApiKey"]).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "API key not found.",
    });
  });
});

describe("reading keys", () => {
  it("lists keys for admins only, never a hash or a key", async () => {
    const { keys, gql } = gateway();
    const query = "{ apiKeys { name role prefix active } }";
    const forViewer = await gql(query, { key: keys.viewer });
    expect(forViewer.body.data).toBeNull();
    expect(forViewer.body.errors?.[0]?.extensions).toEqual({ code: "FORBIDDEN" });

    const forAdmin = await gql(query, { key: keys.admin });
    const list = forAdmin.body.data?.["apiKeys"] as { name: string }[];
    expect(list.map((k) => k.name)).toEqual(
      expect.arrayContaining(["test-viewer", "test-operator", "test-admin"]),
    );
    for (const key of Object.values(keys)) {
      expect(JSON.stringify(forAdmin.body)).not.toContain(key);
    }
  });

  it("resolves an ApiKey through node(id) for an admin", async () => {
    const { keys, gql } = gateway();
    const list = await gql("{ apiKeys { id name } }", { key: keys.admin });
    const first = (list.body.data?.["apiKeys"] as { id: string; name: string }[])[0];
    const node = await gql("query ($id: ID!) { node(id: $id) { id ... on ApiKey { name } } }", {
      key: keys.admin,
      variables: { id: first?.id },
    });
    expect(node.body.data).toEqual({ node: { id: first?.id, name: first?.name } });
  });
});
