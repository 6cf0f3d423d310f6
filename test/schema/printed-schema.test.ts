import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const script = fileURLToPath(new URL("../../scripts/print-schema.ts", import.meta.url));

describe("schema.graphql", () => {
  it("is current (scripts/print-schema.ts --check)", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", script, "--check"], {
      timeout: 30_000,
    });
    expect(stdout).toContain("schema.graphql is current.");
  });
});
