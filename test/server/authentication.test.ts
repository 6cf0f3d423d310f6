import { describe, expect, it } from "vitest";

import { issueApiKey, revokeApiKey } from "../../src/auth/api-keys.js";
import { guardLeaks } from "../setup/leaks.js";
import { useGateway } from "./harness.js";

guardLeaks();
const gateway = useGateway();

describe("authentication on /graphql", () => {
  it("answers { __typename } for a valid key", async () => {
    const { gql, keys } = gateway();
    const response = await gql("{ __typename }", { key: keys.viewer });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { __typename: "Query" } });
  });

  it("refuses a request without a key: 401, UNAUTHENTICATED, no data", async () => {
    const { gql } = gateway();
    const response = await gql("{ __typename }", { key: null });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(response.body).toEqual({
      errors: [
        {
          message: "Authentication required: send the header `Authorization: Bearer <API key>`.",
          extensions: { code: "UNAUTHENTICATED" },
        },
      ],
    });
  });

  it("refuses a wrong key the same way", async () => {
    const { gql } = gateway();
    const response = await gql("{ __typename }", {
      key: "mlc_0000000000000000000000000000000000000000000",
    });
    expect(response.status).toBe(401);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
    expect(response.body.errors?.[0]?.message).toBe(
      "Invalid API key: it is unknown or has been revoked.",
    );
  });

  it("refuses another scheme (Basic) as if no key were sent", async () => {
    const { yoga, keys } = gateway();
    const response = await yoga.fetch("http://yoga/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${keys.admin}` },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(401);
  });

  it("authenticates before validating: an invalid query without a key reveals nothing", async () => {
    const { gql } = gateway();
    const response = await gql("{ apiKeyz { secret } }", { key: null });
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toContain("apiKey");
  });

  it("refuses a key once it is revoked", async () => {
    const { gql, database } = gateway();
    const issued = await issueApiKey(database.db, { name: "short-lived", role: "viewer" });
    expect((await gql("{ __typename }", { key: issued.key })).status).toBe(200);

    await revokeApiKey(database.db, issued.apiKey.id);

    const response = await gql("{ __typename }", { key: issued.key });
    expect(response.status).toBe(401);
    expect(response.body.data).toBeUndefined();
  });

  it("authenticates GET queries too", async () => {
    const { yoga, keys } = gateway();
    const url = `http://yoga/graphql?query=${encodeURIComponent("{ viewer { role } }")}`;
    const refused = await yoga.fetch(url, { headers: { accept: "application/json" } });
    expect(refused.status).toBe(401);
    const allowed = await yoga.fetch(url, {
      headers: { accept: "application/json", authorization: `Bearer ${keys.operator}` },
    });
    expect(await allowed.json()).toEqual({ data: { viewer: { role: "OPERATOR" } } });
  });

  it("serves the GraphiQL page without a key (the key goes in its headers editor)", async () => {
    const { yoga } = gateway();
    const response = await yoga.fetch("http://yoga/graphql", { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("GraphiQL");
  });
});

describe("viewer", () => {
  it("names the calling key and its role", async () => {
    const { gql, keys } = gateway();
    const response = await gql("{ viewer { apiKeyName role keyPrefix } }", { key: keys.admin });
    expect(response.body).toEqual({
      data: {
        viewer: { apiKeyName: "test-admin", role: "ADMIN", keyPrefix: keys.admin.slice(0, 12) },
      },
    });
  });
});
