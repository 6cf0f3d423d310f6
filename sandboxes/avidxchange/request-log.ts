/**
 * What the sandbox was asked, for assertions ("the connector fetched one token", "no call without the
 * company header"). Never the Authorization header, secrets or tokens: only names a test can assert on.
 */

export interface RequestLogEntry {
  seq: number;
  /** Simulated time the request arrived. */
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  company: string | null;
  client: string | null;
  /** null while in flight or when a hang fault swallowed it. */
  status: number | null;
  fault: string | null;
}

export interface RequestLog {
  start(entry: Omit<RequestLogEntry, "seq" | "status" | "fault">): RequestLogEntry;
  entries(
    filter?: Partial<Pick<RequestLogEntry, "method" | "path" | "company" | "client">>,
  ): RequestLogEntry[];
  clear(): void;
}

const SECRET_PARAM = /secret|token|password|assertion|key/i;

/** Query parameters with anything credential-like replaced by "[redacted]". */
export function redactQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of query) {
    out[name] = SECRET_PARAM.test(name) ? "[redacted]" : value;
  }
  return out;
}

export function createRequestLog(limit: number): RequestLog {
  let seq = 0;
  let entries: RequestLogEntry[] = [];

  return {
    start(partial) {
      const entry: RequestLogEntry = { ...partial, seq: ++seq, status: null, fault: null };
      entries.push(entry);
      if (entries.length > limit) {
        entries = entries.slice(entries.length - limit);
      }
      return entry;
    },
    entries(filter = {}) {
      return entries
        .filter(
          (e) =>
            (filter.method === undefined || e.method === filter.method) &&
            (filter.path === undefined || e.path === filter.path) &&
            (filter.company === undefined || e.company === filter.company) &&
            (filter.client === undefined || e.client === filter.client),
        )
        .map((e) => ({ ...e, query: { ...e.query } }));
    },
    clear() {
      entries = [];
    },
  };
}
