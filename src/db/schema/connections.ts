import { index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";

import { bytea, id, json, timestamps, timestamptz } from "./columns.js";
import {
  connectionStatusEnum,
  credentialKindEnum,
  postingMethodEnum,
  readinessStateEnum,
  recodePolicyEnum,
  vendorDirectionPolicyEnum,
} from "./enums.js";

/**
 * One SYSPRO company paired with one AvidXchange company. Endpoints and identities are plain
 * columns; the secrets that go with them live encrypted in `credentials`.
 */
export const connections = pgTable("connections", {
  id: id(),
  name: text().notNull().unique(),
  status: connectionStatusEnum().notNull().default("active"),

  // SYSPRO: e.net REST (writes, WCF REST endpoint) and OData (reads).
  sysproEnetBaseUrl: text().notNull(),
  sysproOdataBaseUrl: text().notNull(),
  sysproCompanyId: text().notNull(),
  sysproOperator: text().notNull(),
  sysproOdataUser: text().notNull(),

  // AvidXchange: API gateway, OAuth2 token endpoint, client id and the company we act for.
  avidBaseUrl: text().notNull(),
  avidTokenUrl: text().notNull(),
  avidClientId: text().notNull(),
  avidCompanyId: text().notNull(),
  /** The company-scoping header is not publicly documented, so its name is configurable. */
  avidCompanyHeader: text().notNull().default("X-Avid-Company-Id"),

  // Policies.
  vendorDirectionPolicy: vendorDirectionPolicyEnum().notNull().default("HOLD"),
  recodePolicy: recodePolicyEnum().notNull().default("JOURNAL"),
  /** The AvidXchange payment status at which a payment is posted to SYSPRO. */
  paymentPostingStatus: text().notNull().default("Funds Received"),
  postingMethod: postingMethodEnum().notNull().default("APSTPM"),
  bankCode: text(),
  apControlGl: text(),
  bankClearingGl: text(),

  // Mapping readiness (flow 6): the last verdict and the report behind it.
  readiness: readinessStateEnum().notNull().default("unknown"),
  readinessCheckedAt: timestamptz(),
  readinessReport: json(),

  ...timestamps,
});

/**
 * A connection's secrets, AES-256-GCM encrypted by src/secrets (never readable through the API).
 * `key_id` names the encryption key so keys can rotate.
 */
export const credentials = pgTable(
  "credentials",
  {
    id: id(),
    connectionId: uuid()
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    kind: credentialKindEnum().notNull(),
    ciphertext: bytea().notNull(),
    iv: bytea().notNull(),
    authTag: bytea().notNull(),
    keyId: text().notNull(),
    /** When a connection test last succeeded with this value. */
    verifiedAt: timestamptz(),
    ...timestamps,
  },
  (t) => [
    unique("credentials_connection_id_kind_unique").on(t.connectionId, t.kind),
    index().on(t.keyId),
  ],
);
