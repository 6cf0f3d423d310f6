/**
 * The business objects the sandbox runs, with the REST call each belongs to and the functional area an
 * operator must be licensed for (contract §2, §4.2).
 */
import type { SupplierAction } from "../../ledger/supplier.js";
import { runApsqry } from "./apsqry.js";
import { runApsssp } from "./apsssp.js";
import { runApstin } from "./apstin.js";
import { runApstpm } from "./apstpm.js";
import { runCombrw, runComfch } from "./browse-fetch.js";
import { runComfnd } from "./comfnd.js";
import type { ObjectContext } from "./common.js";
import { runGenqry } from "./genqry.js";
import { runGentjl } from "./gentjl.js";
import { runPorqry } from "./porqry.js";

/** Which REST operation may call the object. */
export type ObjectCall = "query" | "browse" | "fetch" | "transaction" | "setup";

export interface BusinessObject {
  name: string;
  call: ObjectCall;
  /** Functional area: AP, GL, PO or COM (system-wide). */
  area: string;
  run(
    ctx: ObjectContext,
    args: { xmlIn: string; xmlParameters: string; setupAction?: SupplierAction },
  ): string;
}

export const BUSINESS_OBJECTS: readonly BusinessObject[] = [
  { name: "APSQRY", call: "query", area: "AP", run: (c, a) => runApsqry(c, a.xmlIn) },
  { name: "PORQRY", call: "query", area: "PO", run: (c, a) => runPorqry(c, a.xmlIn) },
  { name: "GENQRY", call: "query", area: "GL", run: (c, a) => runGenqry(c, a.xmlIn) },
  { name: "COMFND", call: "query", area: "COM", run: (c, a) => runComfnd(c, a.xmlIn) },
  { name: "COMBRW", call: "browse", area: "COM", run: (c, a) => runCombrw(c, a.xmlIn) },
  { name: "COMFCH", call: "fetch", area: "COM", run: (c, a) => runComfch(c, a.xmlIn) },
  {
    name: "APSTIN",
    call: "transaction",
    area: "AP",
    run: (c, a) => runApstin(c, a.xmlParameters, a.xmlIn),
  },
  {
    name: "APSTPM",
    call: "transaction",
    area: "AP",
    run: (c, a) => runApstpm(c, a.xmlParameters, a.xmlIn),
  },
  {
    name: "GENTJL",
    call: "transaction",
    area: "GL",
    run: (c, a) => runGentjl(c, a.xmlParameters, a.xmlIn),
  },
  {
    name: "APSSSP",
    call: "setup",
    area: "AP",
    run: (c, a) => runApsssp(c, a.setupAction ?? "add", a.xmlParameters, a.xmlIn),
  },
];

export function businessObject(name: string): BusinessObject | undefined {
  const upper = name.trim().toUpperCase();
  return BUSINESS_OBJECTS.find((b) => b.name === upper);
}

/** Whether an operator's licence list covers the object. */
export function isLicensed(licensed: readonly string[], bo: BusinessObject): boolean {
  const set = new Set(licensed.map((l) => l.toUpperCase()));
  return set.has("*") || set.has(bo.name) || set.has(bo.area);
}
