import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { deriveKeyId } from "../config.js";

import type { EncryptionKey } from "../config.js";
import type { Logger } from "pino";

export const DEMO_KEY_FILE = "encryption-key";

/**
 * The embedded demo's encryption key: read from `<dataDir>/encryption-key`, or generated there on
 * first start. Anyone who can read that folder can decrypt the demo's secrets; real deployments
 * set ENCRYPTION_KEY.
 */
export async function loadOrCreateDemoKey(dataDir: string, logger: Logger): Promise<EncryptionKey> {
  const file = path.join(dataDir, DEMO_KEY_FILE);
  let encoded = await readFile(file, "utf8").then(
    (s) => s.trim(),
    () => undefined,
  );
  if (encoded === undefined) {
    encoded = randomBytes(32).toString("base64");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${encoded}\n`, { mode: 0o600, flag: "wx" });
    logger.warn(
      { file },
      "ENCRYPTION_KEY is not set: GENERATED A DEMO KEY and stored it beside the embedded database. " +
        "Fine for the demo; for real credentials set ENCRYPTION_KEY (32 random bytes, base64).",
    );
  } else {
    logger.warn(
      { file },
      "ENCRYPTION_KEY is not set: using the demo key stored in the data folder",
    );
  }
  const key = Buffer.from(encoded, "base64");
  if (key.length !== 32) {
    throw new Error(`${file} does not hold a 32-byte base64 key`);
  }
  return { id: deriveKeyId(key), key };
}
