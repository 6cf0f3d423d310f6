import { Logger as GraphileLogger } from "graphile-worker";

import type { LogLevel } from "graphile-worker";
import type { Logger } from "pino";

/** graphile-worker logs through its own Logger; this routes it into our pino logger. */
export function toGraphileLogger(logger: Logger): GraphileLogger {
  const log = logger.child({ component: "graphile-worker" });
  return new GraphileLogger(() => (level: LogLevel, message: string, meta?: unknown) => {
    const fields = typeof meta === "object" && meta !== null ? meta : {};
    // LogLevel is a const enum (string values), unusable as a value under isolatedModules.
    switch (level as string) {
      case "error":
        log.error(fields, message);
        break;
      case "warning":
        log.warn(fields, message);
        break;
      case "info":
        log.info(fields, message);
        break;
      default:
        log.debug(fields, message);
    }
  });
}
