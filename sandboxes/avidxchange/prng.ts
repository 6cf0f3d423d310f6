/**
 * Seeded randomness for the AvidXchange sandbox. Math.random is never used: the same seed and the same
 * requests at the same simulated times must give the same approvals, re-codings and payments.
 */
import { createHash } from "node:crypto";

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for a test double. */
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

/** A 32-bit seed derived from a number and a list of names (one independent stream per data set). */
export function deriveSeed(seed: number, ...parts: string[]): number {
  const digest = createHash("sha256")
    .update(`${seed}\u0000${parts.join("\u0000")}`)
    .digest();
  return digest.readUInt32LE(0);
}

/** An opaque, deterministic identifier (tokens, message ids): hex of sha256(seed, parts). */
export function deterministicHex(seed: number, length: number, ...parts: string[]): string {
  return createHash("sha256")
    .update(`${seed}\u0000${parts.join("\u0000")}`)
    .digest("hex")
    .slice(0, length);
}

/** One element of a non-empty list. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) {
    throw new Error("pick() needs a non-empty list");
  }
  return item;
}

/** A delay around `base`: between half and one and a half times it, so events do not march in step. */
export function jitter(rng: Rng, base: number): number {
  return Math.max(1, Math.round(base * (0.5 + rng())));
}
