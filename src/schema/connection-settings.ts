/**
 * Connection settings and secrets: createConnection, updateConnection and setCredentials (admin).
 */

import { z } from "zod";

import { ConflictError, NotFoundError } from "../errors.js";
import {
  createConnection,
  setConnectionCredentials,
  updateConnection,
} from "../sync/commands/connections.js";
import { builder } from "./builder.js";
import { ConnectionRef } from "./connection.js";
import {
  ConnectionStatusEnum,
  CredentialKindEnum,
  PostingMethodEnum,
  RecodePolicyEnum,
  VendorDirectionPolicyEnum,
} from "./enums.js";
import { opt } from "./filters.js";
import { outcome } from "./results.js";

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
    sysproEnetBaseUrl: t.string({
      description:
        "SYSPRO e.net REST base URL, e.g. https://erp.example.com/SYSPROWCFService/Rest.",
      required: true,
    }),
    sysproOdataBaseUrl: t.string({
      description: "SYSPRO OData base URL of the company.",
      required: true,
    }),
    sysproCompanyId: t.string({ description: "The SYSPRO company id.", required: true }),
    sysproOperator: t.string({
      description: "The SYSPRO operator e.net logs on as.",
      required: true,
    }),
    sysproOdataUser: t.string({ description: "The user OData reads as.", required: true }),
    avidBaseUrl: t.string({ description: "AvidXchange API gateway URL.", required: true }),
    avidTokenUrl: t.string({ description: "AvidXchange OAuth2 token URL.", required: true }),
    avidClientId: t.string({ description: "AvidXchange API client id.", required: true }),
    avidCompanyId: t.string({
      description: "The AvidXchange company (buyer) to act for.",
      required: true,
    }),
    avidCompanyHeader: t.string({ required: false, description: "Default X-Avid-Company-Id." }),
    vendorDirectionPolicy: t.field({
      description: "Default HOLD.",
      type: VendorDirectionPolicyEnum,
      required: false,
    }),
    recodePolicy: t.field({
      description: "Default EXCEPTION.",
      type: RecodePolicyEnum,
      required: false,
    }),
    paymentPostingStatus: t.string({ required: false, description: "Default Funds Received." }),
    postingMethod: t.field({
      description: "Default APSTPM.",
      type: PostingMethodEnum,
      required: false,
    }),
    bankCode: t.string({
      description: "SYSPRO bank that payments are posted against.",
      required: false,
    }),
    apControlGl: t.string({
      description: "AP control GL account (journal postings).",
      required: false,
    }),
    bankClearingGl: t.string({
      description: "Bank clearing GL account (journal postings).",
      required: false,
    }),
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
    id: t.globalID({
      description: "The connection to change.",
      for: ConnectionRef,
      required: true,
    }),
    name: t.string({ description: "A new name, unique.", required: false }),
    status: t.field({
      description: "Active, paused (schedules stop) or disabled (nothing runs).",
      type: ConnectionStatusEnum,
      required: false,
    }),
    sysproEnetBaseUrl: t.string({ description: "SYSPRO e.net REST base URL.", required: false }),
    sysproOdataBaseUrl: t.string({
      description: "SYSPRO OData base URL of the company.",
      required: false,
    }),
    sysproCompanyId: t.string({ description: "The SYSPRO company id.", required: false }),
    sysproOperator: t.string({
      description: "The SYSPRO operator e.net logs on as.",
      required: false,
    }),
    sysproOdataUser: t.string({ description: "The user OData reads as.", required: false }),
    avidBaseUrl: t.string({ description: "AvidXchange API gateway URL.", required: false }),
    avidTokenUrl: t.string({ description: "AvidXchange OAuth2 token URL.", required: false }),
    avidClientId: t.string({ description: "AvidXchange API client id.", required: false }),
    avidCompanyId: t.string({
      description: "The AvidXchange company (buyer) to act for.",
      required: false,
    }),
    avidCompanyHeader: t.string({
      description: "HTTP header that carries the AvidXchange company id.",
      required: false,
    }),
    vendorDirectionPolicy: t.field({
      description: "What to do with a vendor that exists only in AvidXchange.",
      type: VendorDirectionPolicyEnum,
      required: false,
    }),
    recodePolicy: t.field({
      description: "What to do when an approver re-codes a line.",
      type: RecodePolicyEnum,
      required: false,
    }),
    paymentPostingStatus: t.string({
      description: "The AvidXchange payment status at which a payment is posted.",
      required: false,
    }),
    postingMethod: t.field({
      description: "How payments are written into SYSPRO.",
      type: PostingMethodEnum,
      required: false,
    }),
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
    connectionId: t.globalID({
      description: "The connection the secrets belong to.",
      for: ConnectionRef,
      required: true,
    }),
    sysproOperatorPassword: t.string({
      description: "The SYSPRO operator's password.",
      required: false,
      validate: secret,
    }),
    sysproCompanyPassword: t.string({
      description: "The SYSPRO company password, if the company has one.",
      required: false,
      validate: secret,
    }),
    sysproOdataPassword: t.string({
      description: "The OData user's password.",
      required: false,
      validate: secret,
    }),
    avidClientSecret: t.string({
      description: "The AvidXchange API client secret.",
      required: false,
      validate: secret,
    }),
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

const nullToEmpty = (value: string | null | undefined): string | null | undefined =>
  value === undefined || value === null ? undefined : value.trim() === "" ? null : value.trim();

builder.mutationFields((t) => ({
  createConnection: t.field({
    type: ConnectionRef,
    description: "Create a connection. Admin only.",
    authScopes: { admin: true },
    errors: outcome("creating the connection", [ConflictError]),
    args: {
      input: t.arg({
        description: "The new connection's settings.",
        type: CreateConnectionInput,
        required: true,
      }),
    },
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
    errors: outcome("changing the connection", [NotFoundError, ConflictError]),
    args: {
      input: t.arg({
        description: "The connection and the settings to change.",
        type: UpdateConnectionInput,
        required: true,
      }),
    },
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
    errors: outcome("storing the credentials", [NotFoundError, ConflictError]),
    args: {
      input: t.arg({
        description: "The connection and the secrets to set or clear.",
        type: SetCredentialsInput,
        required: true,
      }),
    },
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
}));
