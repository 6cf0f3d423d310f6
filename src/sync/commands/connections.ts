import { eq, sql } from "drizzle-orm";

import { withTransaction } from "../../db/client.js";
import { connections, credentials, remoteSessions } from "../../db/schema/index.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import { recordAuditEvent } from "../../events/audit.js";
import { isUuid } from "../../read-models/ids.js";
import {
  deleteCredentials,
  markCredentialsVerified,
  setCredentials,
} from "../../secrets/credential-store.js";
import { UNIQUE_VIOLATION, sqlState } from "./pg-errors.js";
import { seedDefaultSchedules } from "./schedules.js";

import type { Executor, Tx } from "../../db/client.js";
import type {
  ConnectionStatus,
  CredentialKind,
  PostingMethod,
  RecodePolicy,
  VendorDirectionPolicy,
} from "../../glossary.js";
import type { CredentialValues } from "../../secrets/credential-store.js";
import type { Vault } from "../../secrets/vault.js";

export type ConnectionRecord = typeof connections.$inferSelect;

/** Where the two systems are and who we are there. Secrets are set apart (`setConnectionCredentials`). */
export interface ConnectionEndpoints {
  readonly sysproEnetBaseUrl: string;
  readonly sysproOdataBaseUrl: string;
  readonly sysproCompanyId: string;
  readonly sysproOperator: string;
  readonly sysproOdataUser: string;
  readonly avidBaseUrl: string;
  readonly avidTokenUrl: string;
  readonly avidClientId: string;
  readonly avidCompanyId: string;
  readonly avidCompanyHeader?: string | undefined;
}

export interface ConnectionPolicies {
  readonly vendorDirectionPolicy?: VendorDirectionPolicy | undefined;
  readonly recodePolicy?: RecodePolicy | undefined;
  readonly paymentPostingStatus?: string | undefined;
  readonly postingMethod?: PostingMethod | undefined;
  readonly bankCode?: string | null | undefined;
  readonly apControlGl?: string | null | undefined;
  readonly bankClearingGl?: string | null | undefined;
}

export type CreateConnectionInput = { readonly name: string } & ConnectionEndpoints &
  ConnectionPolicies;

/** Fields left `undefined` stay as they are. */
export type UpdateConnectionInput = { readonly id: string } & {
  readonly [K in keyof ({ name: string; status: ConnectionStatus } & ConnectionEndpoints)]?:
    ({ name: string; status: ConnectionStatus } & ConnectionEndpoints)[K] | undefined;
} & ConnectionPolicies;

/** Fields that say where and as whom we log on: changing one voids verifications and cached sessions. */
const IDENTITY_FIELDS = [
  "sysproEnetBaseUrl",
  "sysproOdataBaseUrl",
  "sysproCompanyId",
  "sysproOperator",
  "sysproOdataUser",
  "avidBaseUrl",
  "avidTokenUrl",
  "avidClientId",
  "avidCompanyId",
  "avidCompanyHeader",
] as const satisfies readonly (keyof ConnectionEndpoints)[];

/** Creates a connection, with the default schedule of every sync kind (`seedDefaultSchedules`). */
export async function createConnection(
  executor: Executor,
  input: CreateConnectionInput,
  actor: string,
): Promise<ConnectionRecord> {
  return withTransaction(executor, async (tx) => {
    const [row] = await uniqueName(input.name, () =>
      tx.insert(connections).values(definedOnly(input)).returning(),
    );
    if (!row) {
      throw new Error("connection insert returned no row");
    }
    await seedDefaultSchedules(tx, row.id);
    await recordAuditEvent(tx, {
      type: "connection.created",
      actor,
      connectionId: row.id,
      subjectType: "connection",
      subjectId: row.id,
      data: {
        name: row.name,
        sysproCompanyId: row.sysproCompanyId,
        avidCompanyId: row.avidCompanyId,
      },
    });
    return row;
  });
}

/**
 * Changes the given fields only. Changing an endpoint or identity (URL, company, operator, client
 * id) marks every credential unverified and drops the connection's cached remote sessions: they
 * belonged to the old settings.
 */
export async function updateConnection(
  executor: Executor,
  input: UpdateConnectionInput,
  actor: string,
): Promise<ConnectionRecord> {
  return withTransaction(executor, async (tx) => {
    const current = await lockConnection(tx, input.id);
    const { id: _id, ...patch } = definedOnly(input);
    const changed = Object.fromEntries(
      Object.entries(patch).filter(
        ([key, value]) => current[key as keyof ConnectionRecord] !== value,
      ),
    ) as Partial<ConnectionRecord>;
    if (Object.keys(changed).length === 0) {
      return current;
    }
    const [row] = await uniqueName(changed.name ?? null, () =>
      tx.update(connections).set(changed).where(eq(connections.id, current.id)).returning(),
    );
    if (!row) {
      throw new Error("connection update returned no row");
    }
    const identityChanged = IDENTITY_FIELDS.filter((field) => field in changed);
    if (identityChanged.length > 0) {
      await tx
        .update(credentials)
        .set({ verifiedAt: null })
        .where(eq(credentials.connectionId, row.id));
      await tx.delete(remoteSessions).where(eq(remoteSessions.connectionId, row.id));
    }
    await recordAuditEvent(tx, {
      type: "connection.updated",
      actor,
      connectionId: row.id,
      subjectType: "connection",
      subjectId: row.id,
      // Field names and new values: none of these are secrets.
      data: { changed, verificationsReset: identityChanged.length > 0 },
    });
    return row;
  });
}

