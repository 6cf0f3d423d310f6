import type { Config } from "../config.js";
import type { Logger } from "pino";
import type { ParseArgsConfig } from "node:util";

/** What every CLI command receives. Configuration has been read (once) before it runs. */
export interface CommandContext {
  readonly config: Config;
  readonly logger: Logger;
  /** Parsed `--options` (node:util parseArgs values). */
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
  /** Aborted on the first SIGINT/SIGTERM: stop work, release resources, return. */
  readonly signal: AbortSignal;
  /** Human-facing output (the banner, command results); logs go through `logger`. */
  readonly print: (line: string) => void;
}

/**
 * One CLI command. To add one, write `src/cli/<name>.ts` exporting a Command and list it in
 * `src/cli/commands.ts`.
 */
export interface Command {
  readonly name: string;
  /** One line for `help`. */
  readonly summary: string;
  /** Usage after the command name, e.g. `[--role api|worker|all]`. */
  readonly usage?: string;
  readonly options?: ParseArgsConfig["options"];
  readonly allowPositionals?: boolean;
  /** Resolves to the exit status (default 0). */
  run(ctx: CommandContext): Promise<number | void>;
}
