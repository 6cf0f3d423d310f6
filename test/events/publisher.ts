import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import type { EventTopics, Topic } from "../../src/events/topics.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./fixtures/publish-event.ts", import.meta.url));

/** Publishes one event from a separate Node process (a stand-in worker), and waits for it to exit. */
export async function publishFromAnotherProcess<T extends Topic>(
  url: string,
  topic: T,
  payload: EventTopics[T],
): Promise<void> {
  await run(process.execPath, ["--import", "tsx", script, url, topic, JSON.stringify(payload)], {
    timeout: 20_000,
  });
}

/** Waits (bounded) until `check` holds; for "the subscription is live" style preconditions. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting until ${what}`);
}
