/**
 * Raw-HTTP helpers for the SYSPRO sandbox tests: no connector code, just fetch and a few regexes to
 * read XmlOut, so the sandbox is checked against the contract, not against our own parser.
 */
import { createSysproSandbox } from "../../../sandboxes/syspro/index.js";
import type { SysproSandbox, SysproSandboxOptions } from "../../../sandboxes/syspro/index.js";

export async function startSandbox(options: SysproSandboxOptions = {}): Promise<SysproSandbox> {
  const sandbox = createSysproSandbox({ freezeClock: true, ...options });
  await sandbox.listen(0);
  return sandbox;
}

export function qs(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export async function get(
  url: string,
): Promise<{ status: number; text: string; contentType: string }> {
  const res = await fetch(url);
  return {
    status: res.status,
    text: await res.text(),
    contentType: res.headers.get("content-type") ?? "",
  };
}

export async function logon(
  sandbox: SysproSandbox,
  overrides: Partial<
    Record<"Operator" | "OperatorPassword" | "CompanyId" | "CompanyPassword", string>
  > = {},
): Promise<string> {
  const c = sandbox.credentials;
  const r = await get(
    `${sandbox.url}/Logon?${qs({
      Operator: c.operator,
      OperatorPassword: c.operatorPassword,
      CompanyId: c.companyId,
      CompanyPassword: c.companyPassword,
      ...overrides,
    })}`,
  );
  return r.text;
}

export async function query(
  sandbox: SysproSandbox,
  userId: string,
  bo: string,
  xmlIn: string,
): Promise<string> {
  return (
    await get(
      `${sandbox.url}/Query/Query?${qs({ UserId: userId, BusinessObject: bo, XmlIn: xmlIn })}`,
    )
  ).text;
}

export async function post(
  sandbox: SysproSandbox,
  userId: string,
  bo: string,
  xmlParameters: string,
  xmlIn: string,
  path = "Transaction/Post",
): Promise<string> {
  const r = await get(
    `${sandbox.url}/${path}?${qs({ UserId: userId, BusinessObject: bo, XmlParameters: xmlParameters, XmlIn: xmlIn })}`,
  );
  return r.text;
}

/** Text of the first element called `name` (anywhere), or undefined. */
export function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>|<${name}(?:\\s[^>]*)?/>`).exec(xml);
  return m === null ? undefined : (m[1] ?? "");
}

/** Texts of every element called `name`. */
export function tags(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`, "g"))].map(
    (m) => m[1] ?? "",
  );
}

/** Name of the root element (after the declaration). */
export function rootName(xml: string): string | undefined {
  return /^(?:<\?xml[^>]*\?>)?\s*<([A-Za-z][\w]*)/.exec(xml)?.[1];
}

export function params(flags: Record<string, string>, root: string): string {
  return `<${root}><Parameters>${Object.entries(flags)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join("")}</Parameters></${root}>`;
}

export function basic(user: string, password: string): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

export async function odata(
  sandbox: SysproSandbox,
  pathAndQuery: string,
  auth = basic(sandbox.credentials.odataUser, sandbox.credentials.odataPassword),
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${sandbox.odataUrl}${pathAndQuery}`, { headers: auth });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body, headers: res.headers };
}

export function rowsOf(body: Record<string, unknown>): Record<string, unknown>[] {
  return body.value as Record<string, unknown>[];
}
