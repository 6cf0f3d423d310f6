import { randomBytes } from "node:crypto";

import { createLogger } from "../../src/logger.js";
import { createVault } from "../../src/secrets/vault.js";

/** A vault and the ENCRYPTION_KEY a child process needs to read what it encrypted. */
export function testVault() {
  const key = randomBytes(32);
  const vault = createVault({ keys: [{ id: "test-key", key }], currentKeyId: "test-key" });
  return {
    vault,
    env: { ENCRYPTION_KEY: key.toString("base64"), ENCRYPTION_KEY_ID: "test-key" },
  };
}

export const quietLogger = () => createLogger({ level: "silent" });
