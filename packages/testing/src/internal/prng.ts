/**
 * A small deterministic pseudo-random generator for the seeded mode: Marsaglia's xorshift
 * (32-bit state, shifts 13/17/5). Statistical quality hardly matters here; what matters is
 * that a seed replays the same sequence on every platform and Node version, which
 * `Math.random` does not offer.
 */
export class Prng {
  #state: number;

  /** @param seed - an integer from 0 to 2**32 - 1 (checked by the caller) */
  constructor(seed: number) {
    // xorshift is stuck at 0, and nearby seeds give similar first outputs: scramble the seed
    // with an odd multiplier (a bijection on 32 bits) and drop a few outputs.
    this.#state = Math.imul((seed ^ 0x5bd1e995) >>> 0, 0x9e3779b1) >>> 0 || 0x2545f491;
    for (let i = 0; i < 8; i++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer of the sequence. */
  nextUint32(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }

  /** An integer from 0 to `n - 1` (for small `n`; the bias of the modulo is negligible). */
  below(n: number): number {
    return this.nextUint32() % n;
  }
}
