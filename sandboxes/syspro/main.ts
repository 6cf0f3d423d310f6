/**
 * Runs the SYSPRO sandbox alone:
 *   npm run sandbox:syspro -- --port 4101 --size reference|small [--invoices N] [--seed N] [--host H]
 * Prints the URLs and the credentials of the seeded operator and company.
 */
import { parseArgs } from "node:util";

import { createSysproSandbox, DEFAULT_OPERATORS } from "./index.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4101" },
    size: { type: "string", default: "reference" },
    invoices: { type: "string" },
    seed: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "next-link": { type: "boolean", default: false },
  },
});

if (values.size !== "reference" && values.size !== "small") {
  console.error("--size must be 'reference' or 'small'");
  process.exit(2);
}

const sandbox = createSysproSandbox({
  size: values.size,
  host: values.host,
  customer: {
    ...(values.invoices === undefined ? {} : { invoices: Number(values.invoices) }),
    ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
  },
  variants: { odataNextLink: values["next-link"] },
});
const { url, odataUrl } = await sandbox.listen(Number(values.port));
const c = sandbox.credentials;
console.log(`SYSPRO sandbox (${values.size}) listening`);
console.log(`  e.net REST : ${url}`);
console.log(`  OData      : ${odataUrl}`);
console.log(`  control    : ${new URL(url).origin}/__sandbox/state`);
console.log(`  operator   : ${c.operator} / ${c.operatorPassword}`);
console.log(`  company    : ${c.companyId} / ${c.companyPassword}`);
console.log(`  OData user : ${c.odataUser} / ${c.odataPassword}`);
console.log(
  `  others     : ${DEFAULT_OPERATORS.filter((o) => o.operator !== c.operator)
    .map((o) => `${o.operator}/${o.password}`)
    .join(", ")}`,
);

const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
