/**
 * A graphile-worker in a child process (fixtures/worker.ts), so the fault scenario can kill it with
 * SIGKILL mid-job and start it again, as a crashed and restarted production worker would be.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import { createDriver } from "./drivers.js";
import { VAULT_KEY_ID } from "./world.js";

import type { SyncDriver } from "./drivers.js";
import type { E2eWorld } from "./world.js";
import type { ChildProcess } from "node:child_process";

const WORKER_SCRIPT = fileURLToPath(new URL("./fixtures/worker.ts", import.meta.url));

export interface WorkerProcessDriver extends SyncDriver {
  /** SIGKILLs the worker (no cleanup, its job locks stay) and waits until it is gone. */
  kill(): Promise<void>;
  /**
   * Starts a new worker; resolves once it takes jobs. Its heartbeat sweep releases the killed
   * worker's locks (src/worker/heartbeat.ts), with no help from here.
   */
  restart(): Promise<void>;
  /** How many times the worker was started. */
  readonly starts: number;
}

export async function createWorkerProcessDriver(world: E2eWorld): Promise<WorkerProcessDriver> {
  let child: ChildProcess | undefined;
  let starts = 0;
  let stderr = "";

  const start = async (): Promise<void> => {
    // `node --import tsx` rather than `npx tsx`: one process, so SIGKILL hits the worker itself.
    const proc = spawn(process.execPath, ["--import", "tsx", WORKER_SCRIPT], {
      env: {
        ...process.env,
        DATABASE_URL: world.t.url,
        E2E_VAULT_KEY: world.vaultKeyHex,
        E2E_VAULT_KEY_ID: VAULT_KEY_ID,
        E2E_CONNECTOR_TUNING: JSON.stringify(world.tuning),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    starts += 1;
    proc.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (/ready \S+\n/.test(out)) {
          proc.stdout.off("data", onData);
          proc.off("exit", onExit);
          resolve();
        }
      };
      const onExit = (code: number | null) =>
        reject(new Error(`the worker exited (${code}) before it was ready:\n${stderr}`));
      proc.stdout.on("data", onData);
      proc.once("exit", onExit);
    });
    // Keep draining stdout so the child never blocks on a full pipe.
    proc.stdout.resume();
  };

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
      return;
    }
    const exited = once(proc, "exit");
    proc.kill(signal);
    await exited;
  };

  await start();
  const driver = await createDriver(world, async () => {}, {
    onClose: () => stop("SIGTERM"),
  });
  return {
    sync: (kind, options) => driver.sync(kind, options),
    get runs() {
      return driver.runs;
    },
    close: () => driver.close(),
    kill: () => stop("SIGKILL"),
    restart: start,
    get starts() {
      return starts;
    },
  };
}
