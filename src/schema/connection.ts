import { z } from "zod";

import { ConflictError, NotFoundError } from "../errors.js";
import { CREDENTIAL_KINDS } from "../glossary.js";
import {
  connectionsByIds,
  countConnections,
  credentialStatusByConnectionIds,
  listConnections,
} from "../read-models/connections.js";
import { activeExceptionCounts } from "../read-models/exceptions.js";
import { groupByKeys, sortByKeys } from "../server/loaders.js";
import {
  createConnection,
  setConnectionCredentials,
  testConnection,
  updateConnection,
} from "../sync/commands/connections.js";
import { builder } from "./builder.js";
import {
  ConnectionStatusEnum,
  CredentialKindEnum,
  PostingMethodEnum,
  ReadinessStateEnum,
  RecodePolicyEnum,
  VendorDirectionPolicyEnum,
} from "./enums.js";
import { opt, optList } from "./filters.js";
import { TOTAL_COUNT_DESCRIPTION, keysetConnection } from "./pagination.js";

import type { CredentialKind } from "../glossary.js";
import type { ConnectionRow, CredentialStatusRow } from "../read-models/connections.js";
import type { SystemDiagnosis } from "../sync/commands/connections.js";

/**
 * A connection: one SYSPRO company paired with one AvidXchange company. Shows where both systems
 * are and which secrets are stored, never a secret.
 */
