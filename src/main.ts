// The composition root: command line → configuration (read once) → logger → the command, which
// wires database, vault, server and worker (src/cli/). Run with tsx: `npm start`, `npm run cli`.
import { COMMANDS } from "./cli/commands.js";
import { parseCommandLine, runCommand } from "./cli/run.js";
import { loadConfigOrExit } from "./config.js";
import { createLogger } from "./logger.js";

const parsed = parseCommandLine(process.argv.slice(2), COMMANDS);
if (parsed.kind === "help") {
  process.stdout.write(`${parsed.text}\n`);
  process.exit(parsed.exitCode);
}

const config = loadConfigOrExit();
const logger = createLogger({ level: config.log.level });
const code = await runCommand(parsed, { config, logger });
// Everything is closed by now; exit explicitly so a stray handle cannot keep us alive.
process.exit(code);
