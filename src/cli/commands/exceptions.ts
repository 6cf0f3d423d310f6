import { and, desc, eq, inArray } from "drizzle-orm";

import { connections, exceptions } from "../../db/schema/index.js";
import { resolveException } from "../../sync/commands/exceptions.js";
import { createJobQueue } from "../../sync/commands/job-queue.js";
import { EXIT } from "./exit-codes.js";
import { CLI_ACTOR, JSON_OPTION, findConnection, table, withRuntime } from "./shared.js";

import type { Command } from "../command.js";

/**
 * `exceptions list [--connection c] [--all]`, `exceptions retry <id> [--note …]`,
 * `exceptions skip <id> [--note …]`: the same rules as the `resolveException` mutation.
 */
export const exceptionsCommand: Command = {
  name: "exceptions",
  summary: "list open exceptions, or retry / skip one",
  usage: "list [--connection <name>] [--all] | retry <id> | skip <id>  [--note <why>] [--json]",
  options: {
    ...JSON_OPTION,
    connection: { type: "string" },
    all: { type: "boolean", default: false },
    note: { type: "string" },
    limit: { type: "string", default: "100" },
  },
  allowPositionals: true,
  run: (ctx) =>
    withRuntime(ctx, "exceptions", async (runtime, out) => {
      const [action, id] = ctx.positionals;
      if (action === "list") {
        const conditions = [];
        if (typeof ctx.values.connection === "string") {
          const c = await findConnection(runtime.db, ctx.values.connection);
          conditions.push(eq(exceptions.connectionId, c.id));
        }
        if (ctx.values.all !== true) {
          conditions.push(inArray(exceptions.state, ["open", "retrying"]));
        }
        const limit = Math.min(1000, Math.max(1, Number(ctx.values.limit) || 100));
        const rows = await runtime.db
          .select({
            id: exceptions.id,
            connection: connections.name,
            state: exceptions.state,
            reasonCode: exceptions.reasonCode,
            subjectType: exceptions.subjectType,
            subjectRef: exceptions.subjectRef,
            message: exceptions.message,
            transactionId: exceptions.transactionId,
            createdAt: exceptions.createdAt,
          })
          .from(exceptions)
          .innerJoin(connections, eq(connections.id, exceptions.connectionId))
          .where(and(...conditions))
          .orderBy(desc(exceptions.createdAt), desc(exceptions.id))
          .limit(limit);
        out.result(rows, () =>
          rows.length === 0
            ? "No exceptions."
            : table(
                ["id", "connection", "state", "reason", "subject", "message"],
                rows.map((r) => [
                  r.id,
                  r.connection,
                  r.state,
                  r.reasonCode,
                  `${r.subjectType} ${r.subjectRef ?? ""}`.trim(),
                  r.message.length > 60 ? `${r.message.slice(0, 59)}…` : r.message,
                ]),
              ),
        );
        return EXIT.OK;
      }
      if ((action === "retry" || action === "skip") && id) {
        const note = typeof ctx.values.note === "string" ? ctx.values.note : null;
        const { exception, job } = await resolveException(runtime.db, createJobQueue(), {
          exceptionId: id,
          action: action === "retry" ? "RETRY" : "SKIP",
          note,
          actor: CLI_ACTOR,
        });
        out.result({ exception, job }, () =>
          action === "retry"
            ? `Exception ${exception.id} is being retried (job ${job?.id ?? "-"}).`
            : `Exception ${exception.id} skipped.`,
        );
        return EXIT.OK;
      }
      return out.fail(
        new Error("usage: exceptions list | exceptions retry <id> | exceptions skip <id>"),
        EXIT.USAGE,
      );
    }),
};
