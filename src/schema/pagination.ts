import { resolveCursorConnection } from "@pothos/plugin-relay";

import type { PageRequest, Paged } from "../read-models/keyset.js";
import type { ResolveCursorConnectionArgs } from "@pothos/plugin-relay";

/** Largest page a list returns; `first`/`last` above it are capped. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface ConnectionArgs {
  readonly first?: number | null | undefined;
  readonly last?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly before?: string | null | undefined;
}

/**
 * A Relay connection over a keyset read model: `fetch` gets the page bounds (one row more than the
 * page, to know whether another follows) and `count` runs only if `totalCount` is selected.
 */
export async function keysetConnection<T>(
  args: ConnectionArgs,
  fetch: (page: PageRequest) => Promise<Paged<T>[]>,
  count: () => Promise<number>,
) {
  const connection = await resolveCursorConnection(
    {
      args: {
        first: args.first ?? null,
        last: args.last ?? null,
        after: args.after ?? null,
        before: args.before ?? null,
      },
      toCursor: (row: Paged<T>) => row.cursor,
      defaultSize: DEFAULT_PAGE_SIZE,
      maxSize: MAX_PAGE_SIZE,
    },
    ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
      fetch({ after, before, limit, inverted }),
  );
  let counted: Promise<number> | undefined;
  return { ...connection, totalCount: () => (counted ??= count()) };
}

/** Extra fields every list connection has. */
export const TOTAL_COUNT_DESCRIPTION = "How many records match the filters, on all pages together.";
