import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isEmbeddedPostgresError, startEmbeddedPostgres } from "../../src/db/embedded.js";
import { guardLeaks } from "../setup/leaks.js";

import type { EmbeddedPostgres } from "../../src/db/embedded.js";

guardLeaks();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
}

async function query<T extends object>(pg: EmbeddedPostgres, text: string): Promise<T[]> {
  const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  try {
    return await sql.unsafe<T[]>(text);
  } finally {
    await sql.end();
  }
}

describe("startEmbeddedPostgres", () => {
  let tmp: string;
  let dataDir: string;
  const started: EmbeddedPostgres[] = [];
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), "mlc-embedded-"));
    await chmod(tmp, 0o755);
    dataDir = path.join(tmp, "pg");
  });
  afterAll(async () => {
    for (const pg of started) {
      await pg.stop();
    }
    await rm(tmp, { recursive: true, force: true });
  });

  it("initialises, serves, and stops without leaving a postgres process", async () => {
    const pg = await startEmbeddedPostgres({ dataDir, handleSignals: false });
    started.push(pg);
    await query(pg, "create table kept (v text); insert into kept values ('still here')");
    const pid = await postmasterPid(dataDir);
    expect(isAlive(pid)).toBe(true);

    await pg.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it("reuses the data directory on the next start, and refuses a second live owner", async () => {
    const pg = await startEmbeddedPostgres({ dataDir, handleSignals: false });
    started.push(pg);
    expect(await query<{ v: string }>(pg, "select v from kept")).toEqual([{ v: "still here" }]);

    const second = await startEmbeddedPostgres({ dataDir, handleSignals: false }).catch(
      (e: unknown) => e,
    );
    expect(isEmbeddedPostgresError(second)).toBe(true);
    expect(String((second as Error).message)).toMatch(/in use by process \d+/);
  });

  it("stops a cluster orphaned by a dead owner, then starts", async () => {
    const orphanPid = await postmasterPid(dataDir);
    // Pretend the process that started it died without stopping it (SIGKILL).
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeFile(path.join(dataDir, "ml-connector.owner"), String(dead));

    const pg = await startEmbeddedPostgres({ dataDir, handleSignals: false });
    started.push(pg);
    expect(isAlive(orphanPid)).toBe(false);
    expect(await query<{ v: string }>(pg, "select v from kept")).toEqual([{ v: "still here" }]);
  });
});
