import type { JobHelpers, Task } from "graphile-worker";
import type { Logger } from "pino";
import type { z } from "zod";

/**
 * A task whose payload is checked at runtime: queued jobs may predate the code that runs them.
 * An invalid payload can never succeed, so it is logged (with the job) and not retried.
 */
export function defineTask<S extends z.ZodType>(
  name: string,
  schema: S,
  logger: Logger,
  handler: (payload: z.output<S>, helpers: JobHelpers) => Promise<void>,
): Task {
  return async (payload, helpers) => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      logger.error(
        { task: name, jobId: helpers.job.id, issues: parsed.error.issues },
        "job payload is invalid; dropping the job",
      );
      return;
    }
    await handler(parsed.data, helpers);
  };
}