export const ConnectionRef = builder.loadableNode("Connection", {
  description:
    "One SYSPRO company paired with one AvidXchange company: endpoints, identities, policies and which credentials are stored. Secrets are never shown.",
  id: { resolve: (connection: ConnectionRow) => connection.id },
  load: (ids: string[], ctx) => connectionsByIds(ctx.db, ids),
  sort: (connection) => connection.id,
  fields: (t) => ({
    name: t.exposeString("name", { description: "A name people recognise, unique." }),
    status: t.expose("status", { type: ConnectionStatusEnum }),
    sysproEnetBaseUrl: t.exposeString("sysproEnetBaseUrl", {
      description: "SYSPRO e.net REST base URL (used for postings and logon).",
    }),
    sysproOdataBaseUrl: t.exposeString("sysproOdataBaseUrl", {
      description: "SYSPRO OData base URL (used to read suppliers, POs, invoices, GL accounts).",
    }),
    sysproCompanyId: t.exposeString("sysproCompanyId", { description: "The SYSPRO company." }),
    sysproOperator: t.exposeString("sysproOperator", {
      description: "The SYSPRO operator e.net logs on as.",
    }),
    sysproOdataUser: t.exposeString("sysproOdataUser", {
      description: "The user OData reads as.",
    }),
    avidBaseUrl: t.exposeString("avidBaseUrl", { description: "AvidXchange API gateway URL." }),
    avidTokenUrl: t.exposeString("avidTokenUrl", {
      description: "AvidXchange OAuth2 token URL.",
    }),
    avidClientId: t.exposeString("avidClientId", { description: "AvidXchange API client id." }),
    avidCompanyId: t.exposeString("avidCompanyId", {
      description: "The AvidXchange company (buyer) this connection acts for.",
    }),
    avidCompanyHeader: t.exposeString("avidCompanyHeader", {
      description: "HTTP header that carries the AvidXchange company id.",
    }),
    vendorDirectionPolicy: t.expose("vendorDirectionPolicy", { type: VendorDirectionPolicyEnum }),
    recodePolicy: t.expose("recodePolicy", { type: RecodePolicyEnum }),
    paymentPostingStatus: t.exposeString("paymentPostingStatus", {
      description: "The AvidXchange payment status at which a payment is posted to SYSPRO.",
    }),
    postingMethod: t.expose("postingMethod", { type: PostingMethodEnum }),
    bankCode: t.exposeString("bankCode", {
      nullable: true,
      description: "SYSPRO bank that payments are posted against.",
    }),
    apControlGl: t.exposeString("apControlGl", {
      nullable: true,
      description: "AP control GL account (journal postings).",
    }),
    bankClearingGl: t.exposeString("bankClearingGl", {
      nullable: true,
      description: "Bank clearing GL account (journal postings).",
    }),
    readiness: t.expose("readiness", {
      type: ReadinessStateEnum,
      description:
        "The last mapping-readiness verdict of the sync engine. `mappingReadiness` checks again now.",
    }),
    readinessCheckedAt: t.expose("readinessCheckedAt", { type: "DateTime", nullable: true }),
    readinessReport: t.expose("readinessReport", {
      type: "JSON",
      nullable: true,
      description: "The report behind the last verdict, as the sync engine stored it.",
    }),
    credentials: t.loadableList({
      type: CredentialStatusRef,
      description:
        "Every credential a connection can hold: whether it is set, when, and when a connection test last passed with it. Values are never shown.",
      load: async (ids: string[], ctx) => {
        const rows = await credentialStatusByConnectionIds(ctx.db, ids);
        return groupByKeys(ids, rows, (row) => row.connectionId).map(allCredentialKinds);
      },
      resolve: (connection) => connection.id,
    }),
    openExceptionCount: t.loadable({
      type: "Int",
      description: "Exceptions of this connection waiting for a person (open or being retried).",
      load: async (ids: string[], ctx) => {
        const rows = await activeExceptionCounts(ctx.db, ids);
        return sortByKeys(ids, rows, (row) => row.connectionId).map((row) =>
          row instanceof Error ? row : (row?.n ?? 0),
        );
      },
      resolve: (connection) => connection.id,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

interface CredentialStatus {
  readonly kind: CredentialKind;
  readonly updatedAt: Date | null;
  readonly verifiedAt: Date | null;
}

function allCredentialKinds(rows: readonly CredentialStatusRow[]): CredentialStatus[] {
  return CREDENTIAL_KINDS.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    return { kind, updatedAt: row?.updatedAt ?? null, verifiedAt: row?.verifiedAt ?? null };
  });
}

const CredentialStatusRef = builder.objectRef<CredentialStatus>("CredentialStatus").implement({
  description: "Whether one secret of a connection is stored. The value itself is never shown.",
  fields: (t) => ({
    kind: t.expose("kind", { type: CredentialKindEnum }),
    isSet: t.boolean({
      description: "A value is stored.",
      resolve: (status) => status.updatedAt !== null,
    }),
    setAt: t.expose("updatedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the value was last set.",
    }),
    verifiedAt: t.expose("verifiedAt", {
      type: "DateTime",
      nullable: true,
      description:
        "When a connection test last passed with this value; empty if never, or if the value or the connection's endpoints changed since.",
    }),
  }),
});

builder.queryFields((t) => ({
  connections: t.connection(
    {
      type: ConnectionRef,
      description: "Connections, by name.",
      args: {
        status: t.arg({ type: [ConnectionStatusEnum], required: false }),
        search: t.arg.string({ required: false, description: "Part of the name, any case." }),
      },
      resolve: (_root, args, ctx) => {
        const filter = { status: optList(args.status), search: opt(args.search) };
        return keysetConnection(
          args,
          (page) => listConnections(ctx.db, filter, page),
          () => countConnections(ctx.db, filter),
        );
      },
    },
    {
      name: "ConnectionConnection",
      fields: (tc) => ({
        totalCount: tc.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (c) => c.totalCount(),
        }),
      }),
    },
  ),
  connection: t.field({
    type: ConnectionRef,
    nullable: true,
    description: "One connection by id; null if there is none.",
    args: { id: t.arg.globalID({ for: ConnectionRef, required: true }) },
    resolve: (_root, { id }) => id.id,
  }),
}));

// ── Mutations (admin) ──────────────────────────────────────────────────────────────────────────

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "Give a full http(s) URL, e.g. https://syspro.example.com/SYSPROWCFService/Rest.");
const identifier = z.string().trim().min(1, "Required.").max(200, "Use at most 200 characters.");
const optionalCode = z.string().trim().max(50, "Use at most 50 characters.").nullish();
const connectionName = z
  .string()
  .trim()
  .min(1, "Give the connection a name.")
  .max(100, "Use at most 100 characters.");
const headerName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,100}$/, "An HTTP header name: letters, digits and dashes.");

