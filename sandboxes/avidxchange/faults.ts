/**
 * Injected faults (test and demo controls). Each fault matches requests by path prefix (default "/v1",
 * so the token endpoint is hit only when asked with path "/token") and optional method, and is used up
 * after `count` requests (default 1) unless `persistent`.
 */

interface FaultMatch {
  /** Path prefix; default "/v1". Use "/token" (or "/oauth2/token") for the token endpoint, "/" for all. */
  path?: string;
  method?: string;
  /** Requests affected; default 1. */
  count?: number;
  /** Stays until cleared. */
  persistent?: boolean;
}

export type FaultSpec = FaultMatch &
  (
    | {
        kind: "status";
        /** 500, 502, 503, 504, … */
        status: number;
        /** Replaces the default WSO2-style error body. */
        body?: string;
        /** Run the request (its effects happen) and then answer with the error. */
        afterEffect?: boolean;
      }
    | { kind: "rate-limit"; code?: 900800 | 900807; retryAfterSeconds?: number }
    /** 503 whose HTML body echoes the request's headers and body — credentials included. */
    | { kind: "echo-credentials" }
    /** Never answer (the socket stays open until the client gives up or the sandbox closes). */
    | { kind: "hang"; afterEffect?: boolean }
    /** Run the request, then send a truncated JSON body with status 200. */
    | { kind: "malformed-json" }
    /** Wait `delayMs` real milliseconds, then answer normally. */
    | { kind: "slow"; delayMs: number }
  );

export interface ActiveFault {
  id: number;
  spec: FaultSpec;
  remaining: number;
}

export interface FaultQueue {
  add(spec: FaultSpec): number;
  /** The first fault matching this request, consumed once. */
  take(method: string, path: string): FaultSpec | null;
  list(): ActiveFault[];
  clear(id?: number): void;
}

export function createFaultQueue(): FaultQueue {
  let nextId = 1;
  let faults: ActiveFault[] = [];

  return {
    add(spec) {
      const id = nextId++;
      faults.push({ id, spec: { ...spec }, remaining: spec.count ?? 1 });
      return id;
    },
    take(method, path) {
      const lowerPath = path.toLowerCase();
      const fault = faults.find(
        (f) =>
          lowerPath.startsWith((f.spec.path ?? "/v1").toLowerCase()) &&
          (f.spec.method === undefined || f.spec.method.toUpperCase() === method),
      );
      if (!fault) {
        return null;
      }
      if (!fault.spec.persistent) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) {
          faults = faults.filter((f) => f !== fault);
        }
      }
      return fault.spec;
    },
    list() {
      return faults.map((f) => ({ ...f, spec: { ...f.spec } }));
    },
    clear(id) {
      faults = id === undefined ? [] : faults.filter((f) => f.id !== id);
    },
  };
}
