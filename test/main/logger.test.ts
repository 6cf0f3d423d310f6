import { Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { createLogger, redactUrl } from "../../src/logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, logger: createLogger({ level: "debug", destination }) };
}

describe("logger", () => {
  it("redacts secret fields at any depth and in child bindings", () => {
    const { lines, logger } = capture();
    logger.child({ clientSecret: "cs-123" }).info(
      {
        password: "pw-1",
        headers: { Authorization: "Bearer abc", accept: "json" },
        session: { UserId: "0f1e-guid", expiresIn: 60 },
        nested: { deeper: { access_token: "tok-999", credentials: { x: 1 } } },
        credential: { ciphertext: "aGk=" },
        operator: "ADMIN",
      },
      "hello",
    );
    const text = JSON.stringify(lines);
    for (const secret of ["cs-123", "pw-1", "Bearer abc", "0f1e-guid", "tok-999", "aGk="]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      msg: "hello",
      clientSecret: "[REDACTED]",
      headers: { Authorization: "[REDACTED]", accept: "json" },
      session: { UserId: "[REDACTED]", expiresIn: 60 },
      operator: "ADMIN",
    });
  });

  it("strips query values from URL fields and from errors", () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error("logon failed"), {
      url: "https://erp/SYSPROWCFService/Rest/Logon?Operator=ADMIN&OperatorPassword=hunter2",
    });
    logger.warn(
      { requestUrl: "https://erp/Query/Query?UserId=0f1e-guid&BusinessObject=APSQRY", err },
      "call",
    );
    const text = JSON.stringify(lines);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("0f1e-guid");
    expect(lines[0]?.requestUrl).toBe(
      "https://erp/Query/Query?UserId=[REDACTED]&BusinessObject=[REDACTED]",
    );
  });
});

describe("redactUrl", () => {
  it("keeps origin and path, drops every query value and userinfo password", () => {
    expect(redactUrl("https://erp:8443/Rest/Logon?Operator=A&OperatorPassword=p#x")).toBe(
      "https://erp:8443/Rest/Logon?Operator=[REDACTED]&OperatorPassword=[REDACTED]#x",
    );
    expect(redactUrl("postgres://user:secret@db:5432/app")).toBe(
      "postgres://user:REDACTED@db:5432/app",
    );
    expect(redactUrl("/Rest/Query/Query?UserId=abc")).toBe("/Rest/Query/Query?UserId=[REDACTED]");
    expect(redactUrl("https://api/vendors")).toBe("https://api/vendors");
  });
});
