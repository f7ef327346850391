/**
 * A seeded pseudo-random generator for drawing and shuffling exams.
 *
 * The server picks a seed when an attempt starts (e.g. 128 random bits as hex) and stores it with the
 * attempt; the same seed and the same inputs give the same draw and the same option order, so an
 * attempt can be reproduced for an audit. Not for secrets: use `crypto.getRandomValues` for those.
 *
 * Plain TypeScript (no Node APIs): the string is hashed with cyrb128 into four 32-bit words that seed
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter), both public domain and well studied for this use.
 */

/**
 * Names the algorithm below. Store it with each attempt beside the seed: a reproduction for an audit
 * must use the same algorithm, so any change here needs a new name (and the old code kept for old attempts).
 */
export const RANDOM_ALGORITHM = "cyrb128-sfc32/1";

export type Random = {
  /** The next 32-bit unsigned integer. */
  nextUint32(): number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, bound), without modulo bias. `bound` must be a positive integer ≤ 2^32. */
  int(bound: number): number;
};

/** cyrb128: a fast 128-bit non-cryptographic string hash, as four unsigned 32-bit words. */
export function hashSeed(seed: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A generator whose whole sequence is fixed by `seed`. */
export function createRandom(seed: string): Random {
  let [a, b, c, d] = hashSeed(seed);
  const nextUint32 = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up: the first outputs of sfc32 still reflect the seed words closely.
  for (let i = 0; i < 12; i++) nextUint32();

  const int = (bound: number): number => {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 2 ** 32) {
      throw new RangeError(`bound must be an integer in 1..2^32, got ${bound}`);
    }
    // Rejection sampling: drop the top sliver of the 2^32 range that would favour small results.
    const limit = 2 ** 32 - (2 ** 32 % bound);
    let x = nextUint32();
    while (x >= limit) x = nextUint32();
    return x % bound;
  };

  return { nextUint32, next: () => nextUint32() / 2 ** 32, int };
}

/**
 * A generator for one named part of an attempt (`derive(seed, "draw")`, `derive(seed, "options", id)`),
 * so each part can be reproduced on its own and adding a question never changes another's option order.
 */
export function deriveRandom(seed: string, ...parts: string[]): Random {
  return createRandom([seed, ...parts].map((p) => `${p.length}:${p}`).join("|"));
}
