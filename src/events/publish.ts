import { sql as drizzleSql } from "drizzle-orm";

import { EVENT_CHANNEL, MAX_PAYLOAD_BYTES, isTopic, topicSchemas } from "./topics.js";

import type { EventTopics, Topic } from "./topics.js";
import type { SQL } from "drizzle-orm";
import type { Sql, TransactionSql } from "postgres";

/**
 * Where `publishEvent` can send its NOTIFY: a postgres.js pool or transaction, or a drizzle
 * database or transaction. Inside a transaction Postgres delivers the event only on commit, so
 * publish in the same transaction as the change it announces.
 */
export type NotifyExecutor = Sql | TransactionSql | { execute(query: SQL): PromiseLike<unknown> };

/** The NOTIFY payload was too large; send ids and counters, not records. */
export class EventPayloadTooLargeError extends Error {
  override readonly name = "EventPayloadTooLargeError";
  readonly code = "EVENT_PAYLOAD_TOO_LARGE";
  constructor(
    readonly topic: Topic,
    readonly bytes: number,
  ) {
    super(`Event for topic "${topic}" is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}.`);
  }
}

export function isEventPayloadTooLargeError(error: unknown): error is EventPayloadTooLargeError {
  return error instanceof EventPayloadTooLargeError;
}

interface Envelope {
  readonly topic: Topic;
  readonly payload: unknown;
}

/** Validates and serialises an event; throws on an invalid or oversized payload. */
export function encodeEvent<T extends Topic>(topic: T, payload: EventTopics[T]): string {
  const parsed = topicSchemas[topic].parse(payload);
  const text = JSON.stringify({ topic, payload: parsed } satisfies Envelope);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new EventPayloadTooLargeError(topic, bytes);
  }
  return text;
}

export type DecodedEvent = {
  [T in Topic]: { readonly topic: T; readonly payload: EventTopics[T] };
}[Topic];

/** Parses a NOTIFY payload; returns null for anything that is not a valid event of a known topic. */
export function decodeEvent(text: string): DecodedEvent | null {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof envelope !== "object" || envelope === null) {
    return null;
  }
  const { topic, payload } = envelope as Partial<Envelope>;
  if (!isTopic(topic)) {
    return null;
  }
  const result = topicSchemas[topic].safeParse(payload);
  return result.success ? ({ topic, payload: result.data } as DecodedEvent) : null;
}

/**
 * Publishes one event to every process listening on the database: api replicas deliver it to
 * their subscribers. Usable from workers and scripts without Yoga.
 */
export async function publishEvent<T extends Topic>(
  executor: NotifyExecutor,
  topic: T,
  payload: EventTopics[T],
): Promise<void> {
  const text = encodeEvent(topic, payload);
  // postgres.js instances are tagged-template functions; drizzle handles are objects.
  if (typeof executor === "function") {
    await executor`select pg_notify(${EVENT_CHANNEL}, ${text})`;
  } else {
    await executor.execute(drizzleSql`select pg_notify(${EVENT_CHANNEL}, ${text})`);
  }
}
