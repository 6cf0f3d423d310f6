import { createJobQueue } from "../../sync/commands/job-queue.js";
import { replayTransaction } from "../../sync/commands/sync-runs.js";
import { EXIT } from "./exit-codes.js";
import { CLI_ACTOR, JSON_OPTION, withRuntime } from "./shared.js";
import { runSummary, watchRun } from "./watch-run.js";

import type { Command } from "../command.js";

/**
 * `replay <transaction-id> [--dry-run]`: re-runs one transaction through the same guards (a no-op
 * that says so when it was already applied); with --dry-run the plan is printed, nothing written.
 */
export const replayCommand: Command = {
  name: "replay",
  summary: "re-run one transaction from its stored input (a worker must be running)",
  usage: "<transaction-id> [--dry-run] [--no-wait] [--json]",
  options: {
    ...JSON_OPTION,
    "dry-run": { type: "boolean", default: false },
    "no-wait": { type: "boolean", default: false },
  },
  allowPositionals: true,
  run: (ctx) =>
    withRuntime(ctx, "replay", async (runtime, out) => {
      const transactionId = ctx.positionals[0];
      if (!transactionId) {
        return out.fail(new Error("missing <transaction-id>"), EXIT.USAGE);
      }
      const { run } = await replayTransaction(runtime.db, createJobQueue(), {
        transactionId,
        dryRun: ctx.values["dry-run"] === true,
        actor: CLI_ACTOR,
      });
      if (ctx.values["no-wait"] === true) {
        out.result({ run }, () => `Queued replay of ${transactionId} as run ${run.id}.`);
        return EXIT.OK;
      }
      const last = await watchRun(run.id, {
        runtime,
        logger: ctx.logger,
        signal: ctx.signal,
        progress: !out.json && process.stderr.isTTY === true,
      });
      out.result({ run: last, plan: last.plan }, () => [
        ...runSummary(last),
        ...(last.plan ? ["plan:", JSON.stringify(last.plan, null, 2)] : []),
      ]);
      if (last.state === "succeeded") {
        return EXIT.OK;
      }
      return last.state === "failed" || last.state === "cancelled" ? EXIT.FAILED : EXIT.INTERRUPTED;
    }),
};
