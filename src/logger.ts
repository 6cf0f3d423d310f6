import { AsyncLocalStorage } from "node:async_hooks";

import pino from "pino";

import type { LogLevel } from "./config.js";
import type { DestinationStream, Logger } from "pino";

export type { Logger } from "pino";

const REDACTED = "[REDACTED]";

/**
 * Keys whose values are never logged, at any depth, any case. SYSPRO's session GUID (`UserId`) is
 * as good as a password while it lives.
 */
const SECRET_KEY =
  /pass(word|wd)?$|secret|token|authorization|^cookie$|^set-cookie$|^user_?id$|ciphertext|api_?key|private_?key|^key$|credential/i;

/**
 * Child-logger bindings skip `formatters.log`, so the usual top-level names are also given to
 * pino's own redaction, which covers bindings.
 */
const BINDING_PATHS = [
  "password",
  "secret",
  "clientSecret",
  "client_secret",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "authorization",
  "Authorization",
  "UserId",
  "userId",
  "apiKey",
  "key",
  "ciphertext",
  "credentials",
];

/** Keys holding URLs: their query strings (where SYSPRO puts passwords and UserIds) are redacted. */
const URL_KEY = /(url|uri|href|endpoint)$/i;

export interface CreateLoggerOptions {
  readonly level?: LogLevel;
  /** Where lines go; default stdout. Tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
  /** Fields on every line (e.g. `{ role: "worker" }`). */
  readonly base?: Record<string, unknown>;
}

/** pino, JSON lines, with secrets redacted by key at any depth and URLs' query values stripped. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { pid: process.pid, ...options.base },
      redact: { paths: BINDING_PATHS, censor: REDACTED },
      formatters: {
        log: (fields) => redactSecrets(fields),
      },
      serializers: { err: serializeError, error: serializeError },
      mixin: contextFields,
    },
    options.destination,
  );
}

/**
 * Fields every line logged inside a unit of work carries (a job's connection, a movement's
 * transaction ID), whichever logger writes it: connectors and flows log through their own
 * children and need not thread these through.
 */
const logContext = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `fn` with `fields` added to every log line written inside it (nested contexts merge). */
export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, fn);
}

/**
 * Adds `fields` to the current context (e.g. once a job knows its connection). Outside any context
 * it does nothing.
 */
export function addLogContext(fields: Record<string, unknown>): void {
  const store = logContext.getStore();
  if (store) {
    Object.assign(store, fields);
  }
}

function contextFields(_line: object, _level: number, logger: Logger): object {
  const store = logContext.getStore();
  if (!store) {
    return {};
  }
  // A child logger may already bind the same key: pino would print it twice.
  const bound = logger.bindings();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(store)) {
    if (!(k in bound)) {
      out[k] = v;
    }
  }
  return out;
}

function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) {
    return redactSecrets(value);
  }
  // The serialized error is not a plain object; copy it so its fields (e.g. a `url`) are redacted.
  return redactSecrets({ ...pino.stdSerializers.err(value) });
}

/**
 * A copy of `value` with secret-looking keys replaced by "[REDACTED]" and URL-looking keys' query
 * values stripped. Errors and other class instances are kept as they are (pino serialises them).
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || typeof value !== "object") {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v: unknown) => redactSecrets(v, depth + 1)) as T;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k) && v !== undefined && v !== null && v !== "") {
      out[k] = REDACTED;
    } else if (URL_KEY.test(k) && typeof v === "string") {
      out[k] = redactUrl(v);
    } else {
      out[k] = redactSecrets(v, depth + 1);
    }
  }
  return out as T;
}

/**
 * A URL safe to log: every query-string value and any userinfo password replaced. SYSPRO e.net
 * passes the operator password and session UserId in the query string.
 */
export function redactUrl(url: string | URL): string {
  const text = String(url);
  try {
    const u = new URL(text);
    if (u.password) {
      u.password = "REDACTED";
    }
    const keys = [...new Set(u.searchParams.keys())];
    if (keys.length === 0) {
      return u.toString();
    }
    // Built by hand: URLSearchParams would percent-encode the brackets.
    const query = keys.map((k) => `${encodeURIComponent(k)}=${REDACTED}`).join("&");
    return `${u.origin}${u.pathname}?${query}${u.hash}`;
  } catch {
    // Not absolute (a path): strip values textually.
    const at = text.indexOf("?");
    if (at < 0) {
      return text;
    }
    const query = text
      .slice(at + 1)
      .split("&")
      .map((pair) => `${pair.split("=")[0] ?? ""}=${REDACTED}`)
      .join("&");
    return `${text.slice(0, at)}?${query}`;
  }
}

/** A logger that writes nothing (tests, library callers without a logger). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
