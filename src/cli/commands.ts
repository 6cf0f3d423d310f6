import { migrateCommand } from "./migrate.js";
import { rotateKeyCommand } from "./rotate-key.js";
import { serveCommand } from "./serve.js";

import type { Command } from "./command.js";

/** Every CLI command, in the order `help` lists them. Add new commands here. */
export const COMMANDS: readonly Command[] = [serveCommand, migrateCommand, rotateKeyCommand];
