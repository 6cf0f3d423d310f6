import { rotateKeys } from "../secrets/rotate-keys.js";
import { openRuntime } from "./runtime.js";

import type { Command } from "./command.js";

/**
 * `rotate-key`: re-encrypt every stored secret with ENCRYPTION_KEY. Run with the new key as
 * ENCRYPTION_KEY and the old one(s) in ENCRYPTION_KEYS_PREVIOUS; afterwards the old ones can go.
 */
export const rotateKeyCommand: Command = {
  name: "rotate-key",
  summary: "re-encrypt stored credentials and sessions with the current ENCRYPTION_KEY",
  async run({ config, logger, print }) {
    const runtime = await openRuntime(config, logger);
    try {
      const result = await rotateKeys(runtime.db, runtime.vault, logger);
      print(
        `re-encrypted ${result.credentials} credential(s) and ${result.remoteSessions} session(s) with key ${runtime.vault.currentKeyId}`,
      );
      const stale = result.keyIdsInUse.filter((id) => id !== runtime.vault.currentKeyId);
      if (stale.length > 0) {
        print(`still in use (rows were busy; run again): ${stale.join(", ")}`);
        return 1;
      }
      if (config.encryption.previous.length > 0) {
        print("no stored secret needs the previous keys any more: remove ENCRYPTION_KEYS_PREVIOUS");
      }
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
