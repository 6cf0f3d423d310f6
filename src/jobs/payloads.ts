import { z } from "zod";

/**
 * The payload of every task, checked at runtime (see define-task.ts) and declared to
 * graphile-worker below so `addJob("name", payload)` is type-checked.
 */
export const pingPayload = z.object({
  /** How long the job takes; lets tests and operators see jobs spread across workers. */
  delayMs: z.number().int().min(0).max(10_000).default(0),
  /** Echoed in the log line, so a caller can find its job. */
  tag: z.string().max(200).optional(),
});

/** `schedule:tick` — queued by graphile-worker's cron every minute; `_cron` is what cron adds. */
export const scheduleTickPayload = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
});

declare global {
  // graphile-worker types `addJob` payloads through this global namespace (declaration merging).

  namespace GraphileWorker {
    interface Tasks {
      ping: z.input<typeof pingPayload>;
      "schedule:tick": z.input<typeof scheduleTickPayload>;
    }
  }
}
