import { CREDENTIAL_KINDS } from "../glossary.js";
import {
  connectionsByIds,
  countConnections,
  credentialStatusByConnectionIds,
  listConnections,
} from "../read-models/connections.js";
import { activeExceptionCounts } from "../read-models/exceptions.js";
import { groupByKeys, sortByKeys } from "../server/loaders.js";
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
    status: t.expose("status", {
      description: "Whether the connection syncs: active, paused (schedules stop) or disabled.",
      type: ConnectionStatusEnum,
    }),
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
    vendorDirectionPolicy: t.expose("vendorDirectionPolicy", {
      description: "What to do with a vendor that exists only in AvidXchange.",
      type: VendorDirectionPolicyEnum,
    }),
    recodePolicy: t.expose("recodePolicy", {
      description: "What to do when an approver re-codes an invoice line in AvidXchange.",
      type: RecodePolicyEnum,
    }),
    paymentPostingStatus: t.exposeString("paymentPostingStatus", {
      description: "The AvidXchange payment status at which a payment is posted to SYSPRO.",
    }),
    postingMethod: t.expose("postingMethod", {
      description: "How payments are written into SYSPRO.",
      type: PostingMethodEnum,
    }),
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
    readinessCheckedAt: t.expose("readinessCheckedAt", {
      description: "When the sync engine last checked the GL mapping.",
      type: "DateTime",
      nullable: true,
    }),
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
    createdAt: t.expose("createdAt", {
      description: "When the gateway first recorded it.",
      type: "DateTime",
    }),
    updatedAt: t.expose("updatedAt", {
      description: "When the gateway last changed it.",
      type: "DateTime",
    }),
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
    kind: t.expose("kind", { description: "Which secret.", type: CredentialKindEnum }),
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
        status: t.arg({
          description: "Only connections in these states.",
          type: [ConnectionStatusEnum],
          required: false,
        }),
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
    args: {
      id: t.arg.globalID({
        description: "The connection's id.",
        for: ConnectionRef,
        required: true,
      }),
    },
    resolve: (_root, { id }) => id.id,
  }),
}));
