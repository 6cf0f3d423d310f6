import { spawn } from "node:child_process";
import { once } from "node:events";

import { describe, expect, it } from "vitest";

import { basic, CLIENT_ID, CLIENT_SECRET } from "./helpers.js";

describe("sandbox:avidxchange (main.ts)", () => {
  it("runs alone, prints its URLs and credentials, serves tokens and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "sandboxes/avidxchange/main.ts", "--port", "0"],
      {
        cwd: new URL("../../../", import.meta.url),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      let out = "";
      child.stdout.setEncoding("utf8");
      for await (const chunk of child.stdout) {
        out += String(chunk);
        if (out.includes("clients:") && out.includes("other-avid-client")) {
          break;
        }
      }
      expect(out).toContain(
        `${CLIENT_ID} / ${CLIENT_SECRET}  [production]  companies 10001, 10002`,
      );
      expect(out).toContain("company header: X-Avid-Company-Id");
      const tokenUrl = /token\s+(http:\/\/\S+\/token)/.exec(out)?.[1];
      expect(tokenUrl).toBeDefined();
      const res = await fetch(tokenUrl!, {
        method: "POST",
        headers: {
          authorization: basic(CLIENT_ID, CLIENT_SECRET),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
      expect(res.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      if (child.exitCode === null) {
        await once(child, "exit");
      }
    }
    expect(child.exitCode).toBe(0);
  });
});
