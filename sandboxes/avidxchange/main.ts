/**
 * Runs the AvidXchange sandbox alone:
 *   npm run sandbox:avidxchange -- --port 4102 [--seed 42] [--accelerate 600] [--start 2026-11-02T08:00:00Z]
 *     [--rate 600] [--burst 50] [--vendors-from-suppliers]
 * `--accelerate N`: N simulated ms per real ms (600 = one real second is ten simulated minutes).
 * `--start now` starts the simulated clock at the current real time.
 */
import { parseArgs } from "node:util";

import { createAvidSandbox } from "./index.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4102" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string", default: "42" },
    accelerate: { type: "string", default: "0" },
    start: { type: "string" },
    rate: { type: "string" },
    burst: { type: "string" },
    "vendors-from-suppliers": { type: "boolean", default: false },
  },
});

const number = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    console.error(`--${name} must be a number, got ${raw}`);
    process.exit(2);
  }
  return n;
};

const sandbox = createAvidSandbox({
  seed: number("seed", values.seed),
  host: values.host,
  accelerate: number("accelerate", values.accelerate),
  seedVendorsFromSuppliers: values["vendors-from-suppliers"],
  ...(values.start ? { startTime: values.start === "now" ? Date.now() : values.start } : {}),
  rateLimit: {
    ...(values.rate ? { requestsPerMinute: number("rate", values.rate) } : {}),
    ...(values.burst ? { burstPerSecond: number("burst", values.burst) } : {}),
  },
});

const { gatewayUrl, tokenUrl } = await sandbox.listen(number("port", values.port));
const lines = [
  "AvidXchange sandbox listening",
  `  gateway   ${gatewayUrl}   (resources under ${gatewayUrl}/v1)`,
  `  token     ${tokenUrl}   (alias ${gatewayUrl}/oauth2/token)`,
  `  controls  ${gatewayUrl}/__sandbox`,
  `  clock     ${sandbox.control.now()}${values.accelerate !== "0" ? ` (x${values.accelerate})` : " (manual: POST /__sandbox/clock)"}`,
  `  company header: ${sandbox.companyHeader}`,
  "  clients:",
  ...sandbox.clients.map(
    (c) =>
      `    ${c.clientId} / ${c.clientSecret}  [${c.keyType}]  companies ${c.companies.join(", ")}`,
  ),
];
console.log(lines.join("\n"));

const stop = (): void => {
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
