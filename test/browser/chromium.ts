import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

/**
 * Makes sure Debian's Chromium is present: when it is missing and we run as root, installs it with
 * apt-get (bounded by `timeoutMs`). Returns why it is still missing, or null when it is there.
 * Runs in the test file's `beforeAll`, once per run.
 */
export function ensureChromium(timeoutMs = 240_000): string | null {
  if (existsSync(CHROMIUM)) {
    return null;
  }
  if (process.getuid?.() !== 0) {
    return `${CHROMIUM} is missing and we are not root (install it with: apt-get install -y chromium)`;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let result = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    env,
    timeout: timeoutMs,
    stdio: "ignore",
  });
  if (result.status !== 0 && !existsSync(CHROMIUM)) {
    // The package lists may be stale or absent in a fresh container.
    spawnSync("apt-get", ["update"], { env, timeout: timeoutMs / 2, stdio: "ignore" });
    result = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
      env,
      timeout: timeoutMs,
      stdio: "ignore",
    });
  }
  return existsSync(CHROMIUM)
    ? null
    : `apt-get install chromium did not provide ${CHROMIUM} (status ${String(result.status)})`;
}

/** The flags the suite launches Chromium with (headless, no sandbox in containers, no network chatter). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
