import { eq, or } from "drizzle-orm";

import { connections } from "../../db/schema/index.js";
import { NotFoundError } from "../../errors.js";
import { openRuntime } from "../runtime.js";
import { EXIT, describeFailure } from "./exit-codes.js";

import type { Db } from "../../db/client.js";
import type { ConnectionRecord } from "../../sync/commands/connections.js";
import type { CommandContext } from "../command.js";
import type { Runtime } from "../runtime.js";

/** `--json` on every operator command: one JSON document on stdout, nothing else there. */
export const JSON_OPTION = { json: { type: "boolean", default: false } } as const;

/** Who operator commands act as, in the audit trail. */
export const CLI_ACTOR = "cli";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

export interface Output {
  readonly json: boolean;
  /** Prints `data` as JSON with --json, else the text lines. */
  result(data: unknown, text: () => string | readonly string[]): void;
  /** One clear line on stderr (and `{ error }` on stdout with --json); returns the exit status. */
  fail(err: unknown, code?: number): number;
}

export function createOutput(ctx: CommandContext, command: string): Output {
  const json = ctx.values.json === true;
  return {
    json,
    result(data, text) {
      if (json) {
        ctx.print(JSON.stringify(data, jsonReplacer, 2));
        return;
      }
      const lines = text();
      ctx.print(typeof lines === "string" ? lines : lines.join("\n"));
    },
    fail(err, code) {
      const failure = describeFailure(err);
      const status = code ?? failure.code;
      if (json) {
        ctx.print(JSON.stringify({ error: { message: failure.message, exitCode: status } }));
      }
      process.stderr.write(`ml-connector ${command}: ${failure.message}\n`);
      return status;
    },
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * Opens the database (migrations applied), runs `fn`, closes everything; errors become one line
 * and an exit status. Logs stay at warn so command output is not buried in start-up lines.
 */
export async function withRuntime(
  ctx: CommandContext,
  command: string,
  fn: (runtime: Runtime, out: Output) => Promise<number | void>,
): Promise<number> {
  const out = createOutput(ctx, command);
  const logger = ctx.logger.child({ command });
  if (logger.level === "info") {
    logger.level = "warn";
  }
  let runtime: Runtime | undefined;
  try {
    runtime = await openRuntime(ctx.config, logger);
    return (await fn(runtime, out)) ?? EXIT.OK;
  } catch (err) {
    logger.debug({ err }, `${command} failed`);
    return out.fail(err);
  } finally {
    await runtime?.close();
  }
}

/** A connection by its name or id. */
export async function findConnection(db: Db, ref: string): Promise<ConnectionRecord> {
  const [row] = await db
    .select()
    .from(connections)
    .where(
      UUID.test(ref)
        ? or(eq(connections.id, ref), eq(connections.name, ref))
        : eq(connections.name, ref),
    )
    .limit(1);
  if (!row) {
    throw new NotFoundError(`Connection "${ref}"`);
  }
  return row;
}

/** The first positional, or a usage failure. */
export function requirePositional(
  ctx: CommandContext,
  out: Output,
  index: number,
  what: string,
): string | number {
  const value = ctx.positionals[index];
  if (value === undefined || value === "") {
    return out.fail(new Error(`missing ${what}`), EXIT.USAGE);
  }
  return value;
}

/** Fixed-width table for human output. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
