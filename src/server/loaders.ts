import DataLoader from "dataloader";

/**
 * Per-request DataLoaders without a central registry: a type file declares a loader next to the
 * type with `defineLoader`, and resolvers get the request's instance with `ctx.loaders.get(def)`.
 * Loaders are built on first use, so a request pays only for the loaders it touches.
 *
 * For node and object types prefer the dataloader plugin (`builder.loadableNode`,
 * `t.loadable`), which keeps its own per-request loaders; use this for anything else that must
 * batch (counts, one-to-many lists keyed by parent id, lookups by a natural key).
 */
export interface LoaderDefinition<K, V, C = K, Ctx = unknown> {
  readonly name: string;
  /** Return one value (or Error) per key, in key order (`sortByKeys` helps). */
  readonly batch: (keys: readonly K[], ctx: Ctx) => Promise<readonly (V | Error)[]>;
  readonly options?: DataLoader.Options<K, V, C>;
}

export function defineLoader<K, V, C = K, Ctx = unknown>(
  definition: LoaderDefinition<K, V, C, Ctx>,
): LoaderDefinition<K, V, C, Ctx> {
  return definition;
}

export interface LoaderCache<Ctx> {
  get<K, V, C>(definition: LoaderDefinition<K, V, C, Ctx>): DataLoader<K, V, C>;
  /** Drops every loader and what it loaded; the next `get` starts afresh. */
  clear(): void;
}

export function createLoaderCache<Ctx>(getContext: () => Ctx): LoaderCache<Ctx> {
  const loaders = new Map<LoaderDefinition<never, unknown, unknown, Ctx>, unknown>();
  return {
    get<K, V, C>(definition: LoaderDefinition<K, V, C, Ctx>): DataLoader<K, V, C> {
      const key = definition as unknown as LoaderDefinition<never, unknown, unknown, Ctx>;
      let loader = loaders.get(key) as DataLoader<K, V, C> | undefined;
      if (!loader) {
        loader = new DataLoader<K, V, C>(
          (keys) => definition.batch(keys, getContext()),
          definition.options,
        );
        loaders.set(key, loader);
      }
      return loader;
    },
    clear() {
      loaders.clear();
    },
  };
}

/**
 * Orders `rows` to match `keys` (DataLoader requires it): a missing row becomes `null`, or the
 * result of `missing(key)` (for example a NotFoundError).
 */
export function sortByKeys<K, V>(
  keys: readonly K[],
  rows: readonly V[],
  keyOf: (row: V) => K,
  missing: (key: K) => V | Error | null = () => null,
): (V | Error | null)[] {
  const byKey = new Map<K, V>();
  for (const row of rows) {
    byKey.set(keyOf(row), row);
  }
  return keys.map((key) => byKey.get(key) ?? missing(key));
}

/** Groups `rows` by `keyOf` in key order, for one-to-many loaders; keys without rows get `[]`. */
export function groupByKeys<K, V>(
  keys: readonly K[],
  rows: readonly V[],
  keyOf: (row: V) => K,
): V[][] {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) {
      group.push(row);
    } else {
      groups.set(key, [row]);
    }
  }
  return keys.map((key) => groups.get(key) ?? []);
}
