/**
 * Business-object calls over the shared session: each method validates and builds its document,
 * runs it (queries retried once on a lost session, writes never), and parses the XmlOut into a
 * typed result or a typed error carrying SYSPRO's numbers and texts.
 */
import {
  buildSetupApSupplier,
  parseSetupApSupplier,
  type SetupApSupplierAddInput,
  type SetupApSupplierUpdateInput,
} from "./business-objects/apsssp.js";
import {
  buildPostApInvoice,
  parsePostApInvoice,
  type PostApInvoiceInput,
  type PostApInvoiceOptions,
} from "./business-objects/apstin.js";
import {
  buildPostApManualPay,
  parsePostApManualPay,
  type PostApManualPayInput,
} from "./business-objects/apstpm.js";
import { buildComfnd, parseComfnd, type ComfndQuery } from "./business-objects/comfnd.js";
import {
  buildPostGlJournal,
  parsePostGlJournal,
  type PostGlJournalInput,
} from "./business-objects/gentjl.js";
import { parseLogonProfile } from "./business-objects/logon-profile.js";
import type { WriteDocument, WriteOptions } from "./business-objects/outcome.js";
import {
  buildApSupplierQuery,
  buildLedgerQuery,
  buildPurchaseOrderQuery,
  parseApSupplierQuery,
  parseLedgerQuery,
  parsePurchaseOrderQuery,
  type ApSupplierQueryOptions,
  type QueryDocument,
} from "./business-objects/queries.js";
import type { EnetSession } from "./enet-session.js";
import { isSysproMalformedResponseError, SysproAmbiguousWriteError } from "./errors.js";
import type { EnetMethod } from "./enet-transport.js";
import type {
  ApQuerySupplier,
  LedgerQuery,
  LogonProfile,
  PorDetail,
  PostApInvoiceResult,
  PostApManualPayResult,
  PostGlJournalResult,
  SetupApSupplierResult,
} from "./types.js";

export interface CallOptions {
  signal?: AbortSignal;
}

export interface EnetClient {
  /** APSQRY: one supplier with its invoices (and payments when asked). */
  querySupplier(
    supplier: string,
    options?: ApSupplierQueryOptions & CallOptions,
  ): Promise<ApQuerySupplier>;
  /** PORQRY: one purchase order. */
  queryPurchaseOrder(purchaseOrder: string, options?: CallOptions): Promise<PorDetail>;
  /** GENQRY: one ledger code. */
  queryLedgerCode(ledgerCode: string, options?: CallOptions): Promise<LedgerQuery>;
  /** COMFND: rows of any table matching the expressions. */
  find(query: ComfndQuery, options?: CallOptions): Promise<Record<string, string>[]>;
  /** APSSSP Setup/Add. */
  addSupplier(
    input: SetupApSupplierAddInput,
    options?: WriteOptions & CallOptions,
  ): Promise<SetupApSupplierResult>;
  /** APSSSP Setup/Update. */
  updateSupplier(
    input: SetupApSupplierUpdateInput,
    options?: WriteOptions & CallOptions,
  ): Promise<SetupApSupplierResult>;
  /** APSTIN Transaction/Post (PostLD when long). */
  postApInvoice(
    input: PostApInvoiceInput,
    options?: PostApInvoiceOptions & CallOptions,
  ): Promise<PostApInvoiceResult>;
  /** GENTJL Transaction/Post (PostLD when long). */
  postGlJournal(
    input: PostGlJournalInput,
    options?: WriteOptions & CallOptions,
  ): Promise<PostGlJournalResult>;
  /** APSTPM Transaction/Post (PostLD when long). */
  postApManualPay(
    input: PostApManualPayInput,
    options?: PostApInvoiceOptions & CallOptions,
  ): Promise<PostApManualPayResult>;
  /** GetLogonProfile on the shared session. */
  getLogonProfile(options?: CallOptions): Promise<LogonProfile>;
}

export function createEnetClient(session: EnetSession): EnetClient {
  const query = (doc: QueryDocument, signal?: AbortSignal) =>
    session.execute({
      method: "Query/Query",
      businessObject: doc.businessObject,
      xmlIn: doc.xmlIn,
      idempotent: true,
      ...(signal ? { signal } : {}),
    });

  const write = (method: EnetMethod, doc: WriteDocument, signal?: AbortSignal) =>
    session.execute({
      method,
      businessObject: doc.businessObject,
      xmlParameters: doc.xmlParameters,
      xmlIn: doc.xmlIn,
      idempotent: false,
      ...(signal ? { signal } : {}),
    });

  /** A write whose answer we cannot read may still have happened: that is ambiguous, not malformed. */
  const parseWrite = <T>(
    businessObject: string,
    text: string,
    dryRun: boolean,
    parse: (t: string) => T,
  ): T => {
    try {
      return parse(text);
    } catch (e) {
      if (isSysproMalformedResponseError(e) && !dryRun) {
        throw new SysproAmbiguousWriteError("malformed_response", businessObject, e.message, {
          cause: e,
        });
      }
      throw e;
    }
  };

  return {
    async querySupplier(supplier, options = {}) {
      return parseApSupplierQuery(
        await query(buildApSupplierQuery(supplier, options), options.signal),
      );
    },
    async queryPurchaseOrder(purchaseOrder, options = {}) {
      return parsePurchaseOrderQuery(
        await query(buildPurchaseOrderQuery(purchaseOrder), options.signal),
      );
    },
    async queryLedgerCode(ledgerCode, options = {}) {
      return parseLedgerQuery(await query(buildLedgerQuery(ledgerCode), options.signal));
    },
    async find(q, options = {}) {
      return parseComfnd(await query(buildComfnd(q), options.signal), q);
    },
    async addSupplier(input, options = {}) {
      const doc = buildSetupApSupplier("add", input, options);
      return parseWrite(
        doc.businessObject,
        await write("Setup/Add", doc, options.signal),
        options.validateOnly ?? false,
        (t) => parseSetupApSupplier(t, options.validateOnly ?? false),
      );
    },
    async updateSupplier(input, options = {}) {
      const doc = buildSetupApSupplier("update", input, options);
      return parseWrite(
        doc.businessObject,
        await write("Setup/Update", doc, options.signal),
        options.validateOnly ?? false,
        (t) => parseSetupApSupplier(t, options.validateOnly ?? false),
      );
    },
    async postApInvoice(input, options = {}) {
      const doc = buildPostApInvoice(input, options);
      return parseWrite(
        doc.businessObject,
        await write("Transaction/Post", doc, options.signal),
        options.validateOnly ?? false,
        (t) => parsePostApInvoice(t, options.validateOnly ?? false),
      );
    },
    async postGlJournal(input, options = {}) {
      const doc = buildPostGlJournal(input, options);
      return parseWrite(
        doc.businessObject,
        await write("Transaction/Post", doc, options.signal),
        options.validateOnly ?? false,
        (t) => parsePostGlJournal(t, options.validateOnly ?? false),
      );
    },
    async postApManualPay(input, options = {}) {
      const doc = buildPostApManualPay(input, options);
      return parseWrite(
        doc.businessObject,
        await write("Transaction/Post", doc, options.signal),
        options.validateOnly ?? false,
        (t) => parsePostApManualPay(t, options.validateOnly ?? false),
      );
    },
    async getLogonProfile(options = {}) {
      const text = await session.execute({
        method: "GetLogonProfile",
        idempotent: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return parseLogonProfile(text);
    },
  };
}
