import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { chromium } from "playwright-core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { authenticateApiKey, issueApiKey } from "../../src/auth/api-keys.js";
import { createPgPubSub } from "../../src/events/pubsub.js";
import { createLogger } from "../../src/logger.js";
import { schema } from "../../src/schema/index.js";
import { createHttpServer } from "../../src/server/http.js";
import { createYoga } from "../../src/server/yoga.js";
import { useTestDatabase } from "../setup/db.js";
import { guardLeaks } from "../setup/leaks.js";
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from "./chromium.js";

import type { PgPubSub } from "../../src/events/pubsub.js";
import type { HttpServer } from "../../src/server/http.js";

guardLeaks();

// Installing Chromium (when missing, as root) happens here, once, with a bound.
const missing = ensureChromium();
if (missing) {
  // Visible in the run's output: the suite is green without a browser, but says so.
  console.warn(`\n[browser tests SKIPPED] ${missing}\n`);
}

describe.skipIf(missing !== null)("GraphiQL in a real browser", () => {
  const t = useTestDatabase();
  const logger = createLogger({ level: "silent" });
  let server: HttpServer;
  let events: PgPubSub;
  let url: string;
  let key: string;
  let userDataDir: string;

  beforeAll(async () => {
    ({ key } = await issueApiKey(t.db, { name: "demo", role: "admin" }));
    events = createPgPubSub({ sql: t.sql, logger });
    await events.ready;
    const yoga = createYoga({
      schema,
      deps: { db: t.db, sql: t.sql, pubsub: events.pubsub, logger },
    });
    server = createHttpServer({ yoga, authenticate: (k) => authenticateApiKey(t.db, k), logger });
    url = await server.listen(0);
    userDataDir = await mkdtemp(path.join(tmpdir(), "mlc-chromium-"));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await events?.close();
    if (userDataDir) {
      await rm(userDataDir, { recursive: true, force: true });
    }
  });

  it("opens the GraphiQL URL, runs a query with the demo key in the Headers tab and shows data", async () => {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      // GraphiQL is served from the package (no CDN), so it renders offline too.
      await page.goto(url);
      await page.locator(".graphiql-container").first().waitFor({ timeout: 30_000 });

      // Headers tab: the demo key, as the banner tells a person to paste it.
      await page
        .getByRole("button", { name: /headers/i })
        .first()
        .click();
      const headers = page.locator(".graphiql-editor-tool .graphiql-editor:visible").last();
      await headers.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${key}` }));
      await dropAutoClosed(page);

      // The query editor: replace whatever GraphiQL shows by default.
      const query = page
        .locator(
          ".graphiql-query-editor .monaco-editor, .graphiql-query-editor .CodeMirror, .graphiql-query-editor .cm-editor",
        )
        .first();
      await query.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText("{ viewer { apiKeyName role } }");
      await dropAutoClosed(page);

      await page.locator(".graphiql-execute-button").click();
      const response = page.locator(".graphiql-response");
      // The response editor renders spaces as non-breaking ones; compare as a person reads it.
      const shown = async () => (await response.innerText()).replace(/\u00a0/g, " ");
      await expect.poll(shown, { timeout: 20_000 }).toContain('"apiKeyName": "demo"');
      expect(await shown()).toContain('"role": "ADMIN"');
    } finally {
      await context.close();
    }
  }, 90_000);
});

/**
 * GraphiQL's editor closes brackets and quotes as they are typed, so typed text ends up with
 * extra closers after the cursor: delete from the cursor to the end of the editor.
 */
async function dropAutoClosed(page: Page): Promise<void> {
  await page.keyboard.press("Control+Shift+End");
  await page.keyboard.press("Delete");
}
