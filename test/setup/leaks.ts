import { afterAll, beforeAll } from "vitest";

// Handles that outlive a test file mean a server, socket, child process or pool was not closed.
const WATCHED = ["TCPServerWrap", "TCPSocketWrap", "ProcessWrap", "PipeServerWrap"];

function snapshot(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    if (WATCHED.includes(name)) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return counts;
}

function excess(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after]
    .filter(([name, n]) => n > (before.get(name) ?? 0))
    .map(([name, n]) => `${n - (before.get(name) ?? 0)} × ${name}`);
}

/**
 * Fails the file in `afterAll` when it leaves more servers, sockets or child processes open than
 * it found (after a short grace period for sockets that are closing). Call at the top of a file,
 * before other hooks, so it runs after their `afterAll`s.
 */
export function guardLeaks(): void {
  let before = new Map<string, number>();
  beforeAll(() => {
    before = snapshot();
  });
  afterAll(async () => {
    let left: string[] = [];
    for (let i = 0; i < 40; i++) {
      left = excess(before, snapshot());
      if (left.length === 0) {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`test file leaked open handles: ${left.join(", ")}`);
  });
}