/** One schema per input type (not per field) so a form learns every problem at once. */
const createShape = {
  name: connectionName,
  sysproEnetBaseUrl: httpUrl,
  sysproOdataBaseUrl: httpUrl,
  sysproCompanyId: identifier,
  sysproOperator: identifier,
  sysproOdataUser: identifier,
  avidBaseUrl: httpUrl,
  avidTokenUrl: httpUrl,
  avidClientId: identifier,
  avidCompanyId: identifier,
  avidCompanyHeader: headerName.nullish(),
  paymentPostingStatus: identifier.nullish(),
  bankCode: optionalCode,
  apControlGl: optionalCode,
  bankClearingGl: optionalCode,
};

const CreateConnectionInput = builder.inputType("CreateConnectionInput", {
  description: "A new connection. Its secrets are set afterwards with `setCredentials`.",
  validate: z.looseObject(createShape),
  fields: (t) => ({
    name: t.string({ required: true, description: "A name people recognise, unique." }),
    sysproEnetBaseUrl: t.string({ required: true }),
    sysproOdataBaseUrl: t.string({ required: true }),
    sysproCompanyId: t.string({ required: true }),
    sysproOperator: t.string({ required: true }),
    sysproOdataUser: t.string({ required: true }),
    avidBaseUrl: t.string({ required: true }),
    avidTokenUrl: t.string({ required: true }),
    avidClientId: t.string({ required: true }),
    avidCompanyId: t.string({ required: true }),
    avidCompanyHeader: t.string({ required: false, description: "Default X-Avid-Company-Id." }),
    vendorDirectionPolicy: t.field({ type: VendorDirectionPolicyEnum, required: false }),
    recodePolicy: t.field({ type: RecodePolicyEnum, required: false }),
    paymentPostingStatus: t.string({ required: false, description: "Default Funds Received." }),
    postingMethod: t.field({ type: PostingMethodEnum, required: false }),
    bankCode: t.string({ required: false }),
    apControlGl: t.string({ required: false }),
    bankClearingGl: t.string({ required: false }),
  }),
});

const UpdateConnectionInput = builder.inputType("UpdateConnectionInput", {
  description:
    "Changes to a connection; fields left out stay as they are. Changing an endpoint or identity marks its credentials unverified until the next connection test.",
  validate: z.looseObject(
    Object.fromEntries(
      Object.entries(createShape).map(([key, schema]) => [key, schema.nullish()]),
    ) as { [K in keyof typeof createShape]: z.ZodOptional<z.ZodNullable<(typeof createShape)[K]>> },
  ),
  fields: (t) => ({
    id: t.globalID({ for: ConnectionRef, required: true }),
    name: t.string({ required: false }),
    status: t.field({ type: ConnectionStatusEnum, required: false }),
    sysproEnetBaseUrl: t.string({ required: false }),
    sysproOdataBaseUrl: t.string({ required: false }),
    sysproCompanyId: t.string({ required: false }),
    sysproOperator: t.string({ required: false }),
    sysproOdataUser: t.string({ required: false }),
    avidBaseUrl: t.string({ required: false }),
    avidTokenUrl: t.string({ required: false }),
    avidClientId: t.string({ required: false }),
    avidCompanyId: t.string({ required: false }),
    avidCompanyHeader: t.string({ required: false }),
    vendorDirectionPolicy: t.field({ type: VendorDirectionPolicyEnum, required: false }),
    recodePolicy: t.field({ type: RecodePolicyEnum, required: false }),
    paymentPostingStatus: t.string({ required: false }),
    postingMethod: t.field({ type: PostingMethodEnum, required: false }),
    bankCode: t.string({ required: false, description: "Give an empty string to clear it." }),
    apControlGl: t.string({ required: false, description: "Give an empty string to clear it." }),
    bankClearingGl: t.string({ required: false, description: "Give an empty string to clear it." }),
  }),
});

const secret = z
  .string()
  .min(1, "A secret cannot be empty; use `clear` to remove one.")
  .max(1000, "Use at most 1000 characters.")
  .nullish();

