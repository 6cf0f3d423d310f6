import { parseArgs } from "node:util";

import type { Config } from "../config.js";
import type { Command } from "./command.js";
import type { Logger } from "pino";

export type ParsedCommandLine =
  | {
      readonly kind: "command";
      readonly command: Command;
      readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
      readonly positionals: string[];
    }
  | { readonly kind: "help"; readonly text: string; readonly exitCode: number };

/** `<command> [options]`; no command means `serve`. Unknown commands and options print usage. */
export function parseCommandLine(
  argv: readonly string[],
  commands: readonly Command[],
): ParsedCommandLine {
  const [first, ...rest] = argv;
  if (first === "help" || first === "--help" || first === "-h") {
    return { kind: "help", text: usage(commands), exitCode: 0 };
  }
  const name = first === undefined || first.startsWith("-") ? "serve" : first;
  const args = first === undefined || first.startsWith("-") ? argv : rest;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    return { kind: "help", text: `unknown command: ${name}\n\n${usage(commands)}`, exitCode: 64 };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: command.options ?? {},
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    return { kind: "command", command, values, positionals };
  } catch (e) {
    return {
      kind: "help",
      text: `${command.name}: ${(e as Error).message}\nusage: ml-connector ${command.name} ${command.usage ?? ""}`,
      exitCode: 64,
    };
  }
}

function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: npm run cli -- <command> [options]     (npm start = serve)",
    "",
    ...commands.map(
      (c) =>
        `  ${c.name.padEnd(width)}  ${c.summary}${c.usage ? `\n  ${" ".repeat(width)}  ${c.name} ${c.usage}` : ""}`,
    ),
    "",
    "Configuration comes from environment variables; see README.md.",
  ].join("\n");
}

export interface RunCommandOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly print?: (line: string) => void;
}

/**
 * Runs a command until it returns. The first SIGINT/SIGTERM aborts it (it stops gracefully);
 * if stopping takes longer than SHUTDOWN_TIMEOUT_MS, or a second signal arrives, the process
 * exits at once (an embedded PostgreSQL is still stopped by its exit hook).
 */
export async function runCommand(
  parsed: Extract<ParsedCommandLine, { kind: "command" }>,
  options: RunCommandOptions,
): Promise<number> {
  const { config, logger } = options;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const controller = new AbortController();
  let forced: NodeJS.Timeout | undefined;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // npm and tsx relay the terminal's Ctrl-C, so one keypress can arrive more than once.
      if (Date.now() - firstSignalAt < 1000) {
        return;
      }
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    firstSignalAt = Date.now();
    logger.info({ signal }, "shutting down");
    controller.abort();
    forced = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, "shutdown took too long: exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs);
    forced.unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const code = await parsed.command.run({
      config,
      logger,
      values: parsed.values,
      positionals: parsed.positionals,
      signal: controller.signal,
      print,
    });
    return code ?? 0;
  } catch (err) {
    logger.error({ err }, `${parsed.command.name} failed`);
    return 1;
  } finally {
    clearTimeout(forced);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
