/**
 * Deterministic randomness for the reference customer. Math.random is never used: the same seed must
 * give both sandboxes (and every run of the demo and the benchmarks) the same data.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for fixtures. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3's finaliser; spreads nearby inputs (seed, stream, index) over the whole 32-bit range. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * An independent generator for item `index` of a named stream, so invoice 999,999 is computed without
 * generating the 999,999 before it.
 */
export function rngFor(seed: number, stream: number, index: number): Rng {
  const h = fmix32(fmix32(fmix32(seed >>> 0) ^ Math.imul(stream, 0x9e3779b1)) ^ (index >>> 0));
  return mulberry32(h);
}

/** Integer in [min, max] inclusive. */
export function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) {
    throw new Error("pick() needs a non-empty list");
  }
  return item;
}

/** One element of a list by weight. */
export function pickWeighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) {
      return item;
    }
  }
  const last = items[items.length - 1];
  if (last === undefined) {
    throw new Error("pickWeighted() needs a non-empty list");
  }
  return last[0];
}