const SetCredentialsInput = builder.inputType("SetCredentialsInput", {
  description:
    "Secrets to store for a connection (encrypted; they can never be read back). Secrets left out stay as they are.",
  fields: (t) => ({
    connectionId: t.globalID({ for: ConnectionRef, required: true }),
    sysproOperatorPassword: t.string({ required: false, validate: secret }),
    sysproCompanyPassword: t.string({ required: false, validate: secret }),
    sysproOdataPassword: t.string({ required: false, validate: secret }),
    avidClientSecret: t.string({ required: false, validate: secret }),
    clear: t.field({
      type: [CredentialKindEnum],
      required: false,
      description: "Secrets to remove.",
    }),
  }),
  // Loose: the validated value replaces the input, and a strict object would drop connectionId.
  validate: z
    .looseObject({
      sysproOperatorPassword: z.string().nullish(),
      sysproCompanyPassword: z.string().nullish(),
      sysproOdataPassword: z.string().nullish(),
      avidClientSecret: z.string().nullish(),
      clear: z.array(z.string()).nullish(),
    })
    .refine(
      (input) =>
        input.sysproOperatorPassword != null ||
        input.sysproCompanyPassword != null ||
        input.sysproOdataPassword != null ||
        input.avidClientSecret != null ||
        (input.clear?.length ?? 0) > 0,
      { message: "Give at least one secret to set or clear." },
    ),
});

const SystemDiagnosisRef = builder.objectRef<SystemDiagnosis>("SystemDiagnosis").implement({
  description: "What a connection test found for one system.",
  fields: (t) => ({
    ok: t.exposeBoolean("ok", { description: "Everything the test tried worked." }),
    code: t.exposeString("code", {
      description: "Stable reason, e.g. OK, WRONG_SECRET, UNREACHABLE, COMPANY_NOT_GRANTED.",
    }),
    message: t.exposeString("message", {
      description: "What was found and what to do about it, in plain words.",
    }),
    details: t.field({
      type: "JSON",
      nullable: true,
      description: "Facts the test saw: where it stopped, HTTP status, versions, counts.",
      resolve: (diagnosis) => diagnosis.details ?? null,
    }),
  }),
});

const ConnectionTestRef = builder
  .objectRef<{
    connection: ConnectionRow;
    diagnosis: { syspro: SystemDiagnosis; avidxchange: SystemDiagnosis };
    testedAt: Date;
  }>("ConnectionTest")
  .implement({
    description:
      "The result of a connection test: e.net logon and one OData read on SYSPRO; a fresh token and one page of vendors and GL codes on AvidXchange.",
    fields: (t) => ({
      ok: t.boolean({
        description: "Both systems passed.",
        resolve: ({ diagnosis }) => diagnosis.syspro.ok && diagnosis.avidxchange.ok,
      }),
      syspro: t.field({ type: SystemDiagnosisRef, resolve: ({ diagnosis }) => diagnosis.syspro }),
      avidxchange: t.field({
        type: SystemDiagnosisRef,
        resolve: ({ diagnosis }) => diagnosis.avidxchange,
      }),
      testedAt: t.expose("testedAt", { type: "DateTime" }),
      connection: t.field({
        type: ConnectionRef,
        description: "The connection, with its credentials' verification times updated.",
        // By id, so the credentials reflect the verification just recorded.
        resolve: ({ connection }) => connection.id,
      }),
    }),
  });

const nullToEmpty = (value: string | null | undefined): string | null | undefined =>
  value === undefined || value === null ? undefined : value.trim() === "" ? null : value.trim();

