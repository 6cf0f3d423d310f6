import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { EventPayloadTooLargeError, publishEvent } from "../../src/events/publish.js";
import { createPgPubSub } from "../../src/events/pubsub.js";
import { EVENT_CHANNEL } from "../../src/events/topics.js";
import { createTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { captureLogs } from "../server/harness.js";
import { publishFromAnotherProcess, waitUntil } from "./publisher.js";

import type { PgPubSub } from "../../src/events/pubsub.js";
import type { EventTopics, SyncProgressEvent, Topic } from "../../src/events/topics.js";
import type { TestDatabase } from "../setup/db.js";

guardLeaks();

let database: TestDatabase;
const logs = captureLogs();
const buses: PgPubSub[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const bus of buses) {
    await bus.close();
  }
  await database.close();
});

/** A bus with its own connection, as each api process would have. */
async function openBus(applicationName = "events-test", logger = logs.logger): Promise<PgPubSub> {
  const bus = createPgPubSub({ url: database.url, applicationName, logger });
  buses.push(bus);
  await bus.ready;
  return bus;
}

/** Subscribes and waits until the subscription is live; `next()` resolves with the next event. */
async function subscribe<T extends Topic>(bus: PgPubSub, topic: T) {
  const iterator = bus.pubsub.subscribe(topic)[Symbol.asyncIterator]();
  const first = iterator.next(); // starts the subscription
  await waitUntil(() => bus.listenerCount(topic) > 0, `${topic} has a subscriber`);
  let pending = first;
  return {
    async next(): Promise<EventTopics[T] | undefined> {
      const result = await pending;
      pending = iterator.next();
      return result.value as EventTopics[T] | undefined;
    },
    async stop() {
      await iterator.return?.();
    },
  };
}

const progress = (runId: string, state = "running"): SyncProgressEvent => ({
  runId,
  connectionId: "c0a80101-0000-4000-8000-000000000001",
  kind: "invoices",
  state,
  counts: { read: 10, sent: 8 },
  message: null,
  at: "2025-01-31T12:00:00.000Z",
});

describe("Postgres-backed pubsub", () => {
  it("delivers an event NOTIFYed by another process to subscribers of two api buses, once each", async () => {
    const [apiA, apiB] = [await openBus("api-a"), await openBus("api-b")];
    const onA = await subscribe(apiA, "syncProgress");
    const onB = await subscribe(apiB, "syncProgress");

    await publishFromAnotherProcess(database.url, "syncProgress", progress("run-1"));
    await publishFromAnotherProcess(database.url, "syncProgress", progress("run-2"));

    expect(await onA.next()).toEqual(progress("run-1"));
    expect(await onB.next()).toEqual(progress("run-1"));
    // The next event is run-2, not a duplicate of run-1.
    expect((await onA.next())?.runId).toBe("run-2");
    expect((await onB.next())?.runId).toBe("run-2");
    await onA.stop();
    await onB.stop();
    expect(apiA.listenerCount("syncProgress")).toBe(0);
  });

  it("delivers an event published in a transaction only if it commits", async () => {
    const bus = await openBus();
    const sub = await subscribe(bus, "syncProgress");
    await database.sql
      .begin(async (tx) => {
        await publishEvent(tx, "syncProgress", progress("rolled-back"));
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await database.db.transaction(async (tx) => {
      await publishEvent(tx, "syncProgress", progress("committed"));
    });
    expect((await sub.next())?.runId).toBe("committed");
    await sub.stop();
  });

  it("delivers what Yoga's pubsub.publish sends exactly once (through the database)", async () => {
    const bus = await openBus();
    const sub = await subscribe(bus, "auditEvents");
    const notice = {
      id: "42",
      connectionId: null,
      type: "api_key.created",
      actor: "test",
      transactionId: null,
      subjectType: "api_key",
      subjectId: "k",
      at: "2025-01-31T12:00:00.000Z",
    };
    bus.pubsub.publish("auditEvents", notice);
    bus.pubsub.publish("auditEvents", { ...notice, id: "43" });
    expect((await sub.next())?.id).toBe("42");
    expect((await sub.next())?.id).toBe("43");
    await sub.stop();
  });

  it("ignores foreign or malformed notifications on the channel and keeps going", async () => {
    const own = captureLogs();
    const bus = await openBus("events-junk", own.logger);
    const sub = await subscribe(bus, "syncProgress");
    await database.sql`select pg_notify(${EVENT_CHANNEL}, 'not json')`;
    await database.sql`select pg_notify(${EVENT_CHANNEL}, ${JSON.stringify({ topic: "syncProgress", payload: { runId: 1 } })})`;
    await database.sql`select pg_notify(${EVENT_CHANNEL}, ${JSON.stringify({ topic: "nope", payload: {} })})`;
    await publishEvent(database.sql, "syncProgress", progress("after-junk"));
    expect((await sub.next())?.runId).toBe("after-junk");
    expect(own.lines.filter((l) => l["msg"] === "ignored an unreadable event")).toHaveLength(3);
    await sub.stop();
  });

  it("listens again after its connection is killed", async () => {
    const bus = await openBus("events-reconnect");
    const sub = await subscribe(bus, "syncProgress");
    const listenerPid = async () => {
      const rows = await database.sql<{ pid: number }[]>`
        select pid from pg_stat_activity
        where datname = current_database() and application_name = 'events-reconnect'
          and query ilike 'listen%'`;
      return rows[0]?.pid;
    };
    const before = await listenerPid();
    expect(before).toBeTypeOf("number");
    await database.sql`select pg_terminate_backend(${before ?? 0})`;
    await waitUntil(async () => {
      const pid = await listenerPid();
      return pid !== undefined && pid !== before;
    }, "the bus has re-issued LISTEN on a new connection");

    await publishFromAnotherProcess(database.url, "syncProgress", progress("after-reconnect"));
    expect((await sub.next())?.runId).toBe("after-reconnect");
    await sub.stop();
  });
});

describe("publishEvent", () => {
  it("refuses a payload over the NOTIFY size limit, naming the topic", async () => {
    const huge = { ...progress("big"), message: "x".repeat(8_000) };
    await expect(publishEvent(database.sql, "syncProgress", huge)).rejects.toBeInstanceOf(
      EventPayloadTooLargeError,
    );
    await expect(publishEvent(database.sql, "syncProgress", huge)).rejects.toThrow(
      /Event for topic "syncProgress" is \d+ bytes; the limit is 7900\./,
    );
  });

  it("refuses a payload that does not match its topic", async () => {
    const bad = { ...progress("bad"), counts: { read: 1.5 } };
    await expect(publishEvent(database.sql, "syncProgress", bad)).rejects.toThrow();
  });
});
