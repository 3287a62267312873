// Exact McNemar test for paired binary outcomes: under H0 the b discordant pairs favouring A and the c favouring B
// split as Binomial(b + c, ½).

import { binomialCdf } from './binomial.ts';

/** Returns the two-sided exact McNemar p = min(1, 2 · P(X ≤ min(b, c))), X ~ Binomial(b + c, ½); 1 when b + c = 0. */
export function mcnemarExact(b: number, c: number): number {
  for (const [name, count] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`${name} must be a non-negative integer, got ${count}`);
  }
  if (b + c === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), b + c, 0.5));
}
