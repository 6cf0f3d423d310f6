import { readFileSync } from "node:fs";

/** A contract sample copied into `fixtures/` (SYSPRO's own XML, see contract §1.5, §2). */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}
