import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import {
  auditEvents,
  exceptions,
  invoices,
  syncRuns,
  transactions,
} from "../../src/db/schema/index.js";
import { guardLeaks } from "../setup/leaks.js";
import { useSchemaGateway } from "./harness.js";
import { globalId, queuedJobs, rawId } from "./jobs.js";
import {
  seedConnection,
  seedException,
  seedInvoice,
  seedSupplier,
  seedTransaction,
} from "./seed.js";

guardLeaks();
const gateway = useSchemaGateway();

const TRIGGER = /* GraphQL */ `
  mutation ($connectionId: ID!, $kind: SyncKind!, $dryRun: Boolean, $fullResync: Boolean) {
    triggerSync(
      connectionId: $connectionId
      kind: $kind
      dryRun: $dryRun
      fullResync: $fullResync
    ) {
      __typename
      ... on MutationTriggerSyncSuccess {
        data {
          id
          kind
          state
          dryRun
          fullResync
          actor
          connection {
            name
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

type TriggerResult = {
  triggerSync: {
    __typename: string;
    data?: {
      id: string;
      kind: string;
      state: string;
      dryRun: boolean;
      fullResync: boolean;
      actor: string;
    };
    code?: string;
    message?: string;
  };
};

describe("triggerSync", () => {
  it("queues a run and a sync:run job in the connection's queue, and returns the run at once", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const result = await data<TriggerResult>(
      TRIGGER,
      { connectionId: globalId("Connection", connection.id), kind: "INVOICES", fullResync: true },
      "operator",
    );
    const run = result.triggerSync.data!;
    expect(run).toMatchObject({
      kind: "INVOICES",
      state: "QUEUED",
      dryRun: false,
      fullResync: true,
      actor: "test-operator",
    });
    const jobs = (await queuedJobs(database.sql, "sync:run")).filter(
      (job) => job.payload["runId"] === rawId(run.id),
    );
    expect(jobs).toEqual([
      {
        task: "sync:run",
        payload: { runId: rawId(run.id) },
        queue: `conn:${connection.id}:to-avidxchange`,
        key: `sync:${connection.id}:invoices:live+full`,
      },
    ]);
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, rawId(run.id)));
    expect(event).toMatchObject({ type: "sync.triggered", actor: "test-operator" });
  });

  it("returns the waiting run instead of queueing the same sync twice; other options queue their own", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const id = globalId("Connection", connection.id);
    const first = await data<TriggerResult>(TRIGGER, { connectionId: id, kind: "PAYMENTS" });
    const again = await data<TriggerResult>(TRIGGER, { connectionId: id, kind: "PAYMENTS" });
    const dry = await data<TriggerResult>(TRIGGER, {
      connectionId: id,
      kind: "PAYMENTS",
      dryRun: true,
    });
    expect(again.triggerSync.data?.id).toBe(first.triggerSync.data?.id);
    expect(dry.triggerSync.data?.id).not.toBe(first.triggerSync.data?.id);
    const runs = await database.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.connectionId, connection.id));
    expect(runs).toHaveLength(2);
    const jobs = (await queuedJobs(database.sql, "sync:run")).filter((job) =>
      runs.some((r) => r.id === job.payload["runId"]),
    );
    expect(jobs.map((j) => j.queue)).toEqual([
      `conn:${connection.id}:to-syspro`,
      `conn:${connection.id}:to-syspro`,
    ]);
  });

  it("answers NotFoundError for an unknown connection and ConflictError for a disabled one", async () => {
    const { data, database } = gateway();
    const missing = await data<TriggerResult>(TRIGGER, {
      connectionId: globalId("Connection", "00000000-0000-4000-8000-000000000000"),
      kind: "SUPPLIERS",
    });
    expect(missing.triggerSync).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      message: "Connection not found.",
    });
    const disabled = await seedConnection(database.db, { status: "disabled", name: "Off Ltd" });
    const refused = await data<TriggerResult>(TRIGGER, {
      connectionId: globalId("Connection", disabled.id),
      kind: "SUPPLIERS",
    });
    expect(refused.triggerSync).toMatchObject({
      __typename: "ConflictError",
      message: 'Connection "Off Ltd" is disabled; enable it before starting a sync.',
    });
    expect(
      await database.db.select().from(syncRuns).where(eq(syncRuns.connectionId, disabled.id)),
    ).toEqual([]);
  });
});

const REPLAY = /* GraphQL */ `
  mutation ($transactionId: ID!, $dryRun: Boolean) {
    replayTransaction(transactionId: $transactionId, dryRun: $dryRun) {
      __typename
      ... on MutationReplayTransactionSuccess {
        data {
          id
          kind
          state
          dryRun
          replayTransactionId
          replayOf {
            transactionId
            kind
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

describe("replayTransaction", () => {
  it("queues a replay run and a transaction:replay job in the transaction's direction", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const transaction = await seedTransaction(database.db, connection.id, { kind: "payment.post" });
    const result = await data<{
      replayTransaction: {
        data: {
          id: string;
          kind: string;
          dryRun: boolean;
          replayTransactionId: string;
          replayOf: { transactionId: string };
        };
      };
    }>(REPLAY, { transactionId: transaction.id, dryRun: true }, "operator");
    const run = result.replayTransaction.data;
    expect(run).toMatchObject({
      kind: "PAYMENTS",
      dryRun: true,
      replayTransactionId: transaction.id,
      replayOf: { transactionId: transaction.id, kind: "payment.post" },
    });
    expect(
      (await queuedJobs(database.sql, "transaction:replay")).filter(
        (j) => j.payload["transactionId"] === transaction.id,
      ),
    ).toEqual([
      {
        task: "transaction:replay",
        payload: { transactionId: transaction.id, dryRun: true, runId: rawId(run.id) },
        queue: `conn:${connection.id}:to-syspro`,
        key: `replay:${transaction.id}:dry`,
      },
    ]);
    // Asked again while it waits: the same run.
    const again = await data<{ replayTransaction: { data: { id: string } } }>(REPLAY, {
      transactionId: globalId("Transaction", transaction.id),
      dryRun: true,
    });
    expect(again.replayTransaction.data.id).toBe(run.id);
  });

  it("answers NotFoundError for an unknown transaction and ConflictError for a kind no sync owns", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const odd = await seedTransaction(database.db, connection.id, { kind: "housekeeping.vacuum" });
    const missing = await data<{ replayTransaction: { __typename: string } }>(REPLAY, {
      transactionId: "01JZZZZZZZZZZZZZZZZZZZZZZZ",
    });
    expect(missing.replayTransaction.__typename).toBe("NotFoundError");
    const refused = await data<{ replayTransaction: { __typename: string; message: string } }>(
      REPLAY,
      { transactionId: odd.id },
    );
    expect(refused.replayTransaction).toMatchObject({
      __typename: "ConflictError",
      message: 'Transactions of kind "housekeeping.vacuum" cannot be replayed.',
    });
  });
});

const RESOLVE = /* GraphQL */ `
  mutation ($id: ID!, $action: ExceptionAction!, $note: String) {
    resolveException(id: $id, action: $action, note: $note) {
      __typename
      ... on MutationResolveExceptionSuccess {
        data {
          state
          resolutionNote
          resolvedBy
          resolvedAt
          auditTrail {
            type
            actor
            data
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

type ResolveResult = {
  resolveException: {
    __typename: string;
    data?: {
      state: string;
      resolutionNote: string | null;
      resolvedBy: string;
      resolvedAt: string | null;
      auditTrail: { type: string; actor: string }[];
    };
    message?: string;
  };
};

describe("resolveException", () => {
  it("RETRY marks it retrying and queues exception:retry in its transaction's queue", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const transaction = await seedTransaction(database.db, connection.id, {
      kind: "invoice.send",
      state: "exception",
    });
    const exception = await seedException(database.db, connection.id, {
      transactionId: transaction.id,
    });
    const result = await data<ResolveResult>(
      RESOLVE,
      { id: globalId("SyncException", exception.id), action: "RETRY", note: "mapping added" },
      "operator",
    );
    expect(result.resolveException.data).toMatchObject({
      state: "RETRYING",
      resolutionNote: "mapping added",
      resolvedBy: "test-operator",
      resolvedAt: null,
      auditTrail: [{ type: "exception.retry_requested", actor: "test-operator" }],
    });
    expect(
      (await queuedJobs(database.sql, "exception:retry")).filter(
        (j) => j.payload["exceptionId"] === exception.id,
      ),
    ).toEqual([
      {
        task: "exception:retry",
        payload: { exceptionId: exception.id },
        queue: `conn:${connection.id}:to-avidxchange`,
        key: `exception:retry:${exception.id}`,
      },
    ]);
    const again = await data<ResolveResult>(RESOLVE, {
      id: globalId("SyncException", exception.id),
      action: "SKIP",
    });
    expect(again.resolveException).toMatchObject({
      __typename: "ConflictError",
      message: "This exception is already being retried; wait for the retry's outcome.",
    });
  });

  it("SKIP closes it and marks its transaction and its invoice skipped", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const supplier = await seedSupplier(database.db, connection.id);
    const { invoice } = await seedInvoice(database.db, connection.id, supplier, {
      syncState: "exception",
    });
    const transaction = await seedTransaction(database.db, connection.id, { state: "exception" });
    const exception = await seedException(database.db, connection.id, {
      subjectType: "invoice",
      subjectId: invoice.id,
      transactionId: transaction.id,
    });
    const result = await data<ResolveResult>(RESOLVE, {
      id: globalId("SyncException", exception.id),
      action: "SKIP",
      note: "  paid by hand  ",
    });
    expect(result.resolveException.data).toMatchObject({
      state: "SKIPPED",
      resolutionNote: "paid by hand",
      resolvedBy: "test-admin",
    });
    expect(result.resolveException.data?.resolvedAt).not.toBeNull();
    const [tx] = await database.db
      .select()
      .from(transactions)
      .where(eq(transactions.id, transaction.id));
    const [inv] = await database.db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(tx?.state).toBe("skipped");
    expect(inv?.syncState).toBe("skipped");
    expect(await queuedJobs(database.sql, "exception:retry")).not.toContainEqual(
      expect.objectContaining({ payload: { exceptionId: exception.id } }),
    );
  });

  it("ABORT closes it and fails its transaction; a closed exception cannot be resolved again", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const transaction = await seedTransaction(database.db, connection.id, { state: "exception" });
    const exception = await seedException(database.db, connection.id, {
      transactionId: transaction.id,
    });
    const result = await data<ResolveResult>(RESOLVE, {
      id: globalId("SyncException", exception.id),
      action: "ABORT",
      note: "duplicate invoice",
    });
    expect(result.resolveException.data?.state).toBe("ABORTED");
    const [tx] = await database.db
      .select()
      .from(transactions)
      .where(eq(transactions.id, transaction.id));
    expect(tx).toMatchObject({
      state: "failed",
      error: "Aborted by test-admin: duplicate invoice",
    });
    const again = await data<ResolveResult>(RESOLVE, {
      id: globalId("SyncException", exception.id),
      action: "RETRY",
    });
    expect(again.resolveException).toMatchObject({
      __typename: "ConflictError",
      message: "This exception is already aborted; only open exceptions can be resolved.",
    });
    const [row] = await database.db
      .select()
      .from(exceptions)
      .where(eq(exceptions.id, exception.id));
    expect(row?.state).toBe("aborted");
  });

  it("answers NotFoundError for an unknown exception", async () => {
    const { data } = gateway();
    const result = await data<ResolveResult>(RESOLVE, {
      id: globalId("SyncException", "00000000-0000-4000-8000-000000000000"),
      action: "RETRY",
    });
    expect(result.resolveException.__typename).toBe("NotFoundError");
  });
});

const SET_SCHEDULE = /* GraphQL */ `
  mutation ($input: SetScheduleInput!) {
    setSchedule(input: $input) {
      __typename
      ... on MutationSetScheduleSuccess {
        data {
          id
          kind
          everyMinutes
          dailyAt
          timeZone
          paused
          nextRunAt
        }
      }
      ... on ValidationError {
        issues {
          path
          message
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

type Schedule = {
  id: string;
  kind: string;
  everyMinutes: number | null;
  dailyAt: string | null;
  timeZone: string;
  paused: boolean;
  nextRunAt: string | null;
};

describe("schedules", () => {
  it("sets, replaces, pauses and resumes a schedule, and lists it on the connection", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const connectionId = globalId("Connection", connection.id);
    const daily = await data<{ setSchedule: { data: Schedule } }>(
      SET_SCHEDULE,
      { input: { connectionId, kind: "PAYMENTS", dailyAt: "17:30", timeZone: "America/Chicago" } },
      "operator",
    );
    expect(daily.setSchedule.data).toMatchObject({
      kind: "PAYMENTS",
      everyMinutes: null,
      dailyAt: "17:30",
      timeZone: "America/Chicago",
      paused: false,
    });
    // 17:30 in Chicago is 22:30 or 23:30 UTC, depending on daylight saving time.
    expect(daily.setSchedule.data.nextRunAt).toMatch(/T2[23]:30:00\.000Z$/);

    const interval = await data<{ setSchedule: { data: Schedule } }>(SET_SCHEDULE, {
      input: { connectionId, kind: "PAYMENTS", everyMinutes: 15 },
    });
    expect(interval.setSchedule.data).toMatchObject({
      id: daily.setSchedule.data.id,
      everyMinutes: 15,
      dailyAt: null,
    });

    const paused = await data<{ pauseSchedule: { data: Schedule } }>(
      `mutation ($id: ID!) { pauseSchedule(id: $id) { ... on MutationPauseScheduleSuccess { data { paused nextRunAt } } } }`,
      { id: daily.setSchedule.data.id },
      "operator",
    );
    expect(paused.pauseSchedule.data).toEqual({ paused: true, nextRunAt: null });
    const resumed = await data<{ resumeSchedule: { data: Schedule } }>(
      `mutation ($id: ID!) { resumeSchedule(id: $id) { ... on MutationResumeScheduleSuccess { data { paused nextRunAt } } } }`,
      { id: daily.setSchedule.data.id },
    );
    expect(resumed.resumeSchedule.data.paused).toBe(false);
    expect(resumed.resumeSchedule.data.nextRunAt).not.toBeNull();

    const listed = await data<{
      connection: { schedules: { kind: string; everyMinutes: number }[] };
    }>(
      `query ($id: ID!) { connection(id: $id) { schedules { kind everyMinutes } } }`,
      { id: connectionId },
      "viewer",
    );
    expect(listed.connection.schedules).toEqual([{ kind: "PAYMENTS", everyMinutes: 15 }]);
    const types = (
      await database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.connectionId, connection.id))
    ).map((e) => e.type);
    expect(types).toEqual(["schedule.set", "schedule.set", "schedule.paused", "schedule.resumed"]);
  });

  it("refuses both or neither of everyMinutes and dailyAt, and an unknown time zone", async () => {
    const { data, database } = gateway();
    const connection = await seedConnection(database.db);
    const connectionId = globalId("Connection", connection.id);
    const both = await data<{ setSchedule: { __typename: string; message: string } }>(
      SET_SCHEDULE,
      {
        input: { connectionId, kind: "INVOICES", everyMinutes: 10, dailyAt: "12:00" },
      },
    );
    expect(both.setSchedule).toMatchObject({
      __typename: "ValidationError",
      message: "Invalid input: input: Give exactly one of everyMinutes or dailyAt.",
    });
    const zone = await data<{
      setSchedule: { __typename: string; issues: { path: string[]; message: string }[] };
    }>(SET_SCHEDULE, {
      input: { connectionId, kind: "INVOICES", dailyAt: "12:00", timeZone: "Mars/Olympus" },
    });
    expect(zone.setSchedule).toMatchObject({
      __typename: "ValidationError",
      issues: [{ path: ["input", "dailyAt"], message: 'Unknown time zone "Mars/Olympus".' }],
    });
  });
});
