/** What a resource handler gets: the authenticated call, already scoped to one data set. */
import type { Dataset } from "../dataset.js";
import type { Window } from "../dates.js";
import { inWindow, parseWindow } from "../dates.js";
import type { PageRequest } from "../envelopes.js";
import type { Reply } from "../http-io.js";
import type { ResourceName } from "../options.js";
import type { World } from "../world.js";

export interface ApiCall {
  world: World;
  ds: Dataset;
  method: string;
  /** Path as requested (for paging links). */
  path: string;
  query: URLSearchParams;
  body: Buffer;
  contentType: string;
  /** Captures of the route pattern. */
  params: string[];
  /** Simulated time of the request. */
  now: number;
}

export type Handler = (call: ApiCall) => Reply;

export function pageRequest(call: ApiCall, resource: ResourceName, source: string): PageRequest {
  return {
    path: call.path,
    query: call.query,
    resource,
    source,
    defaultPageSize: call.world.options.defaultPageSize,
    maxPageSize: call.world.options.maxPageSize,
    variants: call.world.variants,
  };
}

/** Filters records by the optional lastModified window of the query. */
export function byWindow<T extends { lastModifiedMs: number }>(items: T[], window: Window): T[] {
  if (window.from === null && window.to === null) {
    return items;
  }
  return items.filter((item) => inWindow(item.lastModifiedMs, window));
}

export function windowOf(call: ApiCall, source: string): Window {
  return parseWindow(call.query, source);
}
