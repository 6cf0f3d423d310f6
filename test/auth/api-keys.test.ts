import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import {
  apiKeyPrefix,
  generateApiKey,
  hashApiKey,
  parseBearer,
} from "../../src/auth/api-key-format.js";
import {
  authenticateApiKey,
  ensureApiKey,
  issueApiKey,
  listApiKeys,
  revokeApiKey,
} from "../../src/auth/api-keys.js";
import { roleAtLeast } from "../../src/auth/roles.js";
import { apiKeys } from "../../src/db/schema/api-keys.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../../src/errors.js";
import { guardLeaks } from "../setup/leaks.js";
import { useTestDatabase } from "../setup/db.js";

guardLeaks();
const t = useTestDatabase();

describe("key format", () => {
  it("generates distinct mlc_ keys of 256 random bits with a display prefix and a hash", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^mlc_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).toBe(a.key.slice(0, 12));
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyPrefix(a.key)).toBe(a.prefix);
  });

  it("reads only the Bearer scheme", () => {
    expect(parseBearer("Bearer mlc_abc")).toBe("mlc_abc");
    expect(parseBearer("bearer   mlc_abc ")).toBe("mlc_abc");
    expect(parseBearer("Basic mlc_abc")).toBeNull();
    expect(parseBearer("Bearer")).toBeNull();
    expect(parseBearer(undefined)).toBeNull();
  });

  it("orders roles viewer < operator < admin", () => {
    expect(roleAtLeast("admin", "operator")).toBe(true);
    expect(roleAtLeast("operator", "operator")).toBe(true);
    expect(roleAtLeast("operator", "admin")).toBe(false);
    expect(roleAtLeast("viewer", "operator")).toBe(false);
  });
});

describe("stored keys", () => {
  it("stores only the hash and prefix, and authenticates the plaintext", async () => {
    const { key, apiKey } = await issueApiKey(t.db, { name: "portal", role: "operator" });
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row).toMatchObject({ prefix: key.slice(0, 12), keyHash: hashApiKey(key) });
    const stored = await t.sql`select * from api_keys where id = ${apiKey.id}`;
    expect(JSON.stringify(stored)).not.toContain(key);

    expect(row?.lastUsedAt).toBeNull();
    expect(await authenticateApiKey(t.db, key)).toEqual({
      keyId: apiKey.id,
      name: "portal",
      role: "operator",
      prefix: key.slice(0, 12),
    });
    const [used] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(used?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("refuses unknown, malformed and revoked keys", async () => {
    const { key, apiKey } = await issueApiKey(t.db, { name: "temp", role: "viewer" });
    expect(await authenticateApiKey(t.db, `${key}x`)).toBeNull();
    expect(await authenticateApiKey(t.db, "")).toBeNull();
    expect(await authenticateApiKey(t.db, "short")).toBeNull();
    const revoked = await revokeApiKey(t.db, apiKey.id);
    expect(revoked.changed).toBe(true);
    expect(await authenticateApiKey(t.db, key)).toBeNull();
    // Revoking again changes nothing.
    const again = await revokeApiKey(t.db, apiKey.id);
    expect(again).toEqual({ apiKey: revoked.apiKey, changed: false });
  });

  it("keeps names unique among active keys, even under concurrent creation", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => issueApiKey(t.db, { name: "dup", role: "viewer" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect(r.reason).toBeInstanceOf(ConflictError);
    }
  });

  it("never revokes the last active admin key", async () => {
    const admins = (await listApiKeys(t.db)).filter((k) => k.role === "admin");
    for (const admin of admins) {
      await revokeApiKey(t.db, admin.id).catch(() => undefined);
    }
    const one = await issueApiKey(t.db, { name: "admin-1", role: "admin" });
    const two = await issueApiKey(t.db, { name: "admin-2", role: "admin" });
    await revokeApiKey(t.db, one.apiKey.id);
    await expect(revokeApiKey(t.db, two.apiKey.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await authenticateApiKey(t.db, two.key)).toMatchObject({ role: "admin" });
  });

  it("answers NotFoundError for an unknown id", async () => {
    await expect(revokeApiKey(t.db, "00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe("bootstrap key (ADMIN_API_KEY)", () => {
  it("registers a known key once, idempotently, and it authenticates as admin", async () => {
    const key = "a-bootstrap-key-from-the-environment";
    const first = await ensureApiKey(t.db, { key, name: "bootstrap-admin", role: "admin" });
    const second = await ensureApiKey(t.db, { key, name: "bootstrap-admin", role: "admin" });
    expect(second).toEqual(first);
    expect(await authenticateApiKey(t.db, key)).toMatchObject({
      name: "bootstrap-admin",
      role: "admin",
    });
  });

  it("leaves a revoked bootstrap key revoked and says so", async () => {
    const key = "another-bootstrap-key-0123456789";
    const created = await ensureApiKey(t.db, { key, name: "bootstrap-2", role: "admin" });
    await issueApiKey(t.db, { name: "spare-admin", role: "admin" });
    await revokeApiKey(t.db, created.id);
    const again = await ensureApiKey(t.db, { key, name: "bootstrap-2", role: "admin" });
    expect(again.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(t.db, key)).toBeNull();
  });

  it("refuses an implausible bootstrap key", async () => {
    await expect(ensureApiKey(t.db, { key: "short", name: "x", role: "admin" })).rejects.toThrow(
      TypeError,
    );
  });
});
