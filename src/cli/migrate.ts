import { openRuntime } from "./runtime.js";

import type { Command } from "./command.js";

/** `migrate`: apply pending migrations (ours and graphile-worker's), then exit. */
export const migrateCommand: Command = {
  name: "migrate",
  summary: "apply database migrations and exit (serve also migrates at start)",
  async run({ config, logger, print }) {
    const runtime = await openRuntime(config, logger, { migrate: true });
    await runtime.close();
    print("migrations applied");
  },
};
