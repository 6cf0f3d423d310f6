import { randomBytes } from "node:crypto";

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { remoteSessions } from "../../src/db/schema/index.js";
import {
  deleteCredentials,
  getCredentials,
  listCredentialStatus,
  markCredentialsVerified,
  setCredentials,
} from "../../src/secrets/credential-store.js";
import { rotateKeys } from "../../src/secrets/rotate-keys.js";
import { decryptSessionValue, encryptSessionValue } from "../../src/secrets/session-values.js";
import { createVault, isVaultError } from "../../src/secrets/vault.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { insertConnection } from "../db/fixtures.js";

import type { Sql } from "postgres";

guardLeaks();
const t = useTestDatabase();

const oldKey = { id: "k-old", key: randomBytes(32) };
const newKey = { id: "k-new", key: randomBytes(32) };
const vault = createVault({ keys: [oldKey], currentKeyId: oldKey.id });

// Distinctive, so a match anywhere in the database can only be a leak.
const SECRETS = {
  syspro_operator_password: "Op3rator-PLAINTEXT-a8f1",
  syspro_company_password: "C0mpany-PLAINTEXT-b2c9",
  syspro_odata_password: "OData-PLAINTEXT-77de",
  avid_client_secret: "AvidClientSecret-PLAINTEXT-41aa",
};
const SESSION_TOKEN = "e-net-UserId-PLAINTEXT-5f3c";

/** Tables (any schema but the system ones) whose rows, cast to text, contain `needle`. */
async function tablesContaining(sqlClient: Sql, needle: string): Promise<string[]> {
  const tables = await sqlClient<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE'
      and table_schema not in ('pg_catalog', 'information_schema')`;
  const forms = [
    needle,
    Buffer.from(needle).toString("hex"), // how bytea appears in a row's text form
    Buffer.from(needle).toString("base64"),
  ];
  const found: string[] = [];
  for (const { schema, name } of tables) {
    const [hit] = await sqlClient.unsafe<{ n: number }[]>(
      `select count(*)::int as n from "${schema}"."${name}" t
       where position(lower($1) in lower(t::text)) > 0
          or position(lower($2) in lower(t::text)) > 0
          or position($3 in t::text) > 0`,
      forms,
    );
    if ((hit?.n ?? 0) > 0) {
      found.push(`${schema}.${name}`);
    }
  }
  return found;
}

describe("credential store", () => {
  it("stores secrets encrypted: no plaintext anywhere in the database", async () => {
    const connection = await insertConnection(t.db);
    await setCredentials(t.db, vault, connection.id, SECRETS);
    const key = `syspro:enet:${connection.id}`;
    await t.db.insert(remoteSessions).values({
      key,
      connectionId: connection.id,
      system: "syspro",
      ...encryptSessionValue(vault, key, SESSION_TOKEN),
    });

    for (const secret of [...Object.values(SECRETS), SESSION_TOKEN]) {
      expect(await tablesContaining(t.sql, secret)).toEqual([]);
    }
    // The scan does find what is stored in plaintext (it could fail).
    expect(await tablesContaining(t.sql, connection.avidClientId)).toContain("public.connections");
    expect(await getCredentials(t.db, vault, connection.id)).toEqual(SECRETS);
  });

  it("tells which secrets are set without their values; replacing one clears its verification", async () => {
    const connection = await insertConnection(t.db);
    await setCredentials(t.db, vault, connection.id, {
      syspro_operator_password: "first",
      avid_client_secret: "secret",
    });
    await markCredentialsVerified(t.db, connection.id, [
      "syspro_operator_password",
      "avid_client_secret",
    ]);
    await setCredentials(t.db, vault, connection.id, { syspro_operator_password: "second" });

    const status = await listCredentialStatus(t.db, connection.id);
    expect(status.map((s) => [s.kind, s.verifiedAt !== null])).toEqual([
      ["syspro_operator_password", false],
      ["avid_client_secret", true],
    ]);
    expect(Object.keys(status[0] ?? {}).sort()).toEqual(["kind", "updatedAt", "verifiedAt"]);
    expect(await getCredentials(t.db, vault, connection.id)).toEqual({
      syspro_operator_password: "second",
      avid_client_secret: "secret",
    });
  });

  it("a ciphertext copied into another connection's row does not decrypt", async () => {
    const a = await insertConnection(t.db);
    const b = await insertConnection(t.db);
    await setCredentials(t.db, vault, a.id, { avid_client_secret: "for-a-only" });
    await setCredentials(t.db, vault, b.id, { avid_client_secret: "placeholder" });
    await t.db.execute(sql`
      update credentials set ciphertext = src.ciphertext, iv = src.iv, auth_tag = src.auth_tag
      from credentials src
      where src.connection_id = ${a.id} and credentials.connection_id = ${b.id}`);
    const error = await getCredentials(t.db, vault, b.id).catch((e: unknown) => e);
    expect(isVaultError(error) && error.code).toBe("VAULT_TAMPERED");
    await deleteCredentials(t.db, b.id, ["avid_client_secret"]);
  });
});

describe("rotateKeys", () => {
  it("re-encrypts every credential and session with the current key; the old key id is gone", async () => {
    const connection = await insertConnection(t.db);
    await setCredentials(t.db, vault, connection.id, SECRETS);
    const key = `avidxchange:token:${connection.id}`;
    await t.db.insert(remoteSessions).values({
      key,
      connectionId: connection.id,
      system: "avidxchange",
      ...encryptSessionValue(vault, key, SESSION_TOKEN),
    });
    const before = await t.sql<{ ciphertext: Buffer }[]>`
      select ciphertext from credentials where connection_id = ${connection.id} order by kind`;

    const rotated = createVault({ keys: [newKey, oldKey], currentKeyId: newKey.id });
    const result = await rotateKeys(t.db, rotated);
    expect(result.credentials).toBeGreaterThanOrEqual(4);
    expect(result.remoteSessions).toBeGreaterThanOrEqual(1);
    expect(result.keyIdsInUse).toEqual([newKey.id]);

    const after = await t.sql<{ ciphertext: Buffer }[]>`
      select ciphertext from credentials where connection_id = ${connection.id} order by kind`;
    expect(after.map((r) => r.ciphertext.toString("hex"))).not.toEqual(
      before.map((r) => r.ciphertext.toString("hex")),
    );
    // Only the new key is needed now.
    const onlyNew = createVault({ keys: [newKey], currentKeyId: newKey.id });
    expect(await getCredentials(t.db, onlyNew, connection.id)).toEqual(SECRETS);
    const [session] = await t.db
      .select()
      .from(remoteSessions)
      .where(sql`key = ${key}`);
    expect(session && decryptSessionValue(onlyNew, session)).toBe(SESSION_TOKEN);
    // And the old key alone can no longer read them.
    const error = await getCredentials(t.db, vault, connection.id).catch((e: unknown) => e);
    expect(isVaultError(error) && error.code).toBe("VAULT_UNKNOWN_KEY");

    // Running it again has nothing left to do.
    expect(await rotateKeys(t.db, rotated)).toMatchObject({ credentials: 0, remoteSessions: 0 });
  });
});
