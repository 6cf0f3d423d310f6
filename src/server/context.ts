import { randomUUID } from "node:crypto";

import { contextCacheSymbol } from "@pothos/core";

import { recordAuditEvent } from "../events/audit.js";
import { createLoaderCache } from "./loaders.js";

import type { Principal } from "../auth/principal.js";
import type { Db, Executor } from "../db/client.js";
import type { AuditInput } from "../events/audit.js";
import type { AppPubSub } from "../events/pubsub.js";
import type { AuditEventNotice } from "../events/topics.js";
import type { CommandServices } from "../sync/commands/services.js";
import type { LoaderCache } from "./loaders.js";
import type { Logger } from "pino";
import type { Sql } from "postgres";

/**
 * What every resolver receives. One per GraphQL operation (per subscription for SSE and
 * WebSocket), built after authentication, so `principal` is always set.
 */
export interface Context {
  /** Correlates log lines of one operation. */
  readonly requestId: string;
  /** The API key making the request. */
  readonly principal: Principal;
  readonly db: Db;
  /** The postgres.js pool under `db`, for raw SQL on hot paths. */
  readonly sql: Sql;
  /** Event bus for subscriptions (Postgres LISTEN/NOTIFY). */
  readonly pubsub: AppPubSub;
  /** Child logger bound to `requestId` and `actor` (the key name). */
  readonly logger: Logger;
  /** This request's DataLoaders, built on first use (`ctx.loaders.get(someLoader)`). */
  readonly loaders: LoaderCache<Context>;
  /**
   * Forgets every record loaded so far (our loaders and the Pothos plugins' per-context caches).
   * A subscription's context lives as long as the subscription, so it calls this before each
   * event: otherwise a field such as `syncRun` would show the run as it was at the first event.
   */
  renewCaches(this: Context): void;
  /** Job queue, vault and connection test for the operator mutations (src/sync/commands). */
  readonly commands: CommandServices;
  /**
   * Appends an audit event with this key's name as actor and announces it. Every mutation calls
   * it; pass the mutation's transaction so the event commits with the change.
   */
  audit(event: Omit<AuditInput, "actor">, executor?: Executor): Promise<AuditEventNotice>;
}

/** Long-lived dependencies shared by every request; built once in `main.ts`. */
export interface ContextDeps {
  readonly db: Db;
  readonly sql: Sql;
  readonly pubsub: AppPubSub;
  readonly logger: Logger;
  /**
   * Job queue, vault and connection test for the operator mutations (src/sync/commands). The
   * composition root always passes them; without them those mutations fail as unexpected errors.
   */
  readonly commands?: CommandServices;
}

export interface ContextInit {
  readonly principal: Principal;
  readonly requestId?: string;
}

export function createContext(deps: ContextDeps, init: ContextInit): Context {
  const requestId = init.requestId ?? randomUUID();
  const { principal } = init;
  const context: Context = {
    requestId,
    principal,
    db: deps.db,
    sql: deps.sql,
    pubsub: deps.pubsub,
    logger: deps.logger.child({ requestId, actor: principal.name }),
    loaders: createLoaderCache(() => context),
    renewCaches(this: Context & { [contextCacheSymbol]?: object }) {
      // `this`, not `context`: Yoga copies this object's fields into the context it executes with.
      this.loaders.clear();
      // Pothos keys its per-context caches (dataloaders, node lookups) on this field if present.
      this[contextCacheSymbol] = {};
    },
    commands: deps.commands ?? missingCommandServices,
    audit: (event, executor) =>
      recordAuditEvent(executor ?? deps.db, { ...event, actor: principal.name }),
  };
  return context;
}

/** Stands in when a process was built without command services, failing loudly on first use. */
const missingCommandServices: CommandServices = {
  get jobs(): never {
    throw new Error("command services (job queue) were not given to createContext");
  },
  get vault(): never {
    throw new Error("command services (vault) were not given to createContext");
  },
  get diagnose(): never {
    throw new Error("command services (connection test) were not given to createContext");
  },
};
