import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import type { ChildProcess } from "node:child_process";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface AppProcess {
  readonly child: ChildProcess;
  /** JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  /** Everything written to stdout that is not a JSON log line (banner, command output). */
  text(): string;
  stderr(): string;
  /** Resolves with the first log line matching, or rejects if the process exits first. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves once non-log stdout matches `pattern` (e.g. the banner), or rejects on exit. */
  waitForText(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `src/main.ts` (through tsx's loader, without its CLI wrapper, so signals reach it
 * directly) with a clean environment: only PATH plus `env`.
 */
export function startApp(args: readonly string[], env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", TZ: "UTC", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let text = "";
  let stderr = "";
  let partial = "";
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of waiters) {
      wake();
    }
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    partial += chunk.toString("utf8");
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        text += `${line}\n`;
      }
    }
    wakeAll();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      resolve(code);
      wakeAll();
    });
  });

  function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          waiters.delete(check);
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          reject(new Error(`process exited (${child.exitCode}) before ${what}; stderr: ${stderr}`));
        }
      };
      waiters.add(check);
      check();
    });
  }

  return {
    child,
    logs,
    text: () => text,
    stderr: () => stderr,
    exited,
    waitForLog: (match) => waitFor(() => logs.find(match), "the log line"),
    waitForText: (pattern) => waitFor(() => pattern.exec(text) ?? undefined, `${pattern}`),
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
      return exited;
    },
  };
}

/** Runs a command to completion. */
export async function runApp(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const app = startApp(args, env);
  const code = await app.exited;
  return { code, stdout: app.text(), stderr: app.stderr() };
}
