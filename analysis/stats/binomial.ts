// Binomial pmf and CDF computed in log space with Loader's saddle-point method (as R's dbinom), so that they keep
// close to full relative accuracy for n in the hundreds of thousands, far into the tails.
// C. Loader, "Fast and Accurate Computation of Binomial Probabilities", 2000.

import { computeDeviance, computeStirlingError } from './special.ts';

const LOG_TWO_PI = 1.8378770664093456; // ln(2π)

const SPLITTER = 134217729; // 2^27 + 1

/** Returns [hi, lo] with hi = fl(a·b) and hi + lo = a·b exactly (Dekker's two-product; no overflow for our ranges). */
function multiplyExactly(a: number, b: number): [number, number] {
  const product = a * b;
  const ta = SPLITTER * a;
  const aHigh = ta - (ta - a);
  const aLow = a - aHigh;
  const tb = SPLITTER * b;
  const bHigh = tb - (tb - b);
  const bLow = b - bHigh;
  return [product, aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow];
}

/** Returns true when n is a non-negative integer and p a probability. */
function isValidBinomial(n: number, p: number): boolean {
  return Number.isInteger(n) && n >= 0 && p >= 0 && p <= 1;
}

/** Returns ln P(X = k) for X ~ Binomial(n, p); −Infinity off the support, NaN for invalid n or p. */
export function logBinomialPmf(k: number, n: number, p: number): number {
  if (Number.isNaN(k) || !isValidBinomial(n, p)) return Number.NaN;
  if (!Number.isInteger(k) || k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  const q = 1 - p; // exact for p ≥ ½; for p < ½ the code below prefers log1p(−p)
  if (p === 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (p === 1) return k === n ? 0 : Number.NEGATIVE_INFINITY;
  if (k === 0) return n * (p < 0.5 ? Math.log1p(-p) : Math.log(q));
  if (k === n) return n * (p < 0.5 ? Math.log(p) : Math.log1p(-q));
  // n·p rounds by up to ½ ulp, which the deviance would amplify far from the mean: carry the rounding error
  // to first order, d/dm [x ln(x/m) + m − x] = 1 − x/m.
  const [np, npError] = multiplyExactly(n, p);
  const [nq, nqError] = multiplyExactly(n, q);
  const logCore =
    computeStirlingError(n) -
    computeStirlingError(k) -
    computeStirlingError(n - k) -
    (computeDeviance(k, np) + npError * (1 - k / np)) -
    (computeDeviance(n - k, nq) + nqError * (1 - (n - k) / nq));
  return logCore - 0.5 * (LOG_TWO_PI + Math.log(k) + Math.log1p(-k / n));
}

/** Returns P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  return Math.exp(logBinomialPmf(k, n, p));
}

// Stop summing a tail once a term adds less than this fraction of the running sum.
const NEGLIGIBLE = 2 ** -60;

/** Returns ln P(X ≤ k) for X ~ Binomial(n, p); k is floored as in scipy's binom.cdf. */
export function logBinomialCdf(k: number, n: number, p: number): number {
  if (Number.isNaN(k) || !isValidBinomial(n, p)) return Number.NaN;
  const kk = Math.floor(k);
  if (kk < 0) return Number.NEGATIVE_INFINITY;
  if (kk >= n) return 0;
  if (p === 0) return 0;
  if (p === 1) return Number.NEGATIVE_INFINITY;
  const q = 1 - p;
  if (kk <= n * p) {
    // Lower tail: terms shrink walking down from k; sum them relative to P(X = k).
    const ratio = q / p;
    let term = 1;
    let sum = 1;
    for (let j = kk; j > 0; j--) {
      term *= (j / (n - j + 1)) * ratio;
      sum += term;
      if (term < sum * NEGLIGIBLE) break;
    }
    return logBinomialPmf(kk, n, p) + Math.log(sum);
  }
  // Upper tail: sum P(X > k) walking up from k + 1, then take the complement.
  const ratio = p / q;
  let term = 1;
  let sum = 1;
  for (let j = kk + 1; j < n; j++) {
    term *= ((n - j) / (j + 1)) * ratio;
    sum += term;
    if (term < sum * NEGLIGIBLE) break;
  }
  return Math.log1p(-Math.exp(logBinomialPmf(kk + 1, n, p) + Math.log(sum)));
}

/** Returns P(X ≤ k) for X ~ Binomial(n, p); k is floored as in scipy's binom.cdf. */
export function binomialCdf(k: number, n: number, p: number): number {
  return Math.exp(logBinomialCdf(k, n, p));
}
