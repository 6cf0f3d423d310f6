import { SingleBar } from "cli-progress";
import { eq } from "drizzle-orm";

import { syncRuns } from "../../db/schema/index.js";
import { createPgPubSub } from "../../events/pubsub.js";
import { table } from "./shared.js";

import type { SyncRunRecord } from "../../sync/commands/sync-runs.js";
import type { Runtime } from "../runtime.js";
import type { Logger } from "pino";

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

export interface WatchOptions {
  readonly runtime: Runtime;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Draw a live progress bar on stderr (only when it is a terminal and not --json). */
  readonly progress: boolean;
  /** How often the run row is re-read, in case an event was missed. */
  readonly pollMs?: number;
}

/**
 * Follows a sync run until it ends (or the signal aborts): progress events arrive over the event
 * bus (LISTEN), so a worker in any process drives the bar; the run row is re-read now and then
 * because NOTIFYs sent while we reconnect are lost. Resolves with the run's last state.
 */
export async function watchRun(runId: string, options: WatchOptions): Promise<SyncRunRecord> {
  const { runtime, signal } = options;
  const events = createPgPubSub({ sql: runtime.sql, logger: options.logger });
  const bar = options.progress
    ? new SingleBar({
        stream: process.stderr,
        format: " {bar} {value} records | {state} | {message}",
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
        // Asked for without a terminal (`--progress`): plain lines, a few a second at most.
        noTTYOutput: true,
        notTTYSchedule: 500,
      })
    : undefined;
  let total = 0;
  bar?.start(1, 0, { state: "queued", message: "" });
  const update = (state: string, read: number, message: string | null) => {
    if (!bar) {
      return;
    }
    // Counts grow while a run pages through a stream: the bar's end moves ahead of them.
    total = Math.max(total, read + 100);
    bar.setTotal(TERMINAL.has(state) ? read : total);
    bar.update(read, { state, message: message ?? "" });
  };

  const iterator = events.pubsub.subscribe("syncProgress")[Symbol.asyncIterator]();
  let wake: (() => void) | undefined;
  const nudge = () => wake?.();
  signal.addEventListener("abort", nudge);
  const pump = (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        return;
      }
      const e = next.value;
      if (e.runId === runId) {
        update(
          e.state,
          e.counts.read ?? Object.values(e.counts).reduce((a, b) => a + b, 0),
          e.message,
        );
        if (TERMINAL.has(e.state)) {
          nudge();
        }
      }
    }
  })();
  try {
    await events.ready;
    for (;;) {
      const [run] = await runtime.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
      if (!run) {
        throw new Error(`sync run ${runId} disappeared`);
      }
      update(run.state, run.countRead, run.error);
      if (TERMINAL.has(run.state) || signal.aborted) {
        return run;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    signal.removeEventListener("abort", nudge);
    bar?.stop();
    await iterator.return?.();
    await events.close();
    await pump.catch(() => {});
  }
}

/** The summary printed when a run ends. */
export function runSummary(run: SyncRunRecord): string[] {
  const seconds =
    run.startedAt && run.finishedAt
      ? ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)
      : "-";
  return [
    `sync run ${run.id}: ${run.state}${run.dryRun ? " (dry run)" : ""}${run.error ? ` — ${run.error}` : ""}`,
    ...table(
      ["kind", "read", "created", "updated", "unchanged", "exceptions", "seconds"],
      [
        [
          run.kind,
          String(run.countRead),
          String(run.countCreated),
          String(run.countUpdated),
          String(run.countUnchanged),
          String(run.countExceptions),
          seconds,
        ],
      ],
    ),
  ];
}
