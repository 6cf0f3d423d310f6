import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bin/ml-connector.js <args>` as a process with a clean environment (PATH + `env`). */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, ["bin/ml-connector.js", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", TZ: "UTC", LOG_LEVEL: "warn", SANDBOX: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The JSON document a `--json` command printed (log lines, if any, are skipped). */
export function jsonOf(result: CliResult): Record<string, unknown> {
  const start = result.stdout.search(/^[{[]/m);
  if (start < 0) {
    throw new Error(`no JSON on stdout: ${result.stdout} / ${result.stderr}`);
  }
  return JSON.parse(result.stdout.slice(start)) as Record<string, unknown>;
}
