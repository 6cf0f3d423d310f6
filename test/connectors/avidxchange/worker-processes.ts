import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Helpers to run fixtures/worker-process.ts as real OS processes, started at the same moment. */
const WORKER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "fixtures",
  "worker-process.ts",
);

export interface WorkerResult {
  ok: number;
  failed: number;
  /** Epoch ms at which the worker started / finished its requests. */
  startedAt: number;
  finishedAt: number;
}

interface Running {
  ready: Promise<void>;
  done: Promise<WorkerResult>;
  go(): void;
}

function start(options: object): Running {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, JSON.stringify(options)], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, TZ: "UTC" },
  });
  let out = "";
  let err = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    if (out.includes("ready\n")) {
      markReady();
    }
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const done = new Promise<WorkerResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      markReady();
      if (code !== 0) {
        reject(new Error(`worker exited with ${code}: ${err}`));
        return;
      }
      resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as WorkerResult);
    });
  });
  return { ready, done, go: () => child.stdin.end("go\n") };
}

/** Starts `n` workers, releases them together once all are ready, and waits for all. */
export async function runWorkersTogether(n: number, options: object): Promise<WorkerResult[]> {
  const workers = Array.from({ length: n }, () => start(options));
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) {
    w.go();
  }
  return Promise.all(workers.map((w) => w.done));
}
