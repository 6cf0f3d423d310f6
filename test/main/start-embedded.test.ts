import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { guardLeaks } from "../setup/leaks.js";
import { startApp } from "./process.js";

import type { AppProcess } from "./process.js";

guardLeaks();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` with no environment: only DATA_DIR (a temp folder) and a free port differ. */
describe("serve with no DATABASE_URL (the demo)", () => {
  let dataDir: string;
  const started: AppProcess[] = [];
  beforeAll(async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), "mlc-start-"));
    await chmod(tmp, 0o755);
    dataDir = path.join(tmp, "data");
  });
  afterAll(async () => {
    // Gracefully, so the app stops its PostgreSQL too (SIGKILL would orphan it).
    await Promise.all(started.map((p) => p.stop("SIGTERM")));
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  const start = async () => {
    const app = startApp(["serve"], { DATA_DIR: dataDir, PORT: "0", SANDBOX: "false" });
    started.push(app);
    const ready = await app.waitForLog((l) => l.msg === "ready");
    const [, key] = await app.waitForText(/API key: +(\S+)/);
    return { app, url: String(ready.url), key };
  };

  let firstKey: string | undefined;

  // Whole processes with their own PostgreSQL: slower than a unit test, above all on a busy machine.
  it(
    "starts embedded PostgreSQL, prints a working key, and stops it all on Ctrl-C",
    { timeout: 90_000 },
    async () => {
      const first = await start();
      firstKey = first.key;
      expect(first.app.text()).toContain(`GraphiQL:  ${first.url}`);
      expect(first.key).toMatch(/^mlc_/);

      const ask = (key?: string) =>
        fetch(first.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          body: JSON.stringify({ query: "{ __typename }" }),
        }).then((r) => r.json() as Promise<Record<string, unknown>>);
      expect(await ask(first.key)).toEqual({ data: { __typename: "Query" } });
      const refused = await ask();
      expect(refused.data ?? null).toBeNull();
      expect(JSON.stringify(refused.errors)).toContain("UNAUTHENTICATED");
      const graphiql = await fetch(first.url, { headers: { accept: "text/html" } });
      expect(await graphiql.text()).toMatch(/graphiql/i);

      const postmaster = Number(
        (await readFile(path.join(dataDir, "pg", "postmaster.pid"), "utf8")).split("\n")[0],
      );
      expect(isAlive(postmaster)).toBe(true);
      expect(await first.app.stop("SIGINT")).toBe(0);
      expect(isAlive(postmaster)).toBe(false);
    },
  );

  it("reuses the cluster and the demo key on the next start", { timeout: 90_000 }, async () => {
    expect(firstKey).toBeDefined();
    const second = await start();
    expect(second.key).toBe(firstKey);
    expect(
      second.app.logs.some((l) => l.msg === "initialising embedded PostgreSQL data directory"),
    ).toBe(false);
    expect(await second.app.stop("SIGINT")).toBe(0);
  });
});
