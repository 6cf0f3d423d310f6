/**
 * SYSPRO OData (contract §3): read-only, Basic auth with the operator's OData credentials, company in
 * the path, tables as entity sets with `$filter`, `$select`, `$orderby`, `$top`, `$skip` (and `$count`),
 * at most `maxPageSize` rows per response, `@odata.nextLink` only when the variant is on.
 */
import type { SysproState } from "../state.js";
import type { ColumnDef, Table } from "../tables/table.js";
import type { CompanyConfig, OperatorConfig, Variants } from "../types.js";
import { ODataQueryError, parseFilter, parseOrderBy } from "./filter-parser.js";
import { metadataXml, serviceDocument } from "./metadata.js";
import { allTables } from "../tables/seed.js";

export interface ODataResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Entity set (or '$metadata', '' for the service document). */
  operation: string;
  operator?: string;
}

export interface ODataDeps {
  state: SysproState;
  operators: () => readonly OperatorConfig[];
  companies: () => readonly CompanyConfig[];
  variants: () => Variants;
  maxPageSize: number;
  /** Public base of the OData service, without the company ('http://host:port/SYSPRO8Odata/SYSPROOData'). */
  base: () => string;
}

/** How the response's nextLink is spoiled by a 'broken-next-link' fault. */
export type NextLinkFault = "invalid-token" | "same-page" | undefined;

const JSON_HEADERS = {
  "content-type": "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8",
  "odata-version": "4.0",
};

function error(
  status: number,
  message: string,
  operation: string,
  extra: Record<string, string> = {},
): ODataResponse {
  return {
    status,
    headers: { ...JSON_HEADERS, ...extra },
    body: JSON.stringify({ error: { code: "", message } }),
    operation,
  };
}

function authenticate(deps: ODataDeps, header: string | undefined): OperatorConfig | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (m === null) {
    return undefined;
  }
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) {
    return undefined;
  }
  const user = decoded.slice(0, colon).toLowerCase();
  const password = decoded.slice(colon + 1);
  const op = deps
    .operators()
    .find((o) => o.operator.toLowerCase() === user || o.email.toLowerCase() === user);
  return op?.odataPassword !== undefined && op.odataPassword === password ? op : undefined;
}

/** JSON text of one column's value, by column type (SYSPRO's XML strings → OData JSON). */
function jsonText(
  type: ColumnDef["type"] | undefined,
  raw: string,
  dates: Variants["odataDates"],
): string {
  switch (type) {
    case "decimal":
    case "integer": {
      if (raw.trim() === "") {
        return "null";
      }
      const n = Number(raw);
      return Number.isFinite(n) ? String(n) : "null";
    }
    case "date":
      return raw === ""
        ? "null"
        : JSON.stringify(
            dates === "date" ? raw.slice(0, 10) : raw.length === 10 ? `${raw}T00:00:00Z` : raw,
          );
    default:
      return JSON.stringify(raw);
  }
}

/**
 * Serialises rows straight to JSON text, column by column: a page of 5000 wide rows is the sandbox's
 * hottest path when a 1,000,000-row table is streamed.
 */
function rowsJson(
  table: Table,
  columns: readonly string[],
  rows: readonly Record<string, string>[],
  dates: Variants["odataDates"],
): string {
  const cols = columns.map((name) => ({
    prefix: `${JSON.stringify(name)}:`,
    name,
    type: table.column(name)?.type,
  }));
  const parts: string[] = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let text = "{";
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c]!;
      text += `${c === 0 ? "" : ","}${col.prefix}${jsonText(col.type, row[col.name] ?? "", dates)}`;
    }
    parts[r] = `${text}}`;
  }
  return `[${parts.join(",")}]`;
}

const SUPPORTED = new Set([
  "$filter",
  "$select",
  "$orderby",
  "$top",
  "$skip",
  "$count",
  "$format",
  "$skiptoken",
]);

function nonNegative(value: string | null, name: string): number | undefined {
  if (value === null) {
    return undefined;
  }
  if (!/^\d+$/.test(value)) {
    throw new ODataQueryError(
      `Invalid value '${value}' for ${name}; a non-negative integer is required.`,
    );
  }
  return Number(value);
}

