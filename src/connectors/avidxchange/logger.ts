/**
 * The slice of a pino logger the connector uses. Nothing logged here carries a secret, a token, a
 * request header or a 503 body; URLs are redacted by `http.ts`.
 */
export interface AvidLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: AvidLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
