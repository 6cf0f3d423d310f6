import { auditEvents } from "../db/schema/audit.js";
import { publishEvent } from "./publish.js";

import type { Executor } from "../db/client.js";
import type { AuditEventNotice } from "./topics.js";

export interface AuditInput {
  /** Dotted event type, e.g. `api_key.created`, `invoice.sent`. */
  readonly type: string;
  /** An API key name, `worker`, `schedule` or `cli`. */
  readonly actor: string;
  readonly connectionId?: string | null;
  readonly transactionId?: string | null;
  readonly subjectType?: string | null;
  readonly subjectId?: string | null;
  /** Details for people reading the trail. Never secrets: the trail is readable by viewers. */
  readonly data?: Record<string, unknown>;
}

/**
 * Appends one audit event and announces it on the `auditEvents` topic. Pass the transaction that
 * makes the change being audited: the row and the NOTIFY then commit (or vanish) with it.
 */
export async function recordAuditEvent(
  executor: Executor,
  input: AuditInput,
): Promise<AuditEventNotice> {
  const [row] = await executor
    .insert(auditEvents)
    .values({
      type: input.type,
      actor: input.actor,
      connectionId: input.connectionId ?? null,
      transactionId: input.transactionId ?? null,
      subjectType: input.subjectType ?? null,
      subjectId: input.subjectId ?? null,
      data: input.data ?? {},
    })
    .returning();
  if (!row) {
    throw new Error("audit insert returned no row");
  }
  const notice: AuditEventNotice = {
    id: String(row.id),
    connectionId: row.connectionId,
    type: row.type,
    actor: row.actor,
    transactionId: row.transactionId,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    at: row.createdAt.toISOString(),
  };
  await publishEvent(executor, "auditEvents", notice);
  return notice;
}
