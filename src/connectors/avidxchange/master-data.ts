import { listPages, postInBatches } from "./batches.js";
import { formatBound } from "./windows.js";
import { enterpriseCodeSchema, purchaseOrderSchema, vendorSchema, wireParser } from "./schemas.js";

import type { AvidPage, PagingSettings } from "./paging.js";
import type { AvidItemResult } from "./results.js";
import type { AvidSettings } from "./settings.js";
import type { AvidTransport } from "./transport.js";
import type {
  AvidEnterpriseCode,
  AvidPurchaseOrder,
  AvidPurchaseOrderInput,
  AvidVendor,
  AvidVendorInput,
} from "./types.js";
import type { WindowBound } from "./windows.js";

/** Master data the connector pushes and reads (contract §7.6, §9.3). */

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface VendorFilter extends CallOptions {
  readonly lastModifiedFrom?: WindowBound | undefined;
  readonly lastModifiedTo?: WindowBound | undefined;
  readonly externalVendorCodes?: readonly string[] | undefined;
}

export interface VendorsApi {
  /** Upsert by `ExternalVendorCode`, in batches; one result per vendor, in order. */
  upsert(
    vendors: readonly AvidVendorInput[],
    options?: CallOptions,
  ): Promise<AvidItemResult<AvidVendorInput, AvidVendor>[]>;
  list(filter?: VendorFilter): AsyncIterable<AvidPage<AvidVendor>>;
}

export interface EnterpriseCodesApi {
  /** Every code, or one group's (`groupName`). */
  list(
    filter?: { readonly groupName?: string } & CallOptions,
  ): AsyncIterable<AvidPage<AvidEnterpriseCode>>;
  /** GL accounts: the `Accounting Codes` group (setting `glGroupName`). */
  glAccounts(options?: CallOptions): AsyncIterable<AvidPage<AvidEnterpriseCode>>;
  /** One dimension's values, e.g. `Department`. */
  dimensionValues(
    groupName: string,
    options?: CallOptions,
  ): AsyncIterable<AvidPage<AvidEnterpriseCode>>;
}

export interface PurchaseOrdersApi {
  /** Upsert by `ExternalCode`, in batches; one result per PO, in order. */
  upsert(
    orders: readonly AvidPurchaseOrderInput[],
    options?: CallOptions,
  ): Promise<AvidItemResult<AvidPurchaseOrderInput, AvidPurchaseOrder>[]>;
  list(filter?: CallOptions): AsyncIterable<AvidPage<AvidPurchaseOrder>>;
}

const bound = (b: WindowBound | undefined) => (b === undefined ? undefined : formatBound(b));

export function createMasterDataApis(
  transport: AvidTransport,
  settings: AvidSettings,
  paging: PagingSettings,
): { vendors: VendorsApi; enterpriseCodes: EnterpriseCodesApi; purchaseOrders: PurchaseOrdersApi } {
  const { paths } = settings;

  const vendors: VendorsApi = {
    upsert: (inputs, options = {}) =>
      postInBatches({
        transport,
        path: paths.vendors,
        member: "Vendors",
        operation: "vendors.upsert",
        inputs,
        batchSize: settings.batchSize,
        parseItem: (request) => wireParser(vendorSchema, "vendor", request),
        signal: options.signal,
      }),
    list: (filter = {}) =>
      listPages({
        transport,
        path: paths.vendors,
        query: {
          lastModifiedFrom: bound(filter.lastModifiedFrom),
          lastModifiedTo: bound(filter.lastModifiedTo),
          externalVendorCodes: filter.externalVendorCodes?.join(","),
        },
        operation: "vendors.list",
        paging,
        parseItem: (request) => wireParser(vendorSchema, "vendor", request),
        signal: filter.signal,
      }),
  };

  const listCodes = (groupName: string | undefined, signal: AbortSignal | undefined) =>
    listPages({
      transport,
      path: paths.enterpriseCodes,
      query: { groupName },
      operation: "enterprisecodes.list",
      paging,
      parseItem: (request) => wireParser(enterpriseCodeSchema, "enterprise code", request),
      signal,
    });

  const enterpriseCodes: EnterpriseCodesApi = {
    list: (filter = {}) => listCodes(filter.groupName, filter.signal),
    glAccounts: (options = {}) => listCodes(settings.glGroupName, options.signal),
    dimensionValues: (groupName, options = {}) => listCodes(groupName, options.signal),
  };

  const purchaseOrders: PurchaseOrdersApi = {
    upsert: (inputs, options = {}) =>
      postInBatches({
        transport,
        path: paths.purchaseOrders,
        member: "PurchaseOrders",
        operation: "purchaseorders.upsert",
        inputs,
        batchSize: settings.batchSize,
        parseItem: (request) => wireParser(purchaseOrderSchema, "purchase order", request),
        signal: options.signal,
      }),
    list: (options = {}) =>
      listPages({
        transport,
        path: paths.purchaseOrders,
        query: {},
        operation: "purchaseorders.list",
        paging,
        parseItem: (request) => wireParser(purchaseOrderSchema, "purchase order", request),
        signal: options.signal,
      }),
  };

  return { vendors, enterpriseCodes, purchaseOrders };
}