builder.mutationFields((t) => ({
  createConnection: t.field({
    type: ConnectionRef,
    description: "Create a connection. Admin only.",
    authScopes: { admin: true },
    errors: { types: [ConflictError] },
    args: { input: t.arg({ type: CreateConnectionInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createConnection(
        ctx.db,
        {
          name: input.name.trim(),
          sysproEnetBaseUrl: input.sysproEnetBaseUrl.trim(),
          sysproOdataBaseUrl: input.sysproOdataBaseUrl.trim(),
          sysproCompanyId: input.sysproCompanyId.trim(),
          sysproOperator: input.sysproOperator.trim(),
          sysproOdataUser: input.sysproOdataUser.trim(),
          avidBaseUrl: input.avidBaseUrl.trim(),
          avidTokenUrl: input.avidTokenUrl.trim(),
          avidClientId: input.avidClientId.trim(),
          avidCompanyId: input.avidCompanyId.trim(),
          avidCompanyHeader: opt(input.avidCompanyHeader?.trim()),
          vendorDirectionPolicy: opt(input.vendorDirectionPolicy),
          recodePolicy: opt(input.recodePolicy),
          paymentPostingStatus: opt(input.paymentPostingStatus?.trim()),
          postingMethod: opt(input.postingMethod),
          bankCode: nullToEmpty(input.bankCode),
          apControlGl: nullToEmpty(input.apControlGl),
          bankClearingGl: nullToEmpty(input.bankClearingGl),
        },
        ctx.principal.name,
      ),
  }),
  updateConnection: t.field({
    type: ConnectionRef,
    description: "Change a connection's settings. Admin only.",
    authScopes: { admin: true },
    errors: { types: [NotFoundError, ConflictError] },
    args: { input: t.arg({ type: UpdateConnectionInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateConnection(
        ctx.db,
        {
          id: input.id.id,
          name: opt(input.name?.trim()),
          status: opt(input.status),
          sysproEnetBaseUrl: opt(input.sysproEnetBaseUrl?.trim()),
          sysproOdataBaseUrl: opt(input.sysproOdataBaseUrl?.trim()),
          sysproCompanyId: opt(input.sysproCompanyId?.trim()),
          sysproOperator: opt(input.sysproOperator?.trim()),
          sysproOdataUser: opt(input.sysproOdataUser?.trim()),
          avidBaseUrl: opt(input.avidBaseUrl?.trim()),
          avidTokenUrl: opt(input.avidTokenUrl?.trim()),
          avidClientId: opt(input.avidClientId?.trim()),
          avidCompanyId: opt(input.avidCompanyId?.trim()),
          avidCompanyHeader: opt(input.avidCompanyHeader?.trim()),
          vendorDirectionPolicy: opt(input.vendorDirectionPolicy),
          recodePolicy: opt(input.recodePolicy),
          paymentPostingStatus: opt(input.paymentPostingStatus?.trim()),
          postingMethod: opt(input.postingMethod),
          bankCode: nullToEmpty(input.bankCode),
          apControlGl: nullToEmpty(input.apControlGl),
          bankClearingGl: nullToEmpty(input.bankClearingGl),
        },
        ctx.principal.name,
      ),
  }),
  setCredentials: t.field({
    type: ConnectionRef,
    description:
      "Store (or remove) a connection's secrets, encrypted. Write-only: no query ever returns them; the connection shows which are set. Admin only.",
    authScopes: { admin: true },
    errors: { types: [NotFoundError, ConflictError] },
    args: { input: t.arg({ type: SetCredentialsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const connection = await setConnectionCredentials(
        ctx.db,
        ctx.commands.vault,
        {
          connectionId: input.connectionId.id,
          values: {
            ...(input.sysproOperatorPassword != null
              ? { syspro_operator_password: input.sysproOperatorPassword }
              : {}),
            ...(input.sysproCompanyPassword != null
              ? { syspro_company_password: input.sysproCompanyPassword }
              : {}),
            ...(input.sysproOdataPassword != null
              ? { syspro_odata_password: input.sysproOdataPassword }
              : {}),
            ...(input.avidClientSecret != null
              ? { avid_client_secret: input.avidClientSecret }
              : {}),
          },
          clear: input.clear ?? [],
        },
        ctx.principal.name,
      );
      return connection;
    },
  }),
  testConnection: t.field({
    type: ConnectionTestRef,
    description:
      "Test a connection against both systems with its stored credentials and record which passed. Each failure is a precise diagnosis, never a stack trace. Admin only.",
    authScopes: { admin: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.globalID({ for: ConnectionRef, required: true }) },
    resolve: (_root, { id }, ctx) =>
      testConnection(ctx.db, ctx.commands.diagnose, id.id, ctx.principal.name),
  }),
}));
