import { pgEnum } from "drizzle-orm/pg-core";

import {
  CONNECTION_STATUSES,
  CREDENTIAL_KINDS,
  EXCEPTION_STATES,
  GL_MAPPING_KINDS,
  PAYMENT_POSTING_STATES,
  POSTING_KINDS,
  POSTING_METHODS,
  POSTING_STATES,
  READINESS_STATES,
  RECODE_POLICIES,
  REMOTE_SYSTEMS,
  ROLES,
  SYNC_KINDS,
  SYNC_RUN_STATES,
  SYNC_STATES,
  TRANSACTION_STATES,
  VENDOR_DIRECTION_POLICIES,
} from "../../glossary.js";

// PostgreSQL enums for the closed vocabularies in src/glossary.ts (their meaning is documented
// there). Adding a value is a generated `ALTER TYPE … ADD VALUE` migration.
export const roleEnum = pgEnum("role", ROLES);
export const credentialKindEnum = pgEnum("credential_kind", CREDENTIAL_KINDS);
export const connectionStatusEnum = pgEnum("connection_status", CONNECTION_STATUSES);
export const readinessStateEnum = pgEnum("readiness_state", READINESS_STATES);
export const vendorDirectionPolicyEnum = pgEnum(
  "vendor_direction_policy",
  VENDOR_DIRECTION_POLICIES,
);
export const recodePolicyEnum = pgEnum("recode_policy", RECODE_POLICIES);
export const postingMethodEnum = pgEnum("posting_method", POSTING_METHODS);
export const remoteSystemEnum = pgEnum("remote_system", REMOTE_SYSTEMS);
export const syncStateEnum = pgEnum("sync_state", SYNC_STATES);
export const syncKindEnum = pgEnum("sync_kind", SYNC_KINDS);
export const syncRunStateEnum = pgEnum("sync_run_state", SYNC_RUN_STATES);
export const transactionStateEnum = pgEnum("transaction_state", TRANSACTION_STATES);
export const paymentPostingStateEnum = pgEnum("payment_posting_state", PAYMENT_POSTING_STATES);
export const postingKindEnum = pgEnum("posting_kind", POSTING_KINDS);
export const postingStateEnum = pgEnum("posting_state", POSTING_STATES);
export const glMappingKindEnum = pgEnum("gl_mapping_kind", GL_MAPPING_KINDS);
export const exceptionStateEnum = pgEnum("exception_state", EXCEPTION_STATES);
