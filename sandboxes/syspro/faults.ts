/**
 * Fault injection: rules that spoil the next N matching calls. XML faults spoil the real XmlOut, so the
 * call itself runs; the others act before the call unless `phase: 'after'`.
 */
import type { FaultRule } from "./types.js";

export interface CallInfo {
  api: "enet" | "odata";
  operation: string;
  businessObject?: string;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  remaining: number;
}

function matches(rule: FaultRule, call: CallInfo): boolean {
  if (rule.api !== undefined && rule.api !== call.api) {
    return false;
  }
  if (
    rule.operation !== undefined &&
    rule.operation.toLowerCase() !== call.operation.toLowerCase()
  ) {
    return false;
  }
  if (
    rule.businessObject !== undefined &&
    rule.businessObject.toUpperCase() !== (call.businessObject ?? "").toUpperCase()
  ) {
    return false;
  }
  if (rule.kind === "broken-next-link" && call.api !== "odata") {
    return false;
  }
  return true;
}

export function createFaults() {
  let rules: ActiveRule[] = [];
  let nextId = 1;
  return {
    add(rule: FaultRule): number {
      const id = nextId++;
      rules.push({ id, rule, remaining: rule.times ?? 1 });
      return id;
    },
    /** Consumes and returns every rule matching this call. */
    take(call: CallInfo): FaultRule[] {
      const hit: FaultRule[] = [];
      for (const r of rules) {
        if (r.remaining > 0 && matches(r.rule, call)) {
          r.remaining--;
          hit.push(r.rule);
        }
      }
      rules = rules.filter((r) => r.remaining > 0);
      return hit;
    },
    clear(): void {
      rules = [];
    },
    list(): (FaultRule & { id: number; remaining: number })[] {
      return rules.map((r) => ({ ...r.rule, id: r.id, remaining: r.remaining }));
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;

/** Cuts the closing tags off: not well-formed. */
export function malformed(xml: string): string {
  return `${xml.replace(/<\/[^>]+>\s*$/, "")}<Item><Unclosed attr="x></Item>`;
}

/** The first half of the document, as a dropped connection would leave it. */
export function truncated(xml: string): string {
  return xml.slice(0, Math.max(1, Math.floor(xml.length / 2)));
}

/** An internal DTD with an external entity, referenced in the body: must be refused, never expanded. */
export function withDoctype(xml: string): string {
  const decl = /^<\?xml[^>]*\?>/.exec(xml)?.[0] ?? "";
  const body = xml.slice(decl.length);
  const root = /^<([A-Za-z][\w]*)/.exec(body)?.[1] ?? "root";
  const dtd = `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">]>`;
  return `${decl}${dtd}${body.replace(/(<[A-Za-z][\w]*[^>]*>)/, "$1&xxe;&lol;")}`;
}