/** `subPath` is what follows the service base: '/{company}[/{entitySet}|/$metadata]'. */
export function handleOData(
  deps: ODataDeps,
  method: string,
  subPath: string,
  query: URLSearchParams,
  authorization: string | undefined,
  nextLinkFault: NextLinkFault,
): ODataResponse {
  const parts = subPath
    .split("/")
    .filter((s) => s !== "")
    .map(decodeURIComponent);
  const [companyId = "", setName = "", ...rest] = parts;
  const operation = setName;
  const operator = authenticate(deps, authorization);
  if (operator === undefined) {
    return error(401, "Authorization has been denied for this request.", operation, {
      "www-authenticate": 'Basic realm="SYSPRO OData"',
    });
  }
  const withOp = (r: ODataResponse): ODataResponse => ({ ...r, operator: operator.operator });
  const company = deps.companies().find((c) => c.id.toLowerCase() === companyId.toLowerCase());
  if (company === undefined || company.id !== deps.state.company.id) {
    return withOp(error(404, `Company '${companyId}' was not found.`, operation));
  }
  if (method !== "GET") {
    return withOp(error(405, "The OData service is read-only.", operation));
  }
  const base = `${deps.base()}/${company.id}`;
  const variants = deps.variants();
  if (setName === "") {
    return withOp({
      status: 200,
      headers: JSON_HEADERS,
      body: JSON.stringify(serviceDocument(base)),
      operation,
    });
  }
  if (setName === "$metadata") {
    return withOp({
      status: 200,
      headers: { "content-type": "application/xml; charset=utf-8", "odata-version": "4.0" },
      body: metadataXml(variants.odataDates),
      operation,
    });
  }
  const table = allTables(deps.state.tables).find((t) => t.name === setName);
  if (table === undefined || rest.length > 0) {
    return withOp(
      error(
        404,
        `No HTTP resource was found that matches the request URI '${base}/${parts.slice(1).join("/")}'.`,
        operation,
      ),
    );
  }
  try {
    for (const k of query.keys()) {
      if (k.startsWith("$") && !SUPPORTED.has(k)) {
        throw new ODataQueryError(`The query parameter '${k}' is not supported.`);
      }
    }
    const token = query.get("$skiptoken");
    if (token !== null) {
      throw new ODataQueryError(`The skip token value '${token}' is invalid.`);
    }
    const filterText = query.get("$filter");
    const orderText = query.get("$orderby");
    const selectText = query.get("$select");
    const filter =
      filterText === null || filterText.trim() === "" ? undefined : parseFilter(filterText, table);
    const orderBy = orderText === null ? [] : parseOrderBy(orderText, table);
    const select =
      selectText === null || selectText.trim() === "" || selectText.trim() === "*"
        ? undefined
        : selectText.split(",").map((s) => s.trim());
    for (const s of select ?? []) {
      if (table.column(s) === undefined) {
        throw new ODataQueryError(
          `Could not find a property named '${s}' on type 'SYSPRO.${table.name}'.`,
        );
      }
    }
    const top = nonNegative(query.get("$top"), "$top");
    const skip = nonNegative(query.get("$skip"), "$skip") ?? 0;
    const take = Math.min(top ?? Number.MAX_SAFE_INTEGER, deps.maxPageSize);
    const spec = filter === undefined ? { orderBy } : { filter, orderBy };
    const page = deps.state.engine.page(table, spec, skip, take);
    const columns: string[] = select ?? table.columns.map((c: ColumnDef) => c.name);
    const head: Record<string, unknown> = {
      "@odata.context": `${base}/$metadata#${table.name}${select === undefined ? "" : `(${select.join(",")})`}`,
    };
    if (query.get("$count") === "true") {
      head["@odata.count"] = deps.state.engine.count(table, spec);
    }
    const tail: Record<string, unknown> = {};
    // A page cut short by the cap (not by the client's own $top) continues at the next $skip.
    const cut = page.more && (top === undefined || top > page.rows.length);
    if (cut && (variants.odataNextLink || nextLinkFault !== undefined)) {
      const next = new URLSearchParams(query);
      next.set("$skip", String(skip + page.rows.length));
      if (top !== undefined) {
        next.set("$top", String(top - page.rows.length));
      }
      tail["@odata.nextLink"] =
        nextLinkFault === "invalid-token"
          ? `${base}/${table.name}?$skiptoken=${encodeURIComponent("!broken!")}`
          : nextLinkFault === "same-page"
            ? `${base}/${table.name}?${query.toString()}`
            : `${base}/${table.name}?${next.toString()}`;
    }
    const tailText = JSON.stringify(tail).slice(1, -1);
    const body = `{${JSON.stringify(head).slice(1, -1)},"value":${rowsJson(
      table,
      columns,
      page.rows,
      variants.odataDates,
    )}${tailText === "" ? "" : `,${tailText}`}}`;
    return withOp({ status: 200, headers: JSON_HEADERS, body, operation });
  } catch (e) {
    if (e instanceof ODataQueryError) {
      return withOp(error(400, e.message, operation));
    }
    throw e;
  }
}
