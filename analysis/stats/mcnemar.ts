// Exact McNemar test for paired binary outcomes: under H0 the b discordant pairs favouring A and the c favouring B
// split as Binomial(b + c, ½). Its interval inverts the same test: conditional on the N = b + c discordant items,
// θ = P(A wins | discordant) has the Clopper–Pearson interval, and the difference of rates is (N/n)(2θ − 1).

import { binomialCdf } from './binomial.ts';
import { assertConfidence } from './intervals.ts';
import { regularizedIncompleteBeta } from './special.ts';

/** Returns the two-sided exact McNemar p = min(1, 2 · P(X ≤ min(b, c))), X ~ Binomial(b + c, ½); 1 when b + c = 0. */
export function mcnemarExact(b: number, c: number): number {
  for (const [name, count] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`${name} must be a non-negative integer, got ${count}`);
  }
  if (b + c === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), b + c, 0.5));
}

const BISECTIONS = 64;

/** Returns the θ in [lo, hi] where the increasing f(θ) reaches target, as the upper end of the final bracket. */
function bisect(f: (theta: number) => number, target: number, lo: number, hi: number): number {
  for (let k = 0; k < BISECTIONS && hi - lo > 0; k++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Returns the interval for the difference of rates (b − c)/n that inverts the exact McNemar test at 1 − confidence:
 * it excludes 0 exactly when p < 1 − confidence, p being mcnemarExact(b, c) (passed in, so that the decision is the
 * test's own). The side of ½ each Clopper–Pearson bound lies on is decided by the test; the bound itself by
 * bisection. Conditional on N = b + c: with N = 0 the interval is [0, 0].
 */
export function mcnemarInterval(b: number, c: number, n: number, confidence: number, p = mcnemarExact(b, c)): { lo: number; hi: number } {
  assertConfidence(confidence);
  const total = b + c;
  if (total === 0) return { lo: 0, hi: 0 };
  const tail = (1 - confidence) / 2;
  const x = Math.max(b, c);
  // P(X ≥ x; θ) = I_θ(x, N − x + 1) and P(X ≤ x; θ) = 1 − I_θ(x + 1, N − x), both increasing in θ.
  const lower = p < 1 - confidence
    ? bisect((t) => regularizedIncompleteBeta(t, x, total - x + 1), tail, 0.5, x / total)
    : bisect((t) => regularizedIncompleteBeta(t, x, total - x + 1), tail, 0, 0.5);
  const upper = x === total ? 1 : bisect((t) => regularizedIncompleteBeta(t, x + 1, total - x), 1 - tail, x / total, 1);
  const scale = total / n;
  const lo = scale * (2 * lower - 1);
  const hi = scale * (2 * upper - 1);
  return b >= c ? { lo, hi } : { lo: -hi, hi: -lo };
}
