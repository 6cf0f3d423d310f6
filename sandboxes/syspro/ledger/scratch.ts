/**
 * Effects of earlier items in the same document, seen by later items' validation: a second item with
 * the same invoice number is a duplicate, and two payments of one invoice share its open balance.
 */
export interface Scratch {
  /** 'supplier|invoice' of invoices the document adds. */
  invoices: Set<string>;
  /** 'supplier|invoice' → cents already released by earlier items. */
  released: Map<string, number>;
  /** 'supplier|cheque' used by earlier items. */
  cheques: Set<string>;
  /** Supplier codes the document adds. */
  suppliers: Set<string>;
}

export function createScratch(): Scratch {
  return { invoices: new Set(), released: new Map(), cheques: new Set(), suppliers: new Set() };
}

export function key(a: string, b: string): string {
  return `${a}|${b}`;
}
