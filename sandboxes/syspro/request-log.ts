/** The request log the control API exposes for assertions (secrets already redacted by the callers). */
import type { RequestLogEntry } from "./types.js";

const LIMIT = 10_000;

export function createRequestLog() {
  let entries: RequestLogEntry[] = [];
  let seq = 0;
  return {
    add(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
      const full = { seq: ++seq, ...entry };
      entries.push(full);
      if (entries.length > LIMIT) {
        entries = entries.slice(entries.length - LIMIT);
      }
      return full;
    },
    /** Entries after `since` (a seq), oldest first. */
    list(since = 0): RequestLogEntry[] {
      return entries.filter((e) => e.seq > since);
    },
    clear(): void {
      entries = [];
    },
    lastSeq: () => seq,
  };
}

export type RequestLog = ReturnType<typeof createRequestLog>;
