/**
 * The Postgres session lease (`src/connector-state/enet-session-lease.ts`) on a real database, and
 * two worker OS processes sharing one SYSPRO session through it: one Logon, calls serialised.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";

import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPgEnetSessionStore } from "../../../src/connector-state/enet-session-lease.js";
import {
  isSessionLeaseLostError,
  isSessionLeaseTimeoutError,
} from "../../../src/connectors/syspro/index.js";
import { createVault } from "../../../src/secrets/vault.js";
import { useTestDatabase } from "../../setup/db.js";
import { guardLeaks } from "../../setup/leaks.js";
import { startHarness, type Harness } from "./harness.js";
import type { WorkerArgs } from "./processes/lease-worker.js";

guardLeaks();
const t = useTestDatabase();
const keyHex = randomBytes(32).toString("hex");
const vault = createVault({
  keys: [{ id: "test", key: Buffer.from(keyHex, "hex") }],
  currentKeyId: "test",
});
const run = promisify(execFile);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const session = (userId: string, refreshAfter = Date.parse("2026-10-31T09:10:00Z")) => ({
  userId,
  companyId: "MED1",
  refreshAfter,
});

describe("Postgres session lease", () => {
  it("stores the UserId encrypted and hands it to the next holder", async () => {
    const store = createPgEnetSessionStore({ sql: t.sql, vault });
    const a = await store.acquire("k1", { ttlMs: 5_000, waitMs: 1_000 });
    expect(a.session).toBeUndefined();
    await a.save(session("USERID-SECRET-0001"));
    await a.release({ refreshAfter: Date.parse("2026-10-31T09:20:00Z") });
    const [row] = await t.sql<
      { ciphertext: Buffer; key_id: string; lease_holder: string | null }[]
    >`
      select ciphertext, key_id, lease_holder from remote_sessions where key = 'k1'`;
    expect(row?.ciphertext.toString("latin1")).not.toContain("USERID-SECRET");
    expect(row?.lease_holder).toBeNull();
    const b = await store.acquire("k1", { ttlMs: 5_000, waitMs: 1_000 });
    expect(b.session).toEqual(session("USERID-SECRET-0001", Date.parse("2026-10-31T09:20:00Z")));
    await b.save(null);
    await b.release();
    const c = await store.acquire("k1", { ttlMs: 5_000, waitMs: 1_000 });
    expect(c.session).toBeUndefined();
    await c.release();
  });

  it("makes a second holder wait for the first, and gives up after waitMs", async () => {
    const store = createPgEnetSessionStore({ sql: t.sql, vault });
    const first = await store.acquire("k2", { ttlMs: 10_000, waitMs: 1_000 });
    const timeout = await store
      .acquire("k2", { ttlMs: 10_000, waitMs: 100 })
      .catch((e: unknown) => e);
    expect(isSessionLeaseTimeoutError(timeout)).toBe(true);
    const order: string[] = [];
    const second = store.acquire("k2", { ttlMs: 10_000, waitMs: 5_000 }).then((lease) => {
      order.push("second");
      return lease;
    });
    await new Promise((r) => setTimeout(r, 50));
    order.push("first released");
    await first.release();
    await (await second).release();
    expect(order).toEqual(["first released", "second"]);
  });

  it("lets a crashed holder's lease expire; the old holder can no longer write", async () => {
    const store = createPgEnetSessionStore({ sql: t.sql, vault });
    const crashed = await store.acquire("k3", { ttlMs: 50, waitMs: 100 });
    const next = await store.acquire("k3", { ttlMs: 5_000, waitMs: 2_000 });
    expect(
      isSessionLeaseLostError(await crashed.save(session("STALE")).catch((e: unknown) => e)),
    ).toBe(true);
    expect(isSessionLeaseLostError(await crashed.renew(1_000).catch((e: unknown) => e))).toBe(true);
    await crashed.release(); // a no-op, not an error
    await next.save(session("FRESH"));
    await next.release();
    const again = await store.acquire("k3", { ttlMs: 5_000, waitMs: 100 });
    expect(again.session?.userId).toBe("FRESH");
    await again.release();
  });
});

/** A pass-through HTTP proxy to the sandbox counting e.net requests in flight at once. */
async function startCountingProxy(
  target: string,
): Promise<{ url: string; maxInFlight: () => number; close: () => Promise<void> }> {
  const upstream = new Agent();
  let inFlight = 0;
  let max = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const enet = (req.url ?? "").toLowerCase().includes("/sysprowcfservice/");
    if (enet) {
      max = Math.max(max, ++inFlight);
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void upstream
        .request({
          origin: target,
          path: req.url ?? "/",
          method: req.method ?? "GET",
          headers: {
            ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          },
          body: chunks.length > 0 ? Buffer.concat(chunks) : null,
        })
        .then(async (up) => {
          const body = Buffer.from(await up.body.arrayBuffer());
          if (enet) {
            inFlight--;
          }
          res.writeHead(up.statusCode, {
            "content-type": String(up.headers["content-type"] ?? "text/plain"),
          });
          res.end(body);
        })
        .catch(() => {
          if (enet) {
            inFlight--;
          }
          res.writeHead(502).end();
        });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    maxInFlight: () => max,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await upstream.close();
    },
  };
}

describe("two worker processes", () => {
  it("share one SYSPRO session: one Logon, no session killed, calls serialised", async () => {
    const origin = new URL(h.sandbox.url).origin;
    const proxy = await startCountingProxy(origin);
    try {
      h.sandbox.control.clearRequests();
      // Slow every query a little, so unserialised calls would overlap at the proxy.
      h.sandbox.control.addFault({
        kind: "delay",
        ms: 15,
        operation: "Query/Query",
        times: Number.POSITIVE_INFINITY,
      });
      const ledgerCode = h.sandbox.control.rows("GenMaster", { AccOnHldFlag: "N" }, 1)[0]!.GlCode!;
      const args: WorkerArgs = {
        dbUrl: t.url,
        enetUrl: h.sandbox.url.replace(origin, proxy.url),
        odataUrl: h.sandbox.odataUrl,
        credentials: h.sandbox.credentials,
        keyHex,
        calls: 6,
        ledgerCode,
      };
      const worker = new URL("./processes/lease-worker.ts", import.meta.url).pathname;
      const spawnOne = () =>
        run(process.execPath, ["--import", "tsx", worker, JSON.stringify(args)], {
          timeout: 60_000,
        });
      const results = await Promise.all([spawnOne(), spawnOne()]);
      for (const r of results) {
        expect(JSON.parse(r.stdout)).toEqual({ ok: 6, errors: [] });
      }
      const enet = h.sandbox.control.requests().filter((r) => r.api === "enet");
      expect(enet.filter((r) => r.operation === "Logon")).toHaveLength(1);
      expect(enet.filter((r) => r.operation === "Query/Query")).toHaveLength(12);
      expect(enet.filter((r) => r.error !== undefined)).toEqual([]);
      expect(proxy.maxInFlight()).toBe(1);
      const [row] = await t.sql<
        { n: number }[]
      >`select count(*)::int as n from remote_sessions where system = 'syspro'`;
      expect(row?.n).toBeGreaterThanOrEqual(1);
    } finally {
      h.sandbox.control.clearFaults();
      await proxy.close();
    }
  }, 60_000);
});
