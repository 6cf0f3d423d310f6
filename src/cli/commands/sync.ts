import { SYNC_KINDS } from "../../glossary.js";
import { createJobQueue } from "../../sync/commands/job-queue.js";
import { triggerSync } from "../../sync/commands/sync-runs.js";
import { EXIT } from "./exit-codes.js";
import { CLI_ACTOR, JSON_OPTION, findConnection, withRuntime } from "./shared.js";
import { runSummary, watchRun } from "./watch-run.js";

import type { SyncKind } from "../../glossary.js";
import type { Command } from "../command.js";

/**
 * `sync <connection> [kind]`: queues a run exactly like `triggerSync` (a worker — this process's
 * `serve` or another — runs it), then follows it with a live progress bar and prints a summary.
 * Exit 0 when the run succeeded, 2 when it failed, 130 when interrupted (the run goes on).
 */
export const syncCommand: Command = {
  name: "sync",
  summary: "run a sync now and follow its progress (a worker must be running)",
  usage: `<connection> [${SYNC_KINDS.join("|")}] [--dry-run] [--full-resync] [--force] [--no-wait] [--progress] [--json]`,
  options: {
    ...JSON_OPTION,
    "dry-run": { type: "boolean", default: false },
    "full-resync": { type: "boolean", default: false },
    force: { type: "boolean", default: false },
    "no-wait": { type: "boolean", default: false },
    /** The bar even when stderr is not a terminal (CI logs): one line per update. */
    progress: { type: "boolean", default: false },
  },
  allowPositionals: true,
  run: (ctx) =>
    withRuntime(ctx, "sync", async (runtime, out) => {
      const [ref, kindArg = "invoices"] = ctx.positionals;
      if (!ref) {
        return out.fail(new Error("missing <connection>"), EXIT.USAGE);
      }
      if (!(SYNC_KINDS as readonly string[]).includes(kindArg)) {
        return out.fail(new Error(`kind must be one of ${SYNC_KINDS.join(", ")}`), EXIT.USAGE);
      }
      const connection = await findConnection(runtime.db, ref);
      const { run, deduplicated } = await triggerSync(runtime.db, createJobQueue(), {
        connectionId: connection.id,
        kind: kindArg as SyncKind,
        dryRun: ctx.values["dry-run"] === true,
        fullResync: ctx.values["full-resync"] === true,
        force: ctx.values.force === true,
        actor: CLI_ACTOR,
      });
      if (ctx.values["no-wait"] === true) {
        out.result(
          { run, deduplicated },
          () =>
            `Queued sync run ${run.id} (${run.kind}${deduplicated ? ", already waiting" : ""}).`,
        );
        return EXIT.OK;
      }
      if (!out.json) {
        process.stderr.write(`Sync run ${run.id} (${run.kind}) on ${connection.name}\n`);
      }
      const last = await watchRun(run.id, {
        runtime,
        logger: ctx.logger,
        signal: ctx.signal,
        progress: !out.json && (process.stderr.isTTY === true || ctx.values.progress === true),
      });
      out.result({ run: last }, () => runSummary(last));
      if (last.state === "succeeded") {
        return EXIT.OK;
      }
      return last.state === "failed" || last.state === "cancelled" ? EXIT.FAILED : EXIT.INTERRUPTED;
    }),
};