export interface SetCredentialsInput {
  readonly connectionId: string;
  /** New values; kinds not given are left as they are. */
  readonly values: CredentialValues;
  /** Kinds to remove. */
  readonly clear: readonly CredentialKind[];
}

/**
 * Stores secrets encrypted (write-only: nothing reads them back through the API). A replaced or
 * removed secret is no longer verified, and cached remote sessions are dropped so the next call
 * logs on with the new value.
 */
export async function setConnectionCredentials(
  executor: Executor,
  vault: Vault,
  input: SetCredentialsInput,
  actor: string,
): Promise<ConnectionRecord> {
  return withTransaction(executor, async (tx) => {
    const connection = await lockConnection(tx, input.connectionId);
    const set = (Object.keys(input.values) as CredentialKind[]).filter(
      (kind) => input.values[kind] !== undefined,
    );
    const overlap = input.clear.filter((kind) => set.includes(kind));
    if (overlap.length > 0) {
      throw new ConflictError(`Credential ${overlap.join(", ")} is both set and cleared.`);
    }
    await setCredentials(tx, vault, connection.id, input.values);
    await deleteCredentials(tx, connection.id, input.clear);
    await tx.delete(remoteSessions).where(eq(remoteSessions.connectionId, connection.id));
    await tx
      .update(connections)
      .set({ updatedAt: sql`now()` })
      .where(eq(connections.id, connection.id));
    await recordAuditEvent(tx, {
      type: "credentials.set",
      actor,
      connectionId: connection.id,
      subjectType: "connection",
      subjectId: connection.id,
      // Which kinds, never the values.
      data: { set, cleared: [...input.clear] },
    });
    return connection;
  });
}

/** One system's verdict from a connection test. */
export interface SystemDiagnosis {
  readonly ok: boolean;
  /** Stable reason, e.g. `OK`, `WRONG_SECRET`, `UNREACHABLE`, `MISSING_CREDENTIALS`. */
  readonly code: string;
  /** What went wrong and what to do, for a person; never a secret or a stack trace. */
  readonly message: string;
  /** Safe facts the test saw: where it stopped, status codes, counts, versions. */
  readonly details?: object | undefined;
}

export interface ConnectionDiagnosis {
  readonly syspro: SystemDiagnosis;
  readonly avidxchange: SystemDiagnosis;
}

/** Runs the connection test for a connection (see `src/sync/diagnose-connection.ts`). */
export type DiagnoseConnection = (
  connectionId: string,
  signal?: AbortSignal,
) => Promise<ConnectionDiagnosis>;

const SYSTEM_CREDENTIALS = {
  syspro: ["syspro_operator_password", "syspro_company_password", "syspro_odata_password"],
  avidxchange: ["avid_client_secret"],
} as const satisfies Record<keyof ConnectionDiagnosis, readonly CredentialKind[]>;

/**
 * Tests a connection and records the outcome: the credentials of each system that passed are
 * marked verified now; the test is audited with both verdicts.
 */
export async function testConnection(
  executor: Executor,
  diagnose: DiagnoseConnection,
  connectionId: string,
  actor: string,
): Promise<{ connection: ConnectionRecord; diagnosis: ConnectionDiagnosis; testedAt: Date }> {
  const [exists] = isUuid(connectionId)
    ? await executor
        .select({ id: connections.id })
        .from(connections)
        .where(eq(connections.id, connectionId))
    : [];
  if (!exists) {
    throw new NotFoundError("Connection");
  }
  // Outside any transaction: the test talks to two remote systems and may take seconds.
  const raw = await diagnose(connectionId);
  // One spelling for both systems' reasons (the connectors differ in case): OK, WRONG_SECRET…
  const diagnosis: ConnectionDiagnosis = {
    syspro: { ...raw.syspro, code: raw.syspro.code.toUpperCase() },
    avidxchange: { ...raw.avidxchange, code: raw.avidxchange.code.toUpperCase() },
  };
  const testedAt = new Date();
  return withTransaction(executor, async (tx) => {
    const connection = await lockConnection(tx, connectionId);
    for (const system of ["syspro", "avidxchange"] as const) {
      if (diagnosis[system].ok) {
        await markCredentialsVerified(tx, connectionId, SYSTEM_CREDENTIALS[system], testedAt);
      }
    }
    await recordAuditEvent(tx, {
      type: "connection.tested",
      actor,
      connectionId,
      subjectType: "connection",
      subjectId: connectionId,
      data: {
        ok: diagnosis.syspro.ok && diagnosis.avidxchange.ok,
        syspro: { ok: diagnosis.syspro.ok, code: diagnosis.syspro.code },
        avidxchange: { ok: diagnosis.avidxchange.ok, code: diagnosis.avidxchange.code },
      },
    });
    return { connection, diagnosis, testedAt };
  });
}

async function lockConnection(tx: Tx, connectionId: string): Promise<ConnectionRecord> {
  const [row] = isUuid(connectionId)
    ? await tx.select().from(connections).where(eq(connections.id, connectionId)).for("update")
    : [];
  if (!row) {
    throw new NotFoundError("Connection");
  }
  return row;
}

/** Turns the unique-name violation into a ConflictError a person can act on. */
async function uniqueName<T>(name: string | null, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (sqlState(e) === UNIQUE_VIOLATION && name !== null) {
      throw new ConflictError(`A connection named "${name}" already exists.`, { cause: e });
    }
    throw e;
  }
}

/** Drops `undefined` entries, so "not given" never overwrites a column with NULL. */
function definedOnly<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]-?: Exclude<T[K], undefined>;
  };
}
