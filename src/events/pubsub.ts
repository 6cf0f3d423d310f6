import { createPubSub } from "graphql-yoga";
import postgres from "postgres";

import { decodeEvent, publishEvent } from "./publish.js";
import { EVENT_CHANNEL, isTopic } from "./topics.js";

import type { EventTopics, Topic } from "./topics.js";
import type { PubSub } from "graphql-yoga";
import type { Logger } from "pino";
import type { Sql } from "postgres";

/** Yoga's typed pubsub over our topics. Topics carry no routing id; subscribers filter. */
export type AppPubSub = PubSub<{ [T in Topic]: [EventTopics[T]] }>;

export type CreatePgPubSubOptions = (
  | {
      /** Share this pool; LISTEN then uses postgres.js's one dedicated listen connection. */
      readonly sql: Sql;
    }
  | {
      /** Open our own single connection (closed by `close()`). */
      readonly url: string;
      /** `application_name` of that connection. */
      readonly applicationName?: string;
    }
) & { readonly logger: Logger };

export interface PgPubSub {
  /** Pass to Yoga's context; `subscribe` for resolvers, `publish` is fire-and-forget. */
  readonly pubsub: AppPubSub;
  /** Resolves once this process LISTENs. Rejects if the first LISTEN fails. */
  readonly ready: Promise<void>;
  /** How many local subscribers wait on `topic` (tests wait for a subscription to be live). */
  listenerCount(topic: Topic): number;
  /** Stops listening; closes the connection if we opened it. Local subscribers get no more events. */
  close(): Promise<void>;
}

type Listener = EventListenerOrEventListenerObject;

/**
 * A Yoga pubsub whose event target is Postgres LISTEN/NOTIFY on one channel, so an event
 * published by any process (a worker, another api replica, a script) reaches the subscribers
 * of every api process.
 *
 * Publishing NOTIFYs and does not dispatch locally: our own LISTEN delivers it back, exactly once.
 * postgres.js re-issues LISTEN after a dropped connection; events sent while it was down are
 * lost, which subscribers tolerate because the state itself lives in the database.
 */
export function createPgPubSub(options: CreatePgPubSubOptions): PgPubSub {
  const { logger } = options;
  const ownSql =
    "url" in options
      ? postgres(options.url, {
          max: 1,
          onnotice: () => {},
          connection: { application_name: options.applicationName ?? "ml-connector-events" },
        })
      : undefined;
  const sql = ownSql ?? ("sql" in options ? options.sql : undefined);
  if (!sql) {
    throw new TypeError("createPgPubSub needs `sql` or `url`.");
  }
  const listeners = new Map<string, Set<Listener>>();
  let closed = false;
  let listens = 0;

  const deliver = (text: string): void => {
    if (closed) {
      return;
    }
    const event = decodeEvent(text);
    if (!event) {
      logger.warn({ channel: EVENT_CHANNEL, bytes: text.length }, "ignored an unreadable event");
      return;
    }
    const targets = listeners.get(event.topic);
    if (!targets) {
      return;
    }
    const custom = new CustomEvent(event.topic, { detail: event.payload });
    for (const listener of [...targets]) {
      try {
        if (typeof listener === "function") {
          listener(custom);
        } else {
          listener.handleEvent(custom);
        }
      } catch (error) {
        // A subscriber more than 1024 events behind throws on push; it misses this one event.
        logger.warn({ err: error, topic: event.topic }, "a subscriber could not take an event");
      }
    }
  };

  const eventTarget = {
    addEventListener(type: string, listener: Listener | null): void {
      if (!listener) {
        return;
      }
      let set = listeners.get(type);
      if (!set) {
        set = new Set();
        listeners.set(type, set);
      }
      set.add(listener);
    },
    removeEventListener(type: string, listener: Listener | null): void {
      const set = listeners.get(type);
      if (listener && set) {
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(type);
        }
      }
    },
    dispatchEvent(event: Event): boolean {
      const { type } = event;
      if (!isTopic(type)) {
        logger.warn({ topic: type }, "refused to publish to an unknown topic");
        return false;
      }
      const detail = (event as CustomEvent<unknown>).detail as EventTopics[typeof type];
      publishEvent(sql, type, detail).catch((error: unknown) => {
        logger.error({ err: error, topic: type }, "could not publish an event");
      });
      return true;
    },
  };

  const listening = sql.listen(EVENT_CHANNEL, deliver, () => {
    listens += 1;
    if (listens > 1) {
      logger.info({ channel: EVENT_CHANNEL }, "event bus listening again after a reconnect");
    }
  });
  const ready = listening.then(() => undefined);
  // Keep an unobserved failure from crashing the process; awaiting `ready` still sees it.
  ready.catch((error: unknown) => {
    logger.error({ err: error, channel: EVENT_CHANNEL }, "event bus could not LISTEN");
  });

  return {
    pubsub: createPubSub<{ [T in Topic]: [EventTopics[T]] }>({ eventTarget }),
    ready,
    listenerCount: (topic) => listeners.get(topic)?.size ?? 0,
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        const request = await listening;
        await request.unlisten();
      } catch {
        // Never listened, or the connection is already gone: nothing to undo.
      }
      await ownSql?.end({ timeout: 5 });
    },
  };
}
