import { exceptionsCommand } from "./commands/exceptions.js";
import { keysCommand } from "./commands/keys.js";
import { pingCommand } from "./commands/ping.js";
import { replayCommand } from "./commands/replay.js";
import { syncCommand } from "./commands/sync.js";
import { migrateCommand } from "./migrate.js";
import { rotateKeyCommand } from "./rotate-key.js";
import { serveCommand } from "./serve.js";

import type { Command } from "./command.js";

/** Every CLI command, in the order `help` lists them. Add new commands here. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  migrateCommand,
  pingCommand,
  syncCommand,
  replayCommand,
  exceptionsCommand,
  keysCommand,
  rotateKeyCommand,
];
