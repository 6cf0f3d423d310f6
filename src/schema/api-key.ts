import { inArray } from "drizzle-orm";
import { z } from "zod";

import { issueApiKey, listApiKeys, revokeApiKey } from "../auth/api-keys.js";
import { withTransaction } from "../db/client.js";
import { apiKeys } from "../db/schema/api-keys.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import { builder } from "./builder.js";
import { outcome } from "./results.js";
import { RoleEnum } from "./role.js";

import type { ApiKeyRecord } from "../auth/api-keys.js";

/** A UUID check before the database sees an id (a malformed uuid is "not found", not a crash). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ApiKey = builder.loadableNode("ApiKey", {
  description:
    "A key for calling this API. Only its prefix is ever shown again after it is created.",
  authScopes: { admin: true },
  id: { resolve: (key: ApiKeyRecord) => key.id },
  load: async (ids: string[], ctx) => {
    const valid = ids.filter((id) => UUID.test(id));
    const rows =
      valid.length === 0
        ? []
        : await ctx.db
            .select({
              id: apiKeys.id,
              name: apiKeys.name,
              prefix: apiKeys.prefix,
              role: apiKeys.role,
              createdAt: apiKeys.createdAt,
              revokedAt: apiKeys.revokedAt,
              lastUsedAt: apiKeys.lastUsedAt,
            })
            .from(apiKeys)
            .where(inArray(apiKeys.id, valid));
    return rows;
  },
  sort: (key) => key.id,
  fields: (t) => ({
    name: t.exposeString("name", { description: "Who or what uses the key; the audit actor." }),
    prefix: t.exposeString("prefix", {
      description: "The key's first characters, to tell keys apart.",
    }),
    role: t.expose("role", { type: RoleEnum, description: "What the key may do." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was created." }),
    lastUsedAt: t.expose("lastUsedAt", {
      type: "DateTime",
      nullable: true,
      description: "Last successful use, to the minute.",
    }),
    revokedAt: t.expose("revokedAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was revoked; empty while it is active.",
    }),
    active: t.boolean({
      description: "The key is accepted (not revoked).",
      resolve: (key) => key.revokedAt === null,
    }),
  }),
});

const Viewer = builder.simpleObject("Viewer", {
  description: "The API key making this request.",
  fields: (t) => ({
    apiKeyName: t.string({ description: "The key's name, recorded as actor on audit events." }),
    keyPrefix: t.string({ description: "The key's first characters, to tell keys apart." }),
    role: t.field({ type: RoleEnum, description: "What the key may do." }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    description: "Who you are: the API key this request uses and its role.",
    resolve: (_root, _args, ctx) => ({
      apiKeyName: ctx.principal.name,
      keyPrefix: ctx.principal.prefix,
      role: ctx.principal.role,
    }),
  }),
  apiKeys: t.field({
    type: [ApiKey],
    description: "API keys, oldest first. Admin only.",
    authScopes: { admin: true },
    args: {
      includeRevoked: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: "Also list revoked keys (default: active keys only).",
      }),
    },
    resolve: (_root, args, ctx) =>
      listApiKeys(ctx.db, { includeRevoked: args.includeRevoked ?? false }),
  }),
}));

const CreateApiKeyInput = builder.inputType("CreateApiKeyInput", {
  description: "A new API key: who uses it and what it may do.",
  fields: (t) => ({
    name: t.string({
      required: true,
      description: "Who or what will use the key, e.g. `finance-portal`. Unique among active keys.",
      validate: z
        .string()
        .trim()
        .min(1, "Give the key a name.")
        .max(100, "Use at most 100 characters.")
        .regex(/^[\w .@:-]*$/, "Use letters, digits, spaces and . _ - @ : only."),
    }),
    role: t.field({ type: RoleEnum, required: true, description: "What the key may do." }),
  }),
});

const CreateApiKeyPayload = builder.simpleObject("CreateApiKeyPayload", {
  description: "A new API key, with its plaintext shown this once.",
  fields: (t) => ({
    key: t.string({
      description: "The new key. Store it now: it is shown only in this response.",
    }),
    apiKey: t.field({ type: ApiKey, description: "The new key's record (without the secret)." }),
  }),
});

const RevokeApiKeyPayload = builder.simpleObject("RevokeApiKeyPayload", {
  description: "A revoked API key.",
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, description: "The key, now revoked." }),
  }),
});

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description: "Create an API key. Admin only. The plaintext key is returned once.",
    authScopes: { admin: true },
    errors: outcome("creating an API key", [ConflictError]),
    args: {
      input: t.arg({ type: CreateApiKeyInput, required: true, description: "The new key." }),
    },
    resolve: (_root, { input }, ctx) =>
      withTransaction(ctx.db, async (tx) => {
        const issued = await issueApiKey(tx, { name: input.name.trim(), role: input.role });
        await ctx.audit(
          {
            type: "api_key.created",
            subjectType: "api_key",
            subjectId: issued.apiKey.id,
            data: {
              name: issued.apiKey.name,
              role: issued.apiKey.role,
              prefix: issued.apiKey.prefix,
            },
          },
          tx,
        );
        return { key: issued.key, apiKey: issued.apiKey };
      }),
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    description:
      "Revoke an API key; requests with it are refused from now on. Admin only. The last active admin key cannot be revoked.",
    authScopes: { admin: true },
    errors: outcome("revoking an API key", [NotFoundError, ForbiddenError]),
    args: {
      id: t.arg.globalID({ for: ApiKey, required: true, description: "The key to revoke." }),
    },
    resolve: (_root, { id }, ctx) =>
      withTransaction(ctx.db, async (tx) => {
        if (!UUID.test(id.id)) {
          throw new NotFoundError("API key");
        }
        const { apiKey, changed } = await revokeApiKey(tx, id.id);
        await ctx.audit(
          {
            type: "api_key.revoked",
            subjectType: "api_key",
            subjectId: apiKey.id,
            data: {
              name: apiKey.name,
              role: apiKey.role,
              prefix: apiKey.prefix,
              alreadyRevoked: !changed,
            },
          },
          tx,
        );
        return { apiKey };
      }),
  }),
}));
